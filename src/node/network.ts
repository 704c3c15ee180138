/**
 * Which network (preset and chain config) a node runs. A data dir remembers the network it was
 * created for; a restart uses the stored one, and flags that contradict it are refused: the
 * preset shapes every SSZ type, and a changed config value (slot time, fork epochs) would make
 * the node misread its own chain.
 */
import {readFileSync} from "node:fs";
import {createChainConfig, isPresetName, parseChainConfigYaml, type PresetName} from "../params/index.ts";
import {InputError} from "../util/errors.ts";
import type {StoredNetwork} from "../chain/index.ts";

export interface NetworkRequest {
  /** From --preset; undefined: the stored one, else the command's default. */
  preset?: PresetName;
  /** Config keys set by flags or a --config file, as strings. */
  configOverrides: Record<string, string>;
}

export interface ResolvedNetwork {
  preset: PresetName;
  configOverrides: Record<string, string>;
}

const FAR_FUTURE = "18446744073709551615";

/** Every *_FORK_EPOCH key of a config: dev runs phase0 only. */
export function farFutureForkEpochs(baseConfig: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(baseConfig)) if (key.endsWith("_FORK_EPOCH")) out[key] = FAR_FUTURE;
  return out;
}

/** A --config file's keys as strings (PRESET_BASE is checked against the preset, not stored as an override). */
export function readConfigFile(path: string): {preset?: PresetName; overrides: Record<string, string>} {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new InputError(`cannot read config file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const doc = parseChainConfigYaml(text);
  const overrides: Record<string, string> = {};
  let preset: PresetName | undefined;
  for (const [k, v] of Object.entries(doc)) {
    if (k === "PRESET_BASE") {
      const p = String(v);
      if (!isPresetName(p)) throw new InputError(`config file ${path}: unknown PRESET_BASE "${p}"`);
      preset = p;
      continue;
    }
    if (typeof v === "object" && v !== null) continue; // lists (BLOB_SCHEDULE...) belong to later forks
    overrides[k] = String(v);
  }
  return {preset, overrides};
}

export function resolveNetwork(stored: StoredNetwork | null, requested: NetworkRequest, defaultPreset: PresetName): ResolvedNetwork {
  if (stored === null) {
    return {preset: requested.preset ?? defaultPreset, configOverrides: {...requested.configOverrides}};
  }
  if (!isPresetName(stored.preset)) throw new InputError(`the data dir's chain uses an unknown preset "${stored.preset}"`);
  if (requested.preset !== undefined && requested.preset !== stored.preset) {
    throw new InputError(`the data dir's chain has PRESET_BASE=${stored.preset}, not ${requested.preset} (use another --data-dir)`);
  }
  const mismatches = configMismatches(stored.preset, stored.configOverrides, requested.configOverrides);
  if (mismatches.length > 0) {
    const [first, ...rest] = mismatches;
    const more = rest.length === 0 ? "" : `; also ${rest.map((m) => m.key).join(", ")}`;
    throw new InputError(
      `the data dir's chain has ${first.key}=${first.stored}, not ${first.key}=${first.requested}${more} (leave the flag out, or use another --data-dir)`
    );
  }
  return {preset: stored.preset, configOverrides: {...requested.configOverrides, ...stored.configOverrides}};
}

export interface ConfigMismatch {
  key: string;
  stored: string;
  requested: string;
}

/**
 * Every requested config key whose value differs from the stored chain's effective config (its
 * preset's base config with the stored overrides), compared as values, not as text: a slot time
 * given as SECONDS_PER_SLOT is compared with the chain's SLOT_DURATION_MS, hex case and leading
 * zeros do not matter. A name-only key (CONFIG_NAME) is reported after the keys that change behaviour.
 */
export function configMismatches(preset: PresetName, storedOverrides: Record<string, string>, requested: Record<string, string>): ConfigMismatch[] {
  const storedConfig = createChainConfig(preset, storedOverrides);
  const out: ConfigMismatch[] = [];
  for (const [key, value] of Object.entries(requested)) {
    if (key === "SECONDS_PER_SLOT" || key === "SLOT_DURATION_MS") {
      const ms = key === "SECONDS_PER_SLOT" ? Number(value) * 1000 : Number(value);
      if (ms !== storedConfig.SLOT_DURATION_MS) {
        const stored = key === "SECONDS_PER_SLOT" ? String(storedConfig.SLOT_DURATION_MS / 1000) : String(storedConfig.SLOT_DURATION_MS);
        out.push({key, stored, requested: value});
      }
      continue;
    }
    const storedValue = storedConfig.raw[key];
    if (storedValue === undefined) {
      out.push({key, stored: "(not set)", requested: value});
    } else if (typeof storedValue !== "object" && normalizeValue(String(storedValue)) !== normalizeValue(value)) {
      out.push({key, stored: String(storedValue), requested: value});
    }
  }
  return out.sort((a, b) => Number(a.key === "CONFIG_NAME") - Number(b.key === "CONFIG_NAME"));
}

function normalizeValue(v: string): string {
  const t = v.trim();
  if (/^0x[0-9a-fA-F]*$/.test(t)) return t.toLowerCase();
  if (/^[0-9]+$/.test(t)) return BigInt(t).toString();
  return t;
}
