/**
 * Batch verification of the signatures a block (or a gossip batch) carries. All sets are checked
 * in one blst multi-verification (a random linear combination of the pairing equations), which
 * costs far less than verifying each set alone. Public keys arrive already deserialized and
 * validated (validator pubkey cache), signatures arrive as untrusted bytes.
 */
import * as blst from "@chainsafe/blst";
import {type PublicKey, Signature} from "@chainsafe/blst";
import {SIGNATURE_LENGTH} from "./bls.ts";

export type SignatureSet =
  | {type: "single"; pubkey: PublicKey; signingRoot: Uint8Array; signature: Uint8Array}
  | {type: "aggregate"; pubkeys: PublicKey[]; signingRoot: Uint8Array; signature: Uint8Array};

/**
 * Decodes a signature with the subgroup check. The point at infinity is refused: it verifies
 * only against the identity public key, which KeyValidate never admits.
 */
function decodeSignature(bytes: Uint8Array): Signature | null {
  if (!(bytes instanceof Uint8Array) || bytes.length !== SIGNATURE_LENGTH) return null;
  try {
    return Signature.fromBytes(bytes, true, true);
  } catch {
    return null;
  }
}

/**
 * The single public key a set is checked against: the key itself, or the sum of the keys of an
 * aggregate set (FastAggregateVerify). Null for an empty aggregate. A sum at infinity (which
 * KeyValidate would reject) needs no check of its own: it pairs to one only with the infinity
 * signature, and decodeSignature refuses that.
 */
function setPublicKey(set: SignatureSet): PublicKey | null {
  if (set.type === "single") return set.pubkey;
  if (set.pubkeys.length === 0) return null;
  if (set.pubkeys.length === 1) return set.pubkeys[0];
  try {
    return blst.aggregatePublicKeys(set.pubkeys, false);
  } catch {
    return null;
  }
}

/** Verifies one set on its own. Never throws. */
export function verifySignatureSet(set: SignatureSet): boolean {
  const pk = setPublicKey(set);
  if (pk === null) return false;
  const sig = decodeSignature(set.signature);
  if (sig === null) return false;
  try {
    return blst.verify(set.signingRoot, pk, sig, false, false);
  } catch {
    return false;
  }
}

/**
 * True when every set verifies, checked as one multi-verification. An empty list is trivially
 * valid. A malformed signature or an invalid aggregate key makes the whole batch false; use
 * `findInvalidSignatureSet` to locate the culprit.
 */
export function verifySignatureSets(sets: SignatureSet[]): boolean {
  if (sets.length === 0) return true;
  if (sets.length === 1) return verifySignatureSet(sets[0]);
  const batch: blst.SignatureSet[] = [];
  for (const set of sets) {
    const pk = setPublicKey(set);
    if (pk === null) return false;
    const sig = decodeSignature(set.signature);
    if (sig === null) return false;
    batch.push({msg: set.signingRoot, pk, sig});
  }
  try {
    return blst.verifyMultipleAggregateSignatures(batch, false, false);
  } catch {
    return false;
  }
}

/** Index of the first set that does not verify on its own, or -1 if all do. */
export function findInvalidSignatureSet(sets: SignatureSet[]): number {
  for (let i = 0; i < sets.length; i++) {
    if (!verifySignatureSet(sets[i])) return i;
  }
  return -1;
}
