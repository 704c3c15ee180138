/** Writes a whole balances array back to the state as one new packed list (no per-index setter). */
import {ssz} from "../../types/index.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";

export function writeBalances(s: CachedBeaconState, balances: number[]): void {
  s.state.balances = ssz.Balances.toViewDU(balances);
}
