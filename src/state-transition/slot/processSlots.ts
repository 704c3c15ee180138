/** beacon-chain.md process_slots. Mutates `s`. */
import {SLOTS_PER_EPOCH} from "../../params/index.ts";
import type {Slot} from "../../types/index.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";
import {SlotProcessingError} from "../errors.ts";
import {processEpoch} from "../epoch/processEpoch.ts";
import {processSlot} from "./processSlot.ts";

export function processSlots(s: CachedBeaconState, slot: Slot): void {
  const {state} = s;
  if (!(state.slot < slot)) {
    throw new SlotProcessingError("SLOT_NOT_IN_FUTURE", `cannot process slots up to ${slot}: the state is at slot ${state.slot}`);
  }
  while (state.slot < slot) {
    processSlot(s);
    // Process the epoch on the start slot of the next epoch.
    if ((state.slot + 1) % SLOTS_PER_EPOCH === 0) processEpoch(s);
    state.slot = state.slot + 1;
  }
}
