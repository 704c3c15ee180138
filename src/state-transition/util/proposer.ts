/** beacon-chain.md get_beacon_proposer_index, get_committee_count_per_slot, get_beacon_committee, get_validator_churn_limit. */
import type {Epoch, Slot, ValidatorIndex} from "../../types/index.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";

/** get_beacon_proposer_index: the proposer of the state's current slot. */
export function getBeaconProposerIndex(s: CachedBeaconState): ValidatorIndex {
  return s.epochCtx.getBeaconProposer(s.state.slot);
}

export function getCommitteeCountPerSlot(s: CachedBeaconState, epoch: Epoch): number {
  return s.epochCtx.getCommitteeCountPerSlot(epoch);
}

export function getBeaconCommittee(s: CachedBeaconState, slot: Slot, index: number): Uint32Array {
  return s.epochCtx.getBeaconCommittee(slot, index);
}

export function getValidatorChurnLimit(s: CachedBeaconState): number {
  return s.epochCtx.churnLimit;
}
