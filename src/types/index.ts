/**
 * The SSZ types of the active preset, as a live binding: `ssz.BeaconState` always has the limits
 * of the preset chosen at start-up. Read `ssz.X` where it is used; a module-level copy of a type
 * would keep the limits of whatever preset was active when the module loaded.
 */
import type {ValueOf, CompositeViewDU} from "@chainsafe/ssz";
import {setHasher} from "@chainsafe/persistent-merkle-tree";
import {hasher as hashtreeHasher} from "@chainsafe/persistent-merkle-tree/hasher/hashtree";
import {ACTIVE_PRESET, onPresetChange, presets, type PresetName} from "../params/index.ts";
import {createPhase0Types, type Phase0Types} from "./phase0.ts";

export * as primitive from "./primitive.ts";
export {deserializeCanonical, NonCanonicalSszError} from "./canonical.ts";
export {createPhase0Types, type Phase0Types, type TypeOptions} from "./phase0.ts";
export type {AttesterDuty, HeadEvent, ProposerDuty} from "./beaconApi.ts";

const byPreset = new Map<PresetName, Phase0Types>();

/** The types of any preset, built once and kept (the types themselves are immutable). */
export function typesFor(name: PresetName): Phase0Types {
  let t = byPreset.get(name);
  if (t === undefined) {
    t = createPhase0Types(presets[name]);
    byPreset.set(name, t);
  }
  return t;
}

// Native SIMD sha256 for every merkleization (the library default is a pure-JS hasher); the
// roots are identical, the state transition's hashing is several times faster.
setHasher(hashtreeHasher);

// The preset active when this module loads (a process may select it before importing types).
export let ssz: Phase0Types = typesFor(ACTIVE_PRESET);
onPresetChange((name) => {
  ssz = typesFor(name);
});

type T = Phase0Types;
export type Fork = ValueOf<T["Fork"]>;
export type ForkData = ValueOf<T["ForkData"]>;
export type Checkpoint = ValueOf<T["Checkpoint"]>;
export type Validator = ValueOf<T["Validator"]>;
export type AttestationData = ValueOf<T["AttestationData"]>;
export type IndexedAttestation = ValueOf<T["IndexedAttestation"]>;
export type PendingAttestation = ValueOf<T["PendingAttestation"]>;
export type Eth1Data = ValueOf<T["Eth1Data"]>;
export type HistoricalBatch = ValueOf<T["HistoricalBatch"]>;
export type DepositMessage = ValueOf<T["DepositMessage"]>;
export type DepositData = ValueOf<T["DepositData"]>;
export type BeaconBlockHeader = ValueOf<T["BeaconBlockHeader"]>;
export type SignedBeaconBlockHeader = ValueOf<T["SignedBeaconBlockHeader"]>;
export type SigningData = ValueOf<T["SigningData"]>;
export type ProposerSlashing = ValueOf<T["ProposerSlashing"]>;
export type AttesterSlashing = ValueOf<T["AttesterSlashing"]>;
export type Attestation = ValueOf<T["Attestation"]>;
export type Deposit = ValueOf<T["Deposit"]>;
export type VoluntaryExit = ValueOf<T["VoluntaryExit"]>;
export type SignedVoluntaryExit = ValueOf<T["SignedVoluntaryExit"]>;
export type BeaconBlockBody = ValueOf<T["BeaconBlockBody"]>;
export type BeaconBlock = ValueOf<T["BeaconBlock"]>;
export type SignedBeaconBlock = ValueOf<T["SignedBeaconBlock"]>;
export type BeaconState = ValueOf<T["BeaconState"]>;
export type Eth1Block = ValueOf<T["Eth1Block"]>;
export type AggregateAndProof = ValueOf<T["AggregateAndProof"]>;
export type SignedAggregateAndProof = ValueOf<T["SignedAggregateAndProof"]>;
export type MetaData = ValueOf<T["MetaData"]>;
export type Status = ValueOf<T["Status"]>;
export type BeaconBlocksByRangeRequest = ValueOf<T["BeaconBlocksByRangeRequest"]>;
export type ENRForkID = ValueOf<T["ENRForkID"]>;

/** The tree-backed state the state transition mutates in place. */
export type BeaconStateView = CompositeViewDU<T["BeaconState"]>;
export type ValidatorView = CompositeViewDU<T["Validator"]>;

export type Slot = number;
export type Epoch = number;
export type ValidatorIndex = number;
export type CommitteeIndex = number;
export type Gwei = number;
export type Root = Uint8Array;
