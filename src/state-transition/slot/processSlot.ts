/** beacon-chain.md process_slot: cache the previous state root and block root. */
import {SLOTS_PER_HISTORICAL_ROOT} from "../../params/index.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";

export function processSlot(s: CachedBeaconState): void {
  const {state} = s;
  const previousStateRoot = state.batchHashTreeRoot();
  const index = state.slot % SLOTS_PER_HISTORICAL_ROOT;
  state.state_roots.set(index, previousStateRoot);
  const header = state.latest_block_header;
  if (isZero(header.state_root)) header.state_root = previousStateRoot;
  state.block_roots.set(index, header.hashTreeRoot());
}

function isZero(root: Uint8Array): boolean {
  for (let i = 0; i < root.length; i++) if (root[i] !== 0) return false;
  return true;
}
