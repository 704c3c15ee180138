/** beacon-chain.md process_historical_roots_update. */
import {SLOTS_PER_EPOCH, SLOTS_PER_HISTORICAL_ROOT} from "../../params/index.ts";
import {digest64} from "../../crypto/index.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";
import {computeEpochAtSlot} from "../util/epoch.ts";

export function processHistoricalRootsUpdate(s: CachedBeaconState): void {
  const {state} = s;
  const nextEpoch = computeEpochAtSlot(state.slot) + 1;
  if (nextEpoch % Math.floor(SLOTS_PER_HISTORICAL_ROOT / SLOTS_PER_EPOCH) === 0) {
    // hash_tree_root(HistoricalBatch(block_roots, state_roots)): a two-field container, so the
    // root of the state's own subtrees (already hashed) suffices.
    const root = digest64(state.block_roots.hashTreeRoot(), state.state_roots.hashTreeRoot());
    state.historical_roots.push(root);
  }
}
