/** beacon-chain.md is_slashable_attestation_data, is_valid_indexed_attestation, get_attesting_indices. */
import {DOMAIN_BEACON_ATTESTER} from "../../params/index.ts";
import {verifySignatureSet, type SignatureSet} from "../../crypto/index.ts";
import {ssz, type Attestation, type AttestationData, type IndexedAttestation} from "../../types/index.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";
import {computeSigningRoot, getDomain} from "./domain.ts";

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

/** get_attesting_indices(state, attestation) as a sorted list. */
export function getAttestingIndices(s: CachedBeaconState, attestation: Pick<Attestation, "data" | "aggregation_bits">): number[] {
  return s.epochCtx.getAttestingIndices(attestation.data, attestation.aggregation_bits).sort((a, b) => a - b);
}

/** get_indexed_attestation. */
export function getIndexedAttestation(s: CachedBeaconState, attestation: Attestation): IndexedAttestation {
  return s.epochCtx.getIndexedAttestation(attestation);
}
