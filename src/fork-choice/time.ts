/**
 * fork-choice.md's time arithmetic: store time is Unix seconds, slot components are basis points
 * of SLOT_DURATION_MS. Pure functions of their arguments, the chain config among them.
 */
import {BASIS_POINTS, GENESIS_SLOT, MIN_SEED_LOOKAHEAD, SLOTS_PER_EPOCH, UINT64_MAX, UINT64_MAX_BIGINT, type ChainConfig} from "../params/index.ts";
import {computeEpochAtSlot, computeStartSlotAtEpoch} from "../state-transition/index.ts";

/** floor(UINT64_MAX / 1000): above it, seconds_to_milliseconds saturates. */
const SECONDS_LIMIT = Number(UINT64_MAX_BIGINT / 1000n);

/** The config values the time arithmetic reads. */
export type TimeConfig = Pick<ChainConfig, "SLOT_DURATION_MS" | "ATTESTATION_DUE_BPS" | "PROPOSER_REORG_CUTOFF_BPS" | "AGGREGATE_DUE_BPS">;

export function getSlotsSinceGenesis(config: Pick<TimeConfig, "SLOT_DURATION_MS">, time: number, genesisTime: number): number {
  return Math.floor(((time - genesisTime) * 1000) / config.SLOT_DURATION_MS);
}

export function getCurrentSlotAt(config: Pick<TimeConfig, "SLOT_DURATION_MS">, time: number, genesisTime: number): number {
  return GENESIS_SLOT + getSlotsSinceGenesis(config, time, genesisTime);
}

export function computeSlotsSinceEpochStart(slot: number): number {
  return slot - computeStartSlotAtEpoch(computeEpochAtSlot(slot));
}

/** seconds_to_milliseconds: saturates at UINT64_MAX (a number holds it only as Infinity). */
export function secondsToMilliseconds(seconds: number): number {
  if (seconds > SECONDS_LIMIT) return UINT64_MAX;
  return seconds * 1000;
}

/** `seconds_to_milliseconds(seconds) % SLOT_DURATION_MS`, exact even where it saturates. */
export function millisecondsIntoSlot(config: Pick<TimeConfig, "SLOT_DURATION_MS">, seconds: number): number {
  const ms = secondsToMilliseconds(seconds);
  if (Number.isSafeInteger(ms)) return ms % config.SLOT_DURATION_MS;
  const exact = ms === UINT64_MAX ? UINT64_MAX_BIGINT : BigInt(seconds) * 1000n;
  return Number(exact % BigInt(config.SLOT_DURATION_MS));
}

export function getSlotComponentDurationMs(config: Pick<TimeConfig, "SLOT_DURATION_MS">, basisPoints: number): number {
  return Math.floor((basisPoints * config.SLOT_DURATION_MS) / BASIS_POINTS);
}

export function getAttestationDueMs(config: TimeConfig): number {
  return getSlotComponentDurationMs(config, config.ATTESTATION_DUE_BPS);
}

export function getProposerReorgCutoffMs(config: TimeConfig): number {
  return getSlotComponentDurationMs(config, config.PROPOSER_REORG_CUTOFF_BPS);
}

export function getAggregateDueMs(config: TimeConfig): number {
  return getSlotComponentDurationMs(config, config.AGGREGATE_DUE_BPS);
}

export function isNotEpochBoundary(slot: number): boolean {
  return slot % SLOTS_PER_EPOCH !== 0;
}

export function computeShufflingDependentSlot(epoch: number): number {
  if (epoch <= MIN_SEED_LOOKAHEAD) return GENESIS_SLOT;
  return computeStartSlotAtEpoch(epoch - MIN_SEED_LOOKAHEAD) - 1;
}
