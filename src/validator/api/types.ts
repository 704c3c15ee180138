/** What the validator client reads from and sends to the beacon node, decoded. */
export interface Genesis {
  genesisTime: number;
  genesisValidatorsRoot: Uint8Array;
  genesisForkVersion: Uint8Array;
}

export interface SyncStatus {
  headSlot: number;
  syncDistance: number;
  isSyncing: boolean;
  isOptimistic: boolean;
}

export interface ForkScheduleEntry {
  previousVersion: Uint8Array;
  currentVersion: Uint8Array;
  epoch: number;
}

export interface ValidatorInfo {
  index: number;
  pubkey: Uint8Array;
  status: string;
}

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

/** Duties of one epoch and the block root they were computed from (changes on a re-org). */
export interface DutiesOf<T> {
  dependentRoot: Uint8Array;
  executionOptimistic: boolean;
  duties: T[];
}

export interface BeaconCommitteeSubscription {
  validatorIndex: number;
  committeeIndex: number;
  committeesAtSlot: number;
  slot: number;
  isAggregator: boolean;
}

/** The `head` event: the dependent roots decide whether cached duties are still valid. */
export interface HeadEvent {
  slot: number;
  block: Uint8Array;
  state: Uint8Array;
  epochTransition: boolean;
  /** Block root at the last slot of epoch-2: what attester duties of the head's epoch depend on. */
  previousDutyDependentRoot: Uint8Array;
  /** Block root at the last slot of epoch-1: proposer duties of the head's epoch, attester duties of the next. */
  currentDutyDependentRoot: Uint8Array;
}
