/**
 * Batch verification of the signatures a block (or a gossip batch) carries. All sets are checked
 * in one blst multi-verification (a random linear combination of the pairing equations), which
 * costs far less than verifying each set alone. Public keys arrive already deserialized and
 * validated (validator pubkey cache), signatures arrive as untrusted bytes.
 *
 * These functions run on the calling thread; blsPool.ts runs the same checks on worker threads.
 */
import * as blst from "@chainsafe/blst";
import {type PublicKey, Signature} from "@chainsafe/blst";
import {SIGNATURE_LENGTH} from "./bls.ts";

export type SignatureSet =
  | {type: "single"; pubkey: PublicKey; signingRoot: Uint8Array; signature: Uint8Array}
  | {type: "aggregate"; pubkeys: PublicKey[]; signingRoot: Uint8Array; signature: Uint8Array};

/**
 * Decodes a set's signature with the subgroup check. The point at infinity is refused: it
 * verifies only against the identity public key, which KeyValidate never admits.
 */
export function decodeSetSignature(bytes: Uint8Array): Signature | null {
  if (!(bytes instanceof Uint8Array) || bytes.length !== SIGNATURE_LENGTH) return null;
  try {
    return Signature.fromBytes(bytes, true, true);
  } catch {
    return null;
  }
}

/**
 * The single public key a set is checked against: the key itself, or the sum of the keys of an
 * aggregate set (FastAggregateVerify). Null for an empty aggregate. The keys were validated when
 * they were cached, so the sum does not validate them again. A sum at infinity (which KeyValidate
 * would reject) needs no check of its own: it pairs to one only with the infinity signature, and
 * decodeSetSignature refuses that.
 */
export function getSignatureSetPublicKey(set: SignatureSet): PublicKey | null {
  if (set.type === "single") return set.pubkey;
  if (set.pubkeys.length === 0) return null;
  if (set.pubkeys.length === 1) return set.pubkeys[0];
  try {
    return blst.aggregatePublicKeys(set.pubkeys, false);
  } catch {
    return null;
  }
}

/**
 * One multi-verification of decoded sets (one set: a plain verification, which costs less).
 * blst draws fresh random scalars on every call, so disjoint parts of a batch verified by
 * separate calls are each as sound as the whole: the batch is valid iff every part is.
 */
export function verifyDecodedSets(batch: blst.SignatureSet[]): boolean {
  if (batch.length === 0) return true;
  try {
    if (batch.length === 1) return blst.verify(batch[0].msg, batch[0].pk, batch[0].sig, false, false);
    return blst.verifyMultipleAggregateSignatures(batch, false, false);
  } catch {
    return false;
  }
}

/** Verifies one set on its own. Never throws. */
export function verifySignatureSet(set: SignatureSet): boolean {
  const pk = getSignatureSetPublicKey(set);
  if (pk === null) return false;
  const sig = decodeSetSignature(set.signature);
  if (sig === null) return false;
  return verifyDecodedSets([{msg: set.signingRoot, pk, sig}]);
}

/**
 * True when every set verifies, checked as one multi-verification. An empty list is trivially
 * valid. A malformed signature or an invalid aggregate key makes the whole batch false; use
 * `findInvalidSignatureSet` to locate the culprit.
 */
export function verifySignatureSets(sets: SignatureSet[]): boolean {
  const batch: blst.SignatureSet[] = [];
  for (const set of sets) {
    const pk = getSignatureSetPublicKey(set);
    if (pk === null) return false;
    const sig = decodeSetSignature(set.signature);
    if (sig === null) return false;
    batch.push({msg: set.signingRoot, pk, sig});
  }
  return verifyDecodedSets(batch);
}

/** Index of the first set that does not verify on its own, or -1 if all do. */
export function findInvalidSignatureSet(sets: SignatureSet[]): number {
  for (let i = 0; i < sets.length; i++) {
    if (!verifySignatureSet(sets[i])) return i;
  }
  return -1;
}
