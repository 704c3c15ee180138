/**
 * The `/eth/v1/config/spec` map: the run-time config as written (every key, including those of
 * forks Gnomon does not run), the active preset, and the phase0 constants. Numbers become decimal
 * strings, byte values 0x-hex, lists stay lists.
 */
import * as params from "../params/index.ts";
import {toHex} from "../util/bytes.ts";

function format(value: unknown): unknown {
  if (value instanceof Uint8Array) return toHex(value);
  if (value === Infinity) return "18446744073709551615";
  if (typeof value === "number" || typeof value === "bigint") return value.toString(10);
  if (Array.isArray(value)) return value.map(format);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, format(v)]));
  }
  return String(value);
}

function constants(): Record<string, unknown> {
  return {
    GENESIS_SLOT: params.GENESIS_SLOT,
    GENESIS_EPOCH: params.GENESIS_EPOCH,
    FAR_FUTURE_EPOCH: params.FAR_FUTURE_EPOCH,
    BASE_REWARDS_PER_EPOCH: params.BASE_REWARDS_PER_EPOCH,
    DEPOSIT_CONTRACT_TREE_DEPTH: params.DEPOSIT_CONTRACT_TREE_DEPTH,
    JUSTIFICATION_BITS_LENGTH: params.JUSTIFICATION_BITS_LENGTH,
    BLS_WITHDRAWAL_PREFIX: Uint8Array.of(params.BLS_WITHDRAWAL_PREFIX),
    ETH1_ADDRESS_WITHDRAWAL_PREFIX: Uint8Array.of(params.ETH1_ADDRESS_WITHDRAWAL_PREFIX),
    DOMAIN_BEACON_PROPOSER: params.DOMAIN_BEACON_PROPOSER,
    DOMAIN_BEACON_ATTESTER: params.DOMAIN_BEACON_ATTESTER,
    DOMAIN_RANDAO: params.DOMAIN_RANDAO,
    DOMAIN_DEPOSIT: params.DOMAIN_DEPOSIT,
    DOMAIN_VOLUNTARY_EXIT: params.DOMAIN_VOLUNTARY_EXIT,
    DOMAIN_SELECTION_PROOF: params.DOMAIN_SELECTION_PROOF,
    DOMAIN_AGGREGATE_AND_PROOF: params.DOMAIN_AGGREGATE_AND_PROOF,
    DOMAIN_APPLICATION_MASK: params.DOMAIN_APPLICATION_MASK,
    TARGET_AGGREGATORS_PER_COMMITTEE: params.TARGET_AGGREGATORS_PER_COMMITTEE,
    BASIS_POINTS: params.BASIS_POINTS,
    NODE_ID_BITS: params.NODE_ID_BITS,
    MAX_CONCURRENT_REQUESTS: params.MAX_CONCURRENT_REQUESTS,
  };
}

export function specValues(cfg: params.ChainConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(constants())) out[k] = format(v);
  for (const [k, v] of Object.entries(params.preset)) out[k] = format(v);
  for (const [k, v] of Object.entries(cfg.raw)) out[k] = format(v);
  // Validator clients still read SECONDS_PER_SLOT; newer configs only carry SLOT_DURATION_MS.
  if (out.SECONDS_PER_SLOT === undefined) out.SECONDS_PER_SLOT = format(cfg.SECONDS_PER_SLOT);
  return out;
}
