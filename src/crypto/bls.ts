/**
 * The spec's `bls` module (phase0 beacon-chain.md "BLS signatures": IETF BLS draft v4, ciphersuite
 * BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_) as functions on serialized bytes, on top of
 * @chainsafe/blst.
 *
 * Verification functions take untrusted bytes and never throw: anything undecodable, of the
 * wrong length, the point at infinity where a key is expected, or outside the prime-order
 * subgroup makes them return false. Hot paths that verify many signatures should decode public
 * keys once (`deserializePubkey`) and use signatureSets.ts instead.
 */
import * as blst from "@chainsafe/blst";
import {PublicKey, SecretKey, Signature} from "@chainsafe/blst";
import {CryptoError} from "./errors.ts";

export {PublicKey, SecretKey, Signature};

export const SECRET_KEY_LENGTH = 32;
/** Compressed G1 point: the spec's BLSPubkey (Bytes48). */
export const PUBKEY_LENGTH = 48;
/** Compressed G2 point: the spec's BLSSignature (Bytes96). */
export const SIGNATURE_LENGTH = 96;

/**
 * KeyValidate: decodes a compressed public key and checks that it is not the point at infinity
 * and lies in the G1 subgroup. Returns null when any check fails.
 */
function decodePubkey(bytes: Uint8Array): PublicKey | null {
  if (!(bytes instanceof Uint8Array) || bytes.length !== PUBKEY_LENGTH) return null;
  try {
    return PublicKey.fromBytes(bytes, true);
  } catch {
    return null;
  }
}

/** KeyValidate of every key; null when any fails. */
function decodePubkeys(pks: Uint8Array[]): PublicKey[] | null {
  const keys: PublicKey[] = [];
  for (const pk of pks) {
    const key = decodePubkey(pk);
    if (key === null) return null;
    keys.push(key);
  }
  return keys;
}

/**
 * signature_to_point followed by signature_subgroup_check. The point at infinity is a valid
 * signature encoding (the aggregate of nothing signed), so it is accepted here; pairing checks
 * reject it later against any valid key.
 */
function decodeSignature(bytes: Uint8Array): Signature | null {
  if (!(bytes instanceof Uint8Array) || bytes.length !== SIGNATURE_LENGTH) return null;
  try {
    return Signature.fromBytes(bytes, true, false);
  } catch {
    return null;
  }
}

/** Parses a 32-byte big-endian secret key in [1, r). */
export function secretKeyFromBytes(bytes: Uint8Array): SecretKey {
  if (!(bytes instanceof Uint8Array) || bytes.length !== SECRET_KEY_LENGTH) {
    throw new CryptoError("BLS_INVALID_SECRET_KEY", `secret key must be ${SECRET_KEY_LENGTH} bytes`);
  }
  try {
    return SecretKey.fromBytes(bytes);
  } catch (e) {
    // blst refuses 0 and values >= the curve order r with the same code.
    throw new CryptoError("BLS_INVALID_SECRET_KEY", "secret key is zero or not below the curve order", {cause: e});
  }
}

/** Deserializes and validates a public key once, for caches (e.g. validator index -> key). */
export function deserializePubkey(bytes: Uint8Array): PublicKey {
  const pk = decodePubkey(bytes);
  if (pk === null) {
    throw new CryptoError("BLS_INVALID_PUBKEY", "public key is malformed, the point at infinity, or outside G1");
  }
  return pk;
}

/** Deserializes a signature with the subgroup check; throws a typed error when it is not valid. */
export function deserializeSignature(bytes: Uint8Array): Signature {
  const sig = decodeSignature(bytes);
  if (sig === null) {
    throw new CryptoError("BLS_INVALID_SIGNATURE", "signature is malformed or outside G2");
  }
  return sig;
}

/** Sign(SK, message): the compressed signature. */
export function sign(sk: SecretKey, msg: Uint8Array): Uint8Array {
  return sk.sign(msg).toBytes();
}

/** SkToPk: the compressed public key of a secret key (object or 32 big-endian bytes). */
export function skToPk(sk: SecretKey | Uint8Array): Uint8Array {
  const key = sk instanceof Uint8Array ? secretKeyFromBytes(sk) : sk;
  return key.toPublicKey().toBytes();
}

/** KeyValidate(PK). */
export function keyValidate(pk: Uint8Array): boolean {
  return decodePubkey(pk) !== null;
}

/** Verify(PK, message, signature). */
export function verify(pk: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
  const publicKey = decodePubkey(pk);
  if (publicKey === null) return false;
  const signature = decodeSignature(sig);
  if (signature === null) return false;
  try {
    return blst.verify(msg, publicKey, signature, false, false);
  } catch {
    return false;
  }
}

/**
 * Aggregate of signatures already verified (each decoded with its subgroup check when it was):
 * decoding skips the subgroup check, most of a decode's cost. A point passes through as is, so a
 * running aggregate kept as a point is never decoded again.
 */
export function aggregateVerified(sigs: (Signature | Uint8Array)[]): Signature {
  if (sigs.length === 0) throw new CryptoError("BLS_EMPTY_AGGREGATE", "cannot aggregate an empty list of signatures");
  const points = sigs.map((s, i) => {
    if (!(s instanceof Uint8Array)) return s;
    try {
      return Signature.fromBytes(s, false, false);
    } catch (e) {
      throw new CryptoError("BLS_INVALID_SIGNATURE", `signature ${i} is malformed`, {cause: e});
    }
  });
  return blst.aggregateSignatures(points, false);
}

/**
 * Aggregate(signatures). Fails (the IETF "INVALID") on an empty list or on any signature that
 * does not decode to a subgroup point; the point at infinity aggregates like any other.
 */
export function aggregate(sigs: Uint8Array[]): Uint8Array {
  if (sigs.length === 0) throw new CryptoError("BLS_EMPTY_AGGREGATE", "cannot aggregate an empty list of signatures");
  const points: Signature[] = [];
  for (let i = 0; i < sigs.length; i++) {
    const sig = decodeSignature(sigs[i]);
    if (sig === null) throw new CryptoError("BLS_INVALID_SIGNATURE", `signature ${i} is malformed or outside G2`);
    points.push(sig);
  }
  return blst.aggregateSignatures(points, false).toBytes();
}

/**
 * FastAggregateVerify(PKs, message, signature): every key must pass KeyValidate (proof of
 * possession is assumed, as for validator keys); an empty key list is invalid.
 */
export function fastAggregateVerify(pks: Uint8Array[], msg: Uint8Array, sig: Uint8Array): boolean {
  if (pks.length === 0) return false;
  const keys = decodePubkeys(pks);
  if (keys === null) return false;
  const signature = decodeSignature(sig);
  if (signature === null) return false;
  try {
    return blst.fastAggregateVerify(msg, keys, signature, false);
  } catch {
    return false;
  }
}

/**
 * AggregateVerify(PKs, messages, signature) of the proof-of-possession scheme: one message per
 * key, at least one pair, messages need not be distinct.
 */
export function aggregateVerify(pks: Uint8Array[], msgs: Uint8Array[], sig: Uint8Array): boolean {
  if (pks.length === 0 || pks.length !== msgs.length) return false;
  const keys = decodePubkeys(pks);
  if (keys === null) return false;
  const signature = decodeSignature(sig);
  if (signature === null) return false;
  try {
    return blst.aggregateVerify(msgs, keys, signature, false, false);
  } catch {
    return false;
  }
}
