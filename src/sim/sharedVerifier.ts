/**
 * Signature verification shared by the nodes of one run. Every node still has every signature it
 * relies on checked by blst, but a signature set that already verified for one node (the same
 * message, keys and signature) is not verified again for the next: the nodes of a simulation see
 * the same gossip, and repeating the pairings would measure nothing but BLS four times over.
 * Only sets that verified are remembered; a batch with a new set is verified as a batch.
 */
import {verifySignatureSets, type AsyncSignatureVerifier, type SignatureSet} from "../crypto/index.ts";
import {toHex} from "../util/bytes.ts";

/** Sets remembered at most (first in, first out): a few epochs of a large run's signatures. */
const DEFAULT_CAPACITY = 500_000;

export class SharedVerifier implements AsyncSignatureVerifier {
  private readonly verified = new Set<string>();
  private readonly capacity: number;
  /** Sets answered from the shared verdicts / verified by blst. */
  hits = 0;
  verifiedSets = 0;

  constructor(capacity = DEFAULT_CAPACITY) {
    this.capacity = capacity;
  }

  verifySignatureSets(sets: SignatureSet[]): Promise<boolean> {
    const fresh: SignatureSet[] = [];
    const keys: string[] = [];
    for (const set of sets) {
      const key = setKey(set);
      if (this.verified.has(key)) {
        this.hits++;
        continue;
      }
      fresh.push(set);
      keys.push(key);
    }
    if (fresh.length === 0) return Promise.resolve(true);
    this.verifiedSets += fresh.length;
    const valid = verifySignatureSets(fresh);
    if (valid) for (const key of keys) this.remember(key);
    return Promise.resolve(valid);
  }

  private remember(key: string): void {
    if (this.verified.size >= this.capacity) {
      const oldest = this.verified.values().next().value;
      if (oldest !== undefined) this.verified.delete(oldest);
    }
    this.verified.add(key);
  }
}

/** The message, the signature and every key, in order: two sets with equal keys are the same check. */
function setKey(set: SignatureSet): string {
  const pubkeys = set.type === "single" ? [set.pubkey] : set.pubkeys;
  let key = toHex(set.signingRoot) + toHex(set.signature);
  for (const pk of pubkeys) key += toHex(pk.toBytes(true));
  return key;
}
