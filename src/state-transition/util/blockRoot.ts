/** beacon-chain.md get_block_root, get_block_root_at_slot. */
import {SLOTS_PER_HISTORICAL_ROOT} from "../../params/index.ts";
import type {BeaconStateView, Epoch, Slot} from "../../types/index.ts";
import {StateTransitionError} from "../errors.ts";
import {computeStartSlotAtEpoch} from "./epoch.ts";

export function getBlockRootAtSlot(state: BeaconStateView, slot: Slot): Uint8Array {
  const stateSlot = state.slot;
  if (!(slot < stateSlot && stateSlot <= slot + SLOTS_PER_HISTORICAL_ROOT)) {
    throw new StateTransitionError(
      "BLOCK_ROOT_OUT_OF_RANGE",
      `get_block_root_at_slot: slot ${slot} is not within the ${SLOTS_PER_HISTORICAL_ROOT} slots before ${stateSlot}`
    );
  }
  return state.block_roots.get(slot % SLOTS_PER_HISTORICAL_ROOT);
}

export function getBlockRoot(state: BeaconStateView, epoch: Epoch): Uint8Array {
  return getBlockRootAtSlot(state, computeStartSlotAtEpoch(epoch));
}
