/** beacon-chain.md "Misc" and "Beacon state accessors": slot/epoch arithmetic. */
import {GENESIS_EPOCH, GENESIS_SLOT, MAX_SEED_LOOKAHEAD, SLOTS_PER_EPOCH, type ChainConfig} from "../../params/index.ts";
import type {BeaconStateView, Epoch, Slot} from "../../types/index.ts";

export function computeEpochAtSlot(slot: Slot): Epoch {
  return Math.floor(slot / SLOTS_PER_EPOCH);
}

export function computeStartSlotAtEpoch(epoch: Epoch): Slot {
  return epoch * SLOTS_PER_EPOCH;
}

export function computeActivationExitEpoch(epoch: Epoch): Epoch {
  return epoch + 1 + MAX_SEED_LOOKAHEAD;
}

/** compute_time_at_slot (the spec notes it is unsafe for overflow; so is this). */
export function computeTimeAtSlot(config: Pick<ChainConfig, "SLOT_DURATION_MS">, genesisTime: number, slot: Slot): number {
  return genesisTime + Math.floor(((slot - GENESIS_SLOT) * config.SLOT_DURATION_MS) / 1000);
}

export function getCurrentEpoch(state: BeaconStateView): Epoch {
  return computeEpochAtSlot(state.slot);
}

export function getPreviousEpoch(state: BeaconStateView): Epoch {
  const current = getCurrentEpoch(state);
  return current === GENESIS_EPOCH ? GENESIS_EPOCH : current - 1;
}
