/**
 * beacon-chain.md is_slashable_attestation_data, is_valid_indexed_attestation,
 * get_beacon_committee / get_attesting_indices / get_indexed_attestation with the spec's semantics.
 */
import {DOMAIN_BEACON_ATTESTER, SLOTS_PER_EPOCH} from "../../params/index.ts";
import {verifySignatureSet, type SignatureSet} from "../../crypto/index.ts";
import {ssz, type Attestation, type AttestationData, type IndexedAttestation, type Slot} from "../../types/index.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";
import {StateTransitionError} from "../errors.ts";
import {computeSigningRoot, getDomain} from "./domain.ts";
import {computeEpochAtSlot} from "./epoch.ts";

export function isSlashableAttestationData(data1: AttestationData, data2: AttestationData): boolean {
  return (
    // Double vote
    (!ssz.AttestationData.equals(data1, data2) && data1.target.epoch === data2.target.epoch) ||
    // Surround vote
    (data1.source.epoch < data2.source.epoch && data2.target.epoch < data1.target.epoch)
  );
}

/**
 * The structural half of is_valid_indexed_attestation: indices non-empty, sorted, unique, and
 * naming existing validators (the spec's `state.validators[i]` would fail otherwise). Returns the
 * reason it fails, or null.
 */
export function indexedAttestationStructureError(s: CachedBeaconState, indexed: IndexedAttestation): string | null {
  const indices = indexed.attesting_indices;
  if (indices.length === 0) return "no attesting indices";
  const count = s.state.validators.length;
  for (let i = 0; i < indices.length; i++) {
    if (i > 0 && !(indices[i] > indices[i - 1])) return "attesting indices are not sorted and unique";
  }
  if (!(indices[indices.length - 1] < count)) return `attesting index ${indices[indices.length - 1]} is not a validator`;
  return null;
}

/** The signature set of an indexed attestation (FastAggregateVerify over its validators' keys). */
export function getIndexedAttestationSignatureSet(s: CachedBeaconState, indexed: IndexedAttestation): SignatureSet {
  const domain = getDomain(s.state, DOMAIN_BEACON_ATTESTER, indexed.data.target.epoch);
  const pubkeys = indexed.attesting_indices.map((i) => s.epochCtx.index2pubkey(i));
  return {
    type: "aggregate",
    pubkeys,
    signingRoot: computeSigningRoot(ssz.AttestationData, indexed.data, domain),
    signature: indexed.signature,
  };
}

/** is_valid_indexed_attestation; `verifySignature: false` checks everything but the signature. */
export function isValidIndexedAttestation(s: CachedBeaconState, indexed: IndexedAttestation, verifySignature = true): boolean {
  if (indexedAttestationStructureError(s, indexed) !== null) return false;
  if (!verifySignature) return true;
  try {
    return verifySignatureSet(getIndexedAttestationSignatureSet(s, indexed));
  } catch {
    // A registry key that is not a valid point fails verification.
    return false;
  }
}

/**
 * get_beacon_committee(state, slot, index) for any committee index, as the spec computes it.
 * compute_committee takes committee number g = (slot % SLOTS_PER_EPOCH) * committees_per_slot +
 * index of the epoch's committees_per_slot * SLOTS_PER_EPOCH, so an index at or above
 * committees_per_slot is not refused: it names a committee of a later slot of the same epoch.
 * Only process_attestation checks the index against the count. Past the epoch's last committee
 * the spec fails (compute_shuffled_index's assertion, or a uint64 overflow) or, with fewer active
 * validators than committees, returns an empty committee; both make on_attestation refuse the
 * attestation (an empty index set is not a valid indexed attestation), and this throws.
 */
export function getBeaconCommitteeAnyIndex(s: CachedBeaconState, slot: Slot, index: number): Uint32Array {
  const shuffling = s.epochCtx.getShufflingAtEpoch(computeEpochAtSlot(slot));
  const perSlot = shuffling.committeesPerSlot;
  const g = (slot % SLOTS_PER_EPOCH) * perSlot + index;
  if (!Number.isSafeInteger(index) || index < 0 || !(g < perSlot * SLOTS_PER_EPOCH)) {
    throw new StateTransitionError(
      "COMMITTEE_INDEX_OUT_OF_RANGE",
      `committee index ${index} at slot ${slot} is past the last of the epoch's ${perSlot * SLOTS_PER_EPOCH} committees`
    );
  }
  return shuffling.committees[Math.floor(g / perSlot)][g % perSlot];
}

/**
 * get_attesting_indices(state, attestation) with the spec's semantics, as on_attestation needs
 * them (process_attestation's stricter checks are EpochContext.getIndexedAttestation's): the
 * committee of any index (getBeaconCommitteeAnyIndex), and the bits read at the committee's
 * positions only. Bits past the committee are ignored; a bitlist shorter than the committee
 * fails (the spec's Bitlist read out of range). Committee order; the spec returns a set.
 */
export function getAttestingIndices(s: CachedBeaconState, attestation: Pick<Attestation, "data" | "aggregation_bits">): number[] {
  const {data, aggregation_bits: bits} = attestation;
  const committee = getBeaconCommitteeAnyIndex(s, data.slot, data.index);
  if (bits.bitLen < committee.length) {
    throw new StateTransitionError(
      "AGGREGATION_BITS_TOO_SHORT",
      `aggregation bits length ${bits.bitLen} is shorter than the committee size ${committee.length}`
    );
  }
  const out: number[] = [];
  const bytes = bits.uint8Array;
  for (let i = 0; i < committee.length; i++) {
    if ((bytes[i >> 3] >> (i & 7)) & 1) out.push(committee[i]);
  }
  return out;
}

/** get_indexed_attestation with the spec's semantics (see getAttestingIndices): indices sorted. */
export function getIndexedAttestation(s: CachedBeaconState, attestation: Attestation): IndexedAttestation {
  const {data, aggregation_bits: bits} = attestation;
  // Where process_attestation's checks hold both agree: share the block path's cached result.
  if (data.index < s.epochCtx.getCommitteeCountPerSlot(computeEpochAtSlot(data.slot))) {
    if (bits.bitLen === s.epochCtx.getBeaconCommittee(data.slot, data.index).length) return s.epochCtx.getIndexedAttestation(attestation);
  }
  const indices = getAttestingIndices(s, attestation).sort((a, b) => a - b);
  return {attesting_indices: indices, data, signature: attestation.signature};
}
