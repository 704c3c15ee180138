/**
 * The active preset, as live ES-module bindings.
 *
 * The preset is chosen once at start-up (CLI flag or env) before any state is built; every
 * importer reads the current value through the binding, so `import {SLOTS_PER_EPOCH}` always
 * follows `setActivePreset`. Never copy these into module-level constants elsewhere: a copy
 * would not follow a preset change.
 */
import {GnomonError} from "../util/errors.ts";
import {type Preset, type PresetName, presets, mainnetPreset} from "./presets.ts";

export let ACTIVE_PRESET: PresetName = "mainnet";
export let preset: Readonly<Preset> = mainnetPreset;
export let MAX_COMMITTEES_PER_SLOT = mainnetPreset.MAX_COMMITTEES_PER_SLOT;
export let TARGET_COMMITTEE_SIZE = mainnetPreset.TARGET_COMMITTEE_SIZE;
export let MAX_VALIDATORS_PER_COMMITTEE = mainnetPreset.MAX_VALIDATORS_PER_COMMITTEE;
export let SHUFFLE_ROUND_COUNT = mainnetPreset.SHUFFLE_ROUND_COUNT;
export let HYSTERESIS_QUOTIENT = mainnetPreset.HYSTERESIS_QUOTIENT;
export let HYSTERESIS_DOWNWARD_MULTIPLIER = mainnetPreset.HYSTERESIS_DOWNWARD_MULTIPLIER;
export let HYSTERESIS_UPWARD_MULTIPLIER = mainnetPreset.HYSTERESIS_UPWARD_MULTIPLIER;
export let MIN_DEPOSIT_AMOUNT = mainnetPreset.MIN_DEPOSIT_AMOUNT;
export let MAX_EFFECTIVE_BALANCE = mainnetPreset.MAX_EFFECTIVE_BALANCE;
export let EFFECTIVE_BALANCE_INCREMENT = mainnetPreset.EFFECTIVE_BALANCE_INCREMENT;
export let MIN_ATTESTATION_INCLUSION_DELAY = mainnetPreset.MIN_ATTESTATION_INCLUSION_DELAY;
export let SLOTS_PER_EPOCH = mainnetPreset.SLOTS_PER_EPOCH;
export let MIN_SEED_LOOKAHEAD = mainnetPreset.MIN_SEED_LOOKAHEAD;
export let MAX_SEED_LOOKAHEAD = mainnetPreset.MAX_SEED_LOOKAHEAD;
export let EPOCHS_PER_ETH1_VOTING_PERIOD = mainnetPreset.EPOCHS_PER_ETH1_VOTING_PERIOD;
export let SLOTS_PER_HISTORICAL_ROOT = mainnetPreset.SLOTS_PER_HISTORICAL_ROOT;
export let MIN_EPOCHS_TO_INACTIVITY_PENALTY = mainnetPreset.MIN_EPOCHS_TO_INACTIVITY_PENALTY;
export let EPOCHS_PER_HISTORICAL_VECTOR = mainnetPreset.EPOCHS_PER_HISTORICAL_VECTOR;
export let EPOCHS_PER_SLASHINGS_VECTOR = mainnetPreset.EPOCHS_PER_SLASHINGS_VECTOR;
export let HISTORICAL_ROOTS_LIMIT = mainnetPreset.HISTORICAL_ROOTS_LIMIT;
export let VALIDATOR_REGISTRY_LIMIT = mainnetPreset.VALIDATOR_REGISTRY_LIMIT;
export let BASE_REWARD_FACTOR = mainnetPreset.BASE_REWARD_FACTOR;
export let WHISTLEBLOWER_REWARD_QUOTIENT = mainnetPreset.WHISTLEBLOWER_REWARD_QUOTIENT;
export let PROPOSER_REWARD_QUOTIENT = mainnetPreset.PROPOSER_REWARD_QUOTIENT;
export let INACTIVITY_PENALTY_QUOTIENT = mainnetPreset.INACTIVITY_PENALTY_QUOTIENT;
export let MIN_SLASHING_PENALTY_QUOTIENT = mainnetPreset.MIN_SLASHING_PENALTY_QUOTIENT;
export let PROPORTIONAL_SLASHING_MULTIPLIER = mainnetPreset.PROPORTIONAL_SLASHING_MULTIPLIER;
export let MAX_PROPOSER_SLASHINGS = mainnetPreset.MAX_PROPOSER_SLASHINGS;
export let MAX_ATTESTER_SLASHINGS = mainnetPreset.MAX_ATTESTER_SLASHINGS;
export let MAX_ATTESTATIONS = mainnetPreset.MAX_ATTESTATIONS;
export let MAX_DEPOSITS = mainnetPreset.MAX_DEPOSITS;
export let MAX_VOLUNTARY_EXITS = mainnetPreset.MAX_VOLUNTARY_EXITS;

type Listener = (name: PresetName) => void;
const listeners: Listener[] = [];

/** Register a callback that rebuilds preset-dependent objects (SSZ types, caches). */
export function onPresetChange(listener: Listener): void {
  listeners.push(listener);
}

/**
 * The spec makes the preset a build-time choice ("a client binary may be compiled for a specific
 * PRESET_BASE, and then load different configurations around that preset"): here it is chosen
 * per process, and pinned while anything built on it runs. A running node holds a pin; selecting
 * another preset while a pin is held throws instead of changing every SSZ type and constant under
 * the running nodes. Nodes of different chain configs share a process; nodes of different
 * presets need their own.
 */
const pins = new Map<PresetName, number>();

export class PresetPinnedError extends GnomonError {
  constructor(pinned: PresetName, requested: PresetName) {
    super("PRESET_PINNED", `this process runs the ${pinned} preset (a node built on it is running): a ${requested}-preset node needs its own process`);
  }
}

/** Selects `name` (throws PresetPinnedError if another preset is pinned) and pins it until the returned release is called. */
export function pinPreset(name: PresetName): () => void {
  setActivePreset(name);
  pins.set(name, (pins.get(name) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const n = (pins.get(name) ?? 1) - 1;
    if (n <= 0) pins.delete(name);
    else pins.set(name, n);
  };
}

export function setActivePreset(name: PresetName): void {
  for (const pinned of pins.keys()) if (pinned !== name) throw new PresetPinnedError(pinned, name);
  const p = presets[name];
  ACTIVE_PRESET = name;
  preset = p;
  MAX_COMMITTEES_PER_SLOT = p.MAX_COMMITTEES_PER_SLOT;
  TARGET_COMMITTEE_SIZE = p.TARGET_COMMITTEE_SIZE;
  MAX_VALIDATORS_PER_COMMITTEE = p.MAX_VALIDATORS_PER_COMMITTEE;
  SHUFFLE_ROUND_COUNT = p.SHUFFLE_ROUND_COUNT;
  HYSTERESIS_QUOTIENT = p.HYSTERESIS_QUOTIENT;
  HYSTERESIS_DOWNWARD_MULTIPLIER = p.HYSTERESIS_DOWNWARD_MULTIPLIER;
  HYSTERESIS_UPWARD_MULTIPLIER = p.HYSTERESIS_UPWARD_MULTIPLIER;
  MIN_DEPOSIT_AMOUNT = p.MIN_DEPOSIT_AMOUNT;
  MAX_EFFECTIVE_BALANCE = p.MAX_EFFECTIVE_BALANCE;
  EFFECTIVE_BALANCE_INCREMENT = p.EFFECTIVE_BALANCE_INCREMENT;
  MIN_ATTESTATION_INCLUSION_DELAY = p.MIN_ATTESTATION_INCLUSION_DELAY;
  SLOTS_PER_EPOCH = p.SLOTS_PER_EPOCH;
  MIN_SEED_LOOKAHEAD = p.MIN_SEED_LOOKAHEAD;
  MAX_SEED_LOOKAHEAD = p.MAX_SEED_LOOKAHEAD;
  EPOCHS_PER_ETH1_VOTING_PERIOD = p.EPOCHS_PER_ETH1_VOTING_PERIOD;
  SLOTS_PER_HISTORICAL_ROOT = p.SLOTS_PER_HISTORICAL_ROOT;
  MIN_EPOCHS_TO_INACTIVITY_PENALTY = p.MIN_EPOCHS_TO_INACTIVITY_PENALTY;
  EPOCHS_PER_HISTORICAL_VECTOR = p.EPOCHS_PER_HISTORICAL_VECTOR;
  EPOCHS_PER_SLASHINGS_VECTOR = p.EPOCHS_PER_SLASHINGS_VECTOR;
  HISTORICAL_ROOTS_LIMIT = p.HISTORICAL_ROOTS_LIMIT;
  VALIDATOR_REGISTRY_LIMIT = p.VALIDATOR_REGISTRY_LIMIT;
  BASE_REWARD_FACTOR = p.BASE_REWARD_FACTOR;
  WHISTLEBLOWER_REWARD_QUOTIENT = p.WHISTLEBLOWER_REWARD_QUOTIENT;
  PROPOSER_REWARD_QUOTIENT = p.PROPOSER_REWARD_QUOTIENT;
  INACTIVITY_PENALTY_QUOTIENT = p.INACTIVITY_PENALTY_QUOTIENT;
  MIN_SLASHING_PENALTY_QUOTIENT = p.MIN_SLASHING_PENALTY_QUOTIENT;
  PROPORTIONAL_SLASHING_MULTIPLIER = p.PROPORTIONAL_SLASHING_MULTIPLIER;
  MAX_PROPOSER_SLASHINGS = p.MAX_PROPOSER_SLASHINGS;
  MAX_ATTESTER_SLASHINGS = p.MAX_ATTESTER_SLASHINGS;
  MAX_ATTESTATIONS = p.MAX_ATTESTATIONS;
  MAX_DEPOSITS = p.MAX_DEPOSITS;
  MAX_VOLUNTARY_EXITS = p.MAX_VOLUNTARY_EXITS;
  for (const listener of listeners) listener(name);
}
