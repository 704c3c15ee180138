/**
 * Which network (preset and chain config) a node runs. A data dir remembers the network it was
 * created for; a restart uses the stored one, and flags that contradict it are refused: the
 * preset shapes every SSZ type, and a changed config value (slot time, fork epochs) would make
 * the node misread its own chain.
 */
import {readFileSync} from "node:fs";
import {isPresetName, parseChainConfigYaml, type PresetName} from "../params/index.ts";
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
    throw new InputError(`the data dir holds a ${stored.preset}-preset chain; --preset ${requested.preset} does not match (use another --data-dir)`);
  }
  for (const [key, value] of Object.entries(requested.configOverrides)) {
    const storedValue = stored.configOverrides[key];
    if (storedValue !== undefined && storedValue !== value) {
      throw new InputError(`the data dir's chain was created with ${key}=${storedValue}, not ${value} (use another --data-dir)`);
    }
  }
  return {preset: stored.preset, configOverrides: {...requested.configOverrides, ...stored.configOverrides}};
}
