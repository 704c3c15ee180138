/** beacon-chain.md process_randao_mixes_reset. */
import {EPOCHS_PER_HISTORICAL_VECTOR} from "../../params/index.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";
import {computeEpochAtSlot} from "../util/epoch.ts";
import {getRandaoMix} from "../util/seed.ts";

export function processRandaoMixesReset(s: CachedBeaconState): void {
  const currentEpoch = computeEpochAtSlot(s.state.slot);
  const nextEpoch = currentEpoch + 1;
  s.state.randao_mixes.set(nextEpoch % EPOCHS_PER_HISTORICAL_VECTOR, getRandaoMix(s.state, currentEpoch));
}
