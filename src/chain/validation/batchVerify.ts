/** Batched signature verification shared by the attestation and aggregate validations. */
import {asyncAggregateWithRandomness} from "@chainsafe/blst";
import type {AsyncSignatureVerifier, SignatureSet} from "../../crypto/index.ts";

/**
 * Whether each group of sets verifies: all groups in one multi-verification first (the common
 * case: everything valid), and only when that fails each group on its own, in parallel on the
 * verifier (the node's worker pool), so one bad message does not condemn its batch.
 */
export async function verifySetGroups(verifier: AsyncSignatureVerifier, groups: SignatureSet[][]): Promise<boolean[]> {
  if (groups.length === 0) return [];
  if (await verifier.verifySignatureSets(groups.flat())) return groups.map(() => true);
  if (groups.length === 1) return [false];
  return Promise.all(groups.map((g) => verifier.verifySignatureSets(g)));
}

/**
 * Whether each single-key set verifies, for sets of which many sign the same message (the
 * attestations of one committee): the sets of one message are first combined into one with
 * random blinding (blst's aggregate-with-randomness: sum of r_i*pk_i against sum of r_i*sig_i,
 * with infinity and subgroup checks of every signature), which costs one hash-to-curve and one
 * pairing per message instead of one per set; the combined sets then verify as one batch on the
 * verifier. A message whose combination fails is decided set by set.
 */
export async function verifySameMessageSets(verifier: AsyncSignatureVerifier, sets: SingleSet[]): Promise<boolean[]> {
  const groups = new Map<string, number[]>();
  sets.forEach((s, i) => {
    const key = Buffer.from(s.signingRoot.buffer, s.signingRoot.byteOffset, s.signingRoot.length).toString("hex");
    const g = groups.get(key);
    if (g === undefined) groups.set(key, [i]);
    else g.push(i);
  });
  const members = [...groups.values()];
  const combined = await Promise.all(members.map((m) => combine(sets, m)));
  const valid = await verifySetGroups(
    verifier,
    combined.map((c, k) => (c === null ? members[k].map((i) => sets[i]) : [c]))
  );
  const out: boolean[] = new Array(sets.length).fill(false);
  await Promise.all(
    members.map(async (m, k) => {
      if (valid[k]) {
        for (const i of m) out[i] = true;
        return;
      }
      if (m.length === 1) return;
      const each = await Promise.all(m.map((i) => verifier.verifySignatureSets([sets[i]])));
      m.forEach((i, j) => (out[i] = each[j]));
    })
  );
  return out;
}

type SingleSet = Extract<SignatureSet, {type: "single"}>;

/** The blinded combination of the sets of one message; null when a signature does not decode. */
async function combine(sets: SingleSet[], members: number[]): Promise<SingleSet | null> {
  if (members.length === 1) return sets[members[0]];
  try {
    const {pk, sig} = await asyncAggregateWithRandomness(members.map((i) => ({pk: sets[i].pubkey, sig: sets[i].signature})));
    return {type: "single", pubkey: pk, signingRoot: sets[members[0]].signingRoot, signature: sig.toBytes()};
  } catch {
    return null;
  }
}
