/**
 * Every way a fork-choice handler can refuse its input. The spec's handlers "assert"; Gnomon
 * throws a ForkChoiceError whose code names the failed assertion, and guarantees that a refused
 * call leaves the store as it was.
 */
import {GnomonError} from "../util/errors.ts";

export const ForkChoiceErrorCode = {
  /** get_forkchoice_store: anchor_block.state_root != hash_tree_root(anchor_state). */
  INVALID_ANCHOR: "INVALID_ANCHOR",
  /** on_tick: a time before genesis (uint64 underflow in the spec). */
  INVALID_TIME: "INVALID_TIME",
  /** on_block: parent block (or its post-state) unknown. */
  UNKNOWN_PARENT: "UNKNOWN_PARENT",
  /** on_block: block.slot is after the store's current slot. */
  FUTURE_SLOT: "FUTURE_SLOT",
  /** on_block: block.slot is not after the first slot of the finalized epoch. */
  NOT_AFTER_FINALIZED_SLOT: "NOT_AFTER_FINALIZED_SLOT",
  /** on_block: the chain of the block does not contain the finalized checkpoint block. */
  NOT_DESCENDANT_OF_FINALIZED: "NOT_DESCENDANT_OF_FINALIZED",
  /** on_block: state_transition rejected the block. */
  INVALID_BLOCK: "INVALID_BLOCK",
  /** validate_target_epoch_against_current_time: target epoch is neither current nor previous. */
  INVALID_ATTESTATION_TARGET_EPOCH_NOT_CURRENT_OR_PREVIOUS: "INVALID_ATTESTATION_TARGET_EPOCH_NOT_CURRENT_OR_PREVIOUS",
  /** validate_on_attestation: target.epoch != compute_epoch_at_slot(data.slot). */
  INVALID_ATTESTATION_TARGET_EPOCH_SLOT_MISMATCH: "INVALID_ATTESTATION_TARGET_EPOCH_SLOT_MISMATCH",
  /** validate_on_attestation: target.root is not a known block. */
  INVALID_ATTESTATION_UNKNOWN_TARGET_ROOT: "INVALID_ATTESTATION_UNKNOWN_TARGET_ROOT",
  /** validate_on_attestation: beacon_block_root is not a known block. */
  INVALID_ATTESTATION_UNKNOWN_HEAD_BLOCK: "INVALID_ATTESTATION_UNKNOWN_HEAD_BLOCK",
  /** validate_on_attestation: the attested block is newer than the attestation slot. */
  INVALID_ATTESTATION_FUTURE_HEAD_BLOCK: "INVALID_ATTESTATION_FUTURE_HEAD_BLOCK",
  /** validate_on_attestation: target.root is not the checkpoint block of beacon_block_root. */
  INVALID_ATTESTATION_INCONSISTENT_TARGET: "INVALID_ATTESTATION_INCONSISTENT_TARGET",
  /** validate_on_attestation: the attestation slot is not yet in the past. */
  INVALID_ATTESTATION_FUTURE_SLOT: "INVALID_ATTESTATION_FUTURE_SLOT",
  /** on_attestation: get_indexed_attestation failed (committee index or bits out of range). */
  INVALID_ATTESTATION_COMMITTEE: "INVALID_ATTESTATION_COMMITTEE",
  /** on_attestation: is_valid_indexed_attestation failed (indices or signature). */
  INVALID_ATTESTATION_INDEXED: "INVALID_ATTESTATION_INDEXED",
  /** on_attester_slashing: the two attestation data are not slashable. */
  INVALID_ATTESTER_SLASHING_NOT_SLASHABLE: "INVALID_ATTESTER_SLASHING_NOT_SLASHABLE",
  /** on_attester_slashing: attestation_1 or attestation_2 is not a valid indexed attestation. */
  INVALID_ATTESTER_SLASHING_INDEXED: "INVALID_ATTESTER_SLASHING_INDEXED",
  /** A root the query needs is not (or no longer) in the store. */
  UNKNOWN_BLOCK: "UNKNOWN_BLOCK",
  /** A state the spec reads (block state, justified checkpoint state) is not available. */
  MISSING_STATE: "MISSING_STATE",
  /** get_proposer_head: proposer boost still applies to the head (the spec's assert). */
  PROPOSER_BOOST_NOT_WORN_OFF: "PROPOSER_BOOST_NOT_WORN_OFF",
  /** An effective balance that is not a whole number of EFFECTIVE_BALANCE_INCREMENT. */
  INVALID_BALANCE: "INVALID_BALANCE",
} as const;

export type ForkChoiceErrorCode = (typeof ForkChoiceErrorCode)[keyof typeof ForkChoiceErrorCode];

export class ForkChoiceError extends GnomonError {
  declare readonly code: ForkChoiceErrorCode;
  constructor(code: ForkChoiceErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}
