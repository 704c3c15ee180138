/** beacon-chain.md process_eth1_data_reset. */
import {EPOCHS_PER_ETH1_VOTING_PERIOD} from "../../params/index.ts";
import {ssz} from "../../types/index.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";
import {computeEpochAtSlot} from "../util/epoch.ts";

export function processEth1DataReset(s: CachedBeaconState): void {
  const nextEpoch = computeEpochAtSlot(s.state.slot) + 1;
  if (nextEpoch % EPOCHS_PER_ETH1_VOTING_PERIOD === 0) {
    s.state.eth1_data_votes = ssz.BeaconState.fields.eth1_data_votes.defaultViewDU();
  }
}
