/**
 * Times as a scenario writes them: "epoch N" (the epoch's first slot), "slot N", or a plain slot
 * number. A run counts in slots from genesis; the simulator uses the minimal preset.
 */
import {minimalPreset} from "../params/index.ts";

/** Slots per epoch of the preset every simulated node runs. */
export const SIM_SLOTS_PER_EPOCH = minimalPreset.SLOTS_PER_EPOCH;

const TIME_RE = /^\s*(epoch|slot)\s+(\d{1,9})\s*$/i;
const PLAIN_RE = /^\s*(\d{1,9})\s*$/;

/** The slot a written time names, or null when it is not one of the accepted forms. */
export function parseSlotTime(value: unknown, slotsPerEpoch = SIM_SLOTS_PER_EPOCH): number | null {
  if (typeof value === "number") return Number.isSafeInteger(value) && value >= 0 ? value : null;
  if (typeof value !== "string") return null;
  const plain = PLAIN_RE.exec(value);
  if (plain) return Number(plain[1]);
  const m = TIME_RE.exec(value);
  if (!m) return null;
  const n = Number(m[2]);
  return m[1].toLowerCase() === "epoch" ? n * slotsPerEpoch : n;
}

/** "epoch 7" when the slot starts an epoch, else "slot 57 (epoch 7)": how reports name a time. */
export function formatSlotTime(slot: number, slotsPerEpoch = SIM_SLOTS_PER_EPOCH): string {
  const epoch = Math.floor(slot / slotsPerEpoch);
  return slot % slotsPerEpoch === 0 ? `epoch ${epoch}` : `slot ${slot} (epoch ${epoch})`;
}

/** The highest epoch a run of `slots` slots can have finalized by its end (phase0 finalizes checkpoint N when epoch N+2 starts). */
export function optimalFinalizedEpoch(slots: number, slotsPerEpoch = SIM_SLOTS_PER_EPOCH): number {
  return Math.max(0, Math.floor(slots / slotsPerEpoch) - 2);
}
