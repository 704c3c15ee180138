/**
 * Beacon API objects that are not SSZ containers, decoded (camelCased fields, bytes, numbers):
 * what a beacon node serves and a validator client reads. Pure types, shared by both sides of
 * the REST API (the validator client still reaches the node only through HTTP).
 */

export interface ProposerDuty {
  pubkey: Uint8Array;
  validatorIndex: number;
  slot: number;
}

export interface AttesterDuty {
  pubkey: Uint8Array;
  validatorIndex: number;
  committeeIndex: number;
  committeeLength: number;
  committeesAtSlot: number;
  validatorCommitteeIndex: number;
  slot: number;
}

/** The eventstream's `head` event. */
export interface HeadEvent {
  slot: number;
  block: Uint8Array;
  state: Uint8Array;
  epochTransition: boolean;
  /** get_block_root_at_slot(state, compute_start_slot_at_epoch(epoch - 1) - 1): what attester duties of the head's epoch depend on. */
  previousDutyDependentRoot: Uint8Array;
  /** get_block_root_at_slot(state, compute_start_slot_at_epoch(epoch) - 1): proposer duties of the head's epoch, attester duties of the next. */
  currentDutyDependentRoot: Uint8Array;
  executionOptimistic: boolean;
}
