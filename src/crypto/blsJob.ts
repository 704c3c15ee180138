/**
 * The messages between a BLS worker pool and its worker threads. A job travels in two parts on
 * the same (ordered) port, so that the worker decodes and subgroup-checks the signatures while
 * the pool's thread is still summing the jobs' public keys (the keys live on that thread, in the
 * pubkey cache):
 * 1. `signatures`: per set the signature as received (96 bytes) and the 32-byte signing root;
 * 2. `pubkeys`: per set the aggregate public key, uncompressed (96 bytes: decoded without a
 *    square root or a subgroup check, both done when the keys were cached), or null when the
 *    pool found the job invalid while summing; the worker answers after this part.
 */
import {PublicKey, type Signature} from "@chainsafe/blst";
import type * as blst from "@chainsafe/blst";
import {SIGNATURE_LENGTH} from "./bls.ts";
import {decodeSetSignature, getSignatureSetPublicKey, verifyDecodedSets, type SignatureSet} from "./signatureSets.ts";

const PUBKEY_UNCOMPRESSED_LENGTH = 96;
const ROOT_LENGTH = 32;

export interface BlsSignaturesPart {
  kind: "signatures";
  id: number;
  count: number;
  /** count * 96 bytes. */
  signatures: Uint8Array;
  /** count * 32 bytes. */
  roots: Uint8Array;
}

export interface BlsPubkeysPart {
  kind: "pubkeys";
  id: number;
  /** count * 96 bytes, or null: the job is invalid, answer false. */
  pubkeys: Uint8Array | null;
}

export interface BlsJobResponse {
  id: number;
  valid: boolean;
}

/**
 * The signatures part of a job, or `invalid` (a signature of the wrong length: the batch cannot
 * verify) or `unpackable` (a signing root that is not 32 bytes: verify those sets where they are).
 */
export function packSignatures(
  id: number,
  sets: SignatureSet[]
): {kind: "part"; part: BlsSignaturesPart} | {kind: "invalid"} | {kind: "unpackable"} {
  const signatures = new Uint8Array(sets.length * SIGNATURE_LENGTH);
  const roots = new Uint8Array(sets.length * ROOT_LENGTH);
  for (let i = 0; i < sets.length; i++) {
    const {signature, signingRoot} = sets[i];
    if (!(signingRoot instanceof Uint8Array) || signingRoot.length !== ROOT_LENGTH) return {kind: "unpackable"};
    if (!(signature instanceof Uint8Array) || signature.length !== SIGNATURE_LENGTH) return {kind: "invalid"};
    signatures.set(signature, i * SIGNATURE_LENGTH);
    roots.set(signingRoot, i * ROOT_LENGTH);
  }
  return {kind: "part", part: {kind: "signatures", id, count: sets.length, signatures, roots}};
}

/** The pubkeys part: each set's key, aggregate keys summed here. Null pubkeys for an empty aggregate. */
export function packPublicKeys(id: number, sets: SignatureSet[]): BlsPubkeysPart {
  const pubkeys = new Uint8Array(sets.length * PUBKEY_UNCOMPRESSED_LENGTH);
  for (let i = 0; i < sets.length; i++) {
    const pk = getSignatureSetPublicKey(sets[i]);
    if (pk === null) return {kind: "pubkeys", id, pubkeys: null};
    pubkeys.set(pk.toBytes(false), i * PUBKEY_UNCOMPRESSED_LENGTH);
  }
  return {kind: "pubkeys", id, pubkeys};
}

/** A job between its two parts, on the worker: the decoded signatures, or null if one is invalid. */
export interface DecodedSignatures {
  signatures: Signature[] | null;
  roots: Uint8Array;
  count: number;
}

export function decodeSignaturesPart(part: BlsSignaturesPart): DecodedSignatures {
  const {count, signatures: bytes, roots} = part;
  if (!Number.isInteger(count) || count < 0 || bytes.length !== count * SIGNATURE_LENGTH || roots.length !== count * ROOT_LENGTH) {
    return {signatures: null, roots, count};
  }
  const signatures: Signature[] = [];
  for (let i = 0; i < count; i++) {
    const sig = decodeSetSignature(bytes.subarray(i * SIGNATURE_LENGTH, (i + 1) * SIGNATURE_LENGTH));
    if (sig === null) return {signatures: null, roots, count};
    signatures.push(sig);
  }
  return {signatures, roots, count};
}

/** Verifies a job once both parts are in. Never throws. */
export function verifyJob(decoded: DecodedSignatures, pubkeys: Uint8Array | null): boolean {
  const {signatures, roots, count} = decoded;
  if (signatures === null || pubkeys === null || pubkeys.length !== count * PUBKEY_UNCOMPRESSED_LENGTH) return false;
  const batch: blst.SignatureSet[] = [];
  for (let i = 0; i < count; i++) {
    let pk: PublicKey;
    try {
      pk = PublicKey.fromBytes(pubkeys.subarray(i * PUBKEY_UNCOMPRESSED_LENGTH, (i + 1) * PUBKEY_UNCOMPRESSED_LENGTH), false);
    } catch {
      return false;
    }
    batch.push({msg: roots.subarray(i * ROOT_LENGTH, (i + 1) * ROOT_LENGTH), pk, sig: signatures[i]});
  }
  return verifyDecodedSets(batch);
}
