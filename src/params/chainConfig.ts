/**
 * The run-time chain config (consensus-specs/configs/*.yaml): fork versions and epochs, genesis
 * settings, timing, churn, fork-choice and networking values. Unlike the preset it does not shape
 * SSZ types, so a custom file may override any value of its base config.
 */
import {parse as parseYaml} from "yaml";
import {InputError} from "../util/errors.ts";
import {fromHex} from "../util/bytes.ts";
import {isPresetName, type PresetName} from "./presets.ts";
import {mainnetConfigRaw} from "./configs/mainnet.ts";
import {minimalConfigRaw} from "./configs/minimal.ts";

export interface ChainConfig {
  PRESET_BASE: PresetName;
  CONFIG_NAME: string;
  MIN_GENESIS_ACTIVE_VALIDATOR_COUNT: number;
  MIN_GENESIS_TIME: number;
  GENESIS_FORK_VERSION: Uint8Array;
  GENESIS_DELAY: number;
  ALTAIR_FORK_VERSION: Uint8Array;
  ALTAIR_FORK_EPOCH: number;
  SLOT_DURATION_MS: number;
  /** Derived from SLOT_DURATION_MS unless a config sets it (older config files do). */
  SECONDS_PER_SLOT: number;
  SECONDS_PER_ETH1_BLOCK: number;
  MIN_VALIDATOR_WITHDRAWABILITY_DELAY: number;
  SHARD_COMMITTEE_PERIOD: number;
  ETH1_FOLLOW_DISTANCE: number;
  PROPOSER_REORG_CUTOFF_BPS: number;
  ATTESTATION_DUE_BPS: number;
  AGGREGATE_DUE_BPS: number;
  EJECTION_BALANCE: number;
  MIN_PER_EPOCH_CHURN_LIMIT: number;
  CHURN_LIMIT_QUOTIENT: number;
  PROPOSER_SCORE_BOOST: number;
  REORG_HEAD_WEIGHT_THRESHOLD: number;
  REORG_PARENT_WEIGHT_THRESHOLD: number;
  REORG_MAX_EPOCHS_SINCE_FINALIZATION: number;
  DEPOSIT_CHAIN_ID: number;
  DEPOSIT_NETWORK_ID: number;
  DEPOSIT_CONTRACT_ADDRESS: Uint8Array;
  MAX_PAYLOAD_SIZE: number;
  MAX_REQUEST_BLOCKS: number;
  EPOCHS_PER_SUBNET_SUBSCRIPTION: number;
  ATTESTATION_PROPAGATION_SLOT_RANGE: number;
  MAXIMUM_GOSSIP_CLOCK_DISPARITY: number;
  MESSAGE_DOMAIN_INVALID_SNAPPY: Uint8Array;
  MESSAGE_DOMAIN_VALID_SNAPPY: Uint8Array;
  SUBNETS_PER_NODE: number;
  ATTESTATION_SUBNET_COUNT: number;
  ATTESTATION_SUBNET_EXTRA_BITS: number;
  /**
   * Every key of the config as written (with overrides applied), values as strings or nested
   * lists: what `/eth/v1/config/spec` reports, including keys of forks Gnomon does not run.
   */
  raw: Readonly<Record<string, unknown>>;
}

type Kind = "uint" | "string" | {bytes: number};
const FIELDS: Record<Exclude<keyof ChainConfig, "raw" | "PRESET_BASE" | "SECONDS_PER_SLOT">, Kind> = {
  CONFIG_NAME: "string",
  MIN_GENESIS_ACTIVE_VALIDATOR_COUNT: "uint",
  MIN_GENESIS_TIME: "uint",
  GENESIS_FORK_VERSION: {bytes: 4},
  GENESIS_DELAY: "uint",
  ALTAIR_FORK_VERSION: {bytes: 4},
  ALTAIR_FORK_EPOCH: "uint",
  SLOT_DURATION_MS: "uint",
  SECONDS_PER_ETH1_BLOCK: "uint",
  MIN_VALIDATOR_WITHDRAWABILITY_DELAY: "uint",
  SHARD_COMMITTEE_PERIOD: "uint",
  ETH1_FOLLOW_DISTANCE: "uint",
  PROPOSER_REORG_CUTOFF_BPS: "uint",
  ATTESTATION_DUE_BPS: "uint",
  AGGREGATE_DUE_BPS: "uint",
  EJECTION_BALANCE: "uint",
  MIN_PER_EPOCH_CHURN_LIMIT: "uint",
  CHURN_LIMIT_QUOTIENT: "uint",
  PROPOSER_SCORE_BOOST: "uint",
  REORG_HEAD_WEIGHT_THRESHOLD: "uint",
  REORG_PARENT_WEIGHT_THRESHOLD: "uint",
  REORG_MAX_EPOCHS_SINCE_FINALIZATION: "uint",
  DEPOSIT_CHAIN_ID: "uint",
  DEPOSIT_NETWORK_ID: "uint",
  DEPOSIT_CONTRACT_ADDRESS: {bytes: 20},
  MAX_PAYLOAD_SIZE: "uint",
  MAX_REQUEST_BLOCKS: "uint",
  EPOCHS_PER_SUBNET_SUBSCRIPTION: "uint",
  ATTESTATION_PROPAGATION_SLOT_RANGE: "uint",
  MAXIMUM_GOSSIP_CLOCK_DISPARITY: "uint",
  MESSAGE_DOMAIN_INVALID_SNAPPY: {bytes: 4},
  MESSAGE_DOMAIN_VALID_SNAPPY: {bytes: 4},
  SUBNETS_PER_NODE: "uint",
  ATTESTATION_SUBNET_COUNT: "uint",
  ATTESTATION_SUBNET_EXTRA_BITS: "uint",
};

const UINT64_MAX_STR = "18446744073709551615";

/** uint64 as a `number`: 2**64-1 (FAR_FUTURE_EPOCH) becomes Infinity, as in SSZ decoding. */
function parseUint(key: string, value: unknown): number {
  const s = String(value).trim();
  if (!/^[0-9]+$/.test(s)) throw new InputError(`config ${key}: expected an unsigned integer, got "${s}"`);
  if (s === UINT64_MAX_STR) return Infinity;
  const n = Number(s);
  if (!Number.isSafeInteger(n)) throw new InputError(`config ${key}: ${s} is out of range`);
  return n;
}

/** Builds a typed config from raw key/value strings (a base config with overrides applied). */
export function parseChainConfig(raw: Record<string, unknown>): ChainConfig {
  const presetBase = String(raw.PRESET_BASE ?? "");
  if (!isPresetName(presetBase)) throw new InputError(`config PRESET_BASE: unknown preset "${presetBase}"`);
  const out: Record<string, unknown> = {PRESET_BASE: presetBase, raw: Object.freeze({...raw})};
  for (const [key, kind] of Object.entries(FIELDS)) {
    const value = raw[key];
    if (value === undefined) throw new InputError(`config is missing ${key}`);
    if (kind === "uint") out[key] = parseUint(key, value);
    else if (kind === "string") out[key] = String(value);
    else {
      try {
        out[key] = fromHex(String(value), kind.bytes);
      } catch (e) {
        throw new InputError(`config ${key}: expected ${kind.bytes} bytes of 0x-hex, got "${String(value)}"`, {cause: e});
      }
    }
  }
  const slotMs = out.SLOT_DURATION_MS as number;
  out.SECONDS_PER_SLOT = raw.SECONDS_PER_SLOT !== undefined ? parseUint("SECONDS_PER_SLOT", raw.SECONDS_PER_SLOT) : slotMs / 1000;
  if (raw.SECONDS_PER_SLOT !== undefined && raw.SLOT_DURATION_MS === undefined) {
    out.SLOT_DURATION_MS = (out.SECONDS_PER_SLOT as number) * 1000;
  }
  if (!((out.SECONDS_PER_SLOT as number) > 0)) throw new InputError("config: slot duration must be positive");
  return out as unknown as ChainConfig;
}

export function defaultConfigRaw(preset: PresetName): Readonly<Record<string, unknown>> {
  return preset === "minimal" ? minimalConfigRaw : mainnetConfigRaw;
}

/**
 * The config for `preset`, with `overrides` (a parsed config file or flags) applied on top.
 * An override naming a different PRESET_BASE than the chosen preset is refused: the preset
 * shapes the SSZ types, so a mismatch would build a chain no other node could read.
 */
export function createChainConfig(preset: PresetName, overrides: Record<string, unknown> = {}): ChainConfig {
  if (overrides.SECONDS_PER_SLOT !== undefined && overrides.SLOT_DURATION_MS === undefined) {
    overrides = {...overrides, SLOT_DURATION_MS: String(parseUint("SECONDS_PER_SLOT", overrides.SECONDS_PER_SLOT) * 1000)};
  }
  const raw = {...defaultConfigRaw(preset), ...overrides};
  if (String(raw.PRESET_BASE) !== preset) {
    throw new InputError(`config PRESET_BASE is "${String(raw.PRESET_BASE)}" but the preset in use is "${preset}"`);
  }
  return parseChainConfig(raw);
}

/** Parses a config file's text (YAML, every scalar kept as a string so hex and uint64 stay exact). */
export function parseChainConfigYaml(text: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parseYaml(text, {schema: "failsafe"});
  } catch (e) {
    throw new InputError(`config file is not valid YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== "object" || Array.isArray(doc)) throw new InputError("config file must be a YAML mapping of KEY: value");
  return doc as Record<string, unknown>;
}
