/** What the validator client reads from and sends to the beacon node, decoded. */
export type {AttesterDuty, HeadEvent, ProposerDuty} from "../../types/index.ts";

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

/** A validator's state in the head state (Infinity for the far-future epoch). */
export interface ValidatorState extends ValidatorInfo {
  activationEpoch: number;
  exitEpoch: number;
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
