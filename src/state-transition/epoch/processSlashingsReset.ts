/** beacon-chain.md process_slashings_reset. */
import {EPOCHS_PER_SLASHINGS_VECTOR} from "../../params/index.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";
import {computeEpochAtSlot} from "../util/epoch.ts";

export function processSlashingsReset(s: CachedBeaconState): void {
  const nextEpoch = computeEpochAtSlot(s.state.slot) + 1;
  s.state.slashings.set(nextEpoch % EPOCHS_PER_SLASHINGS_VECTOR, 0);
}
