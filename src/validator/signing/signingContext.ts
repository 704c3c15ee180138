/**
 * Domains and signing roots of everything a validator signs (validator.md), computed with the
 * state transition's own compute_domain / compute_signing_root from the node's fork schedule and
 * genesis_validators_root: the VC has no state, so the fork version of an epoch comes from the
 * schedule exactly as get_domain would pick it from `state.fork`.
 */
import {
  DOMAIN_AGGREGATE_AND_PROOF,
  DOMAIN_BEACON_ATTESTER,
  DOMAIN_BEACON_PROPOSER,
  DOMAIN_RANDAO,
  DOMAIN_SELECTION_PROOF,
  DOMAIN_VOLUNTARY_EXIT,
} from "../../params/index.ts";
import {computeDomain, computeEpochAtSlot, computeSigningRoot} from "../../state-transition/index.ts";
import {primitive, ssz, type AggregateAndProof, type AttestationData, type BeaconBlock, type VoluntaryExit} from "../../types/index.ts";
import {toHex} from "../../util/bytes.ts";
import {InputError} from "../../util/errors.ts";
import type {ForkScheduleEntry} from "../api/types.ts";

export class SigningContext {
  readonly genesisValidatorsRoot: Uint8Array;
  /** Sorted by epoch. */
  private readonly forks: ForkScheduleEntry[];
  private readonly domains = new Map<string, Uint8Array>();
  /** Selection proofs of one slot share a signing root; thousands of duties ask for a few slots. */
  private readonly selectionRoots = new Map<number, Uint8Array>();

  constructor(genesisValidatorsRoot: Uint8Array, forkSchedule: ForkScheduleEntry[]) {
    if (forkSchedule.length === 0) throw new InputError("the fork schedule is empty");
    this.genesisValidatorsRoot = genesisValidatorsRoot;
    this.forks = [...forkSchedule].sort((a, b) => a.epoch - b.epoch);
  }

  /** The fork version in force at `epoch`: get_domain's `state.fork` choice, from the schedule. */
  forkVersionAt(epoch: number): Uint8Array {
    let version = this.forks[0].epoch <= epoch ? this.forks[0].currentVersion : this.forks[0].previousVersion;
    for (const f of this.forks) if (f.epoch <= epoch) version = f.currentVersion;
    return version;
  }

  domain(domainType: Uint8Array, epoch: number): Uint8Array {
    const version = this.forkVersionAt(epoch);
    const key = `${toHex(domainType)}${toHex(version)}`;
    let d = this.domains.get(key);
    if (d === undefined) {
      d = computeDomain(domainType, version, this.genesisValidatorsRoot);
      this.domains.set(key, d);
    }
    return d;
  }

  /** get_epoch_signature: the randao reveal of `epoch`. */
  randaoRoot(epoch: number): Uint8Array {
    return computeSigningRoot(primitive.Epoch, epoch, this.domain(DOMAIN_RANDAO, epoch));
  }

  /** get_block_signature. */
  blockRoot(block: BeaconBlock): Uint8Array {
    return computeSigningRoot(ssz.BeaconBlock, block, this.domain(DOMAIN_BEACON_PROPOSER, computeEpochAtSlot(block.slot)));
  }

  /** get_attestation_signature: the domain of the target epoch. */
  attestationRoot(data: AttestationData): Uint8Array {
    return computeSigningRoot(ssz.AttestationData, data, this.domain(DOMAIN_BEACON_ATTESTER, data.target.epoch));
  }

  /** get_slot_signature: the aggregator selection proof. */
  selectionProofRoot(slot: number): Uint8Array {
    let root = this.selectionRoots.get(slot);
    if (root === undefined) {
      root = computeSigningRoot(primitive.Slot, slot, this.domain(DOMAIN_SELECTION_PROOF, computeEpochAtSlot(slot)));
      if (this.selectionRoots.size >= 64) this.selectionRoots.delete(this.selectionRoots.keys().next().value!);
      this.selectionRoots.set(slot, root);
    }
    return root;
  }

  /** get_aggregate_and_proof_signature. */
  aggregateAndProofRoot(aggregateAndProof: AggregateAndProof): Uint8Array {
    const epoch = computeEpochAtSlot(aggregateAndProof.aggregate.data.slot);
    return computeSigningRoot(ssz.AggregateAndProof, aggregateAndProof, this.domain(DOMAIN_AGGREGATE_AND_PROOF, epoch));
  }

  /** The voluntary exit's signing root (beacon-chain.md process_voluntary_exit): the domain of its epoch. */
  voluntaryExitRoot(exit: VoluntaryExit): Uint8Array {
    return computeSigningRoot(ssz.VoluntaryExit, exit, this.domain(DOMAIN_VOLUNTARY_EXIT, exit.epoch));
  }
}
