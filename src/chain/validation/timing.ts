/** p2p-interface.md's time helpers, on the clock's slot arithmetic and a message's arrival time. */
import type {ChainConfig} from "../../params/index.ts";

interface SlotTimes {
  slotStartMs(slot: number): number;
}

type DisparityConfig = Pick<ChainConfig, "MAXIMUM_GOSSIP_CLOCK_DISPARITY">;

/** is_future_slot: the slot starts later than now plus the clock disparity allowance. */
export function isFutureSlot(config: DisparityConfig, clock: SlotTimes, slot: number, nowMs: number): boolean {
  return nowMs + config.MAXIMUM_GOSSIP_CLOCK_DISPARITY < clock.slotStartMs(slot);
}

/** is_within_slot_range: now is within [slot, slot + range] (inclusive), with the disparity allowance at both ends. */
export function isWithinSlotRange(config: DisparityConfig, clock: SlotTimes, slot: number, range: number, nowMs: number): boolean {
  if (isFutureSlot(config, clock, slot, nowMs)) return false;
  return !(clock.slotStartMs(slot + range + 1) + config.MAXIMUM_GOSSIP_CLOCK_DISPARITY < nowMs);
}
