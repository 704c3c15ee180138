/**
 * Genesis state files: read once, their preset told from their bytes (the preset fixes the
 * length of a state's vectors, so a state decodes under one preset only), and checked against
 * the chain config they are to run with.
 */
import {readFileSync} from "node:fs";
import {presets, type ChainConfig, type PresetName} from "../params/index.ts";
import {ssz, typesFor, type BeaconStateView} from "../types/index.ts";
import {toHex, bytesEqual} from "../util/bytes.ts";
import {InputError} from "../util/errors.ts";

export function readGenesisBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new InputError(`cannot read genesis state ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** The preset whose BeaconState type decodes `bytes`, or null. */
export function presetOfState(bytes: Uint8Array): PresetName | null {
  for (const name of Object.keys(presets) as PresetName[]) {
    try {
      typesFor(name).BeaconState.deserialize(bytes);
      return name;
    } catch {
      // not this preset
    }
  }
  return null;
}

/** Why a state does not decode under `expected`: it is another preset's, or no state at all. */
export function describeStatePreset(bytes: Uint8Array, expected: PresetName): string {
  const actual = presetOfState(bytes);
  if (actual === null) return `is not an SSZ phase0 BeaconState of any preset`;
  return `is a ${actual}-preset state, but the node runs the ${expected} preset (give --preset ${actual})`;
}

/** Decodes a genesis file with the active preset; a state of another preset is named as such. */
export function decodeGenesisState(config: ChainConfig, path: string, bytes: Uint8Array): BeaconStateView {
  let state: BeaconStateView;
  try {
    state = ssz.BeaconState.deserializeToViewDU(bytes);
  } catch {
    throw new InputError(`${path} ${describeStatePreset(bytes, config.PRESET_BASE)}`);
  }
  checkGenesisMatchesConfig(config, path, state);
  return state;
}

/** A genesis state signs with its fork version: one the config disagrees with would fail every duty. */
export function checkGenesisMatchesConfig(config: Pick<ChainConfig, "GENESIS_FORK_VERSION">, path: string, state: BeaconStateView): void {
  if (!bytesEqual(state.fork.current_version, config.GENESIS_FORK_VERSION)) {
    throw new InputError(
      `${path} has fork version ${toHex(state.fork.current_version)}, but the config's GENESIS_FORK_VERSION is ${toHex(config.GENESIS_FORK_VERSION)} (give the --config the state was made with)`
    );
  }
}
