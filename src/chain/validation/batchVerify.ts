/** Batched signature verification shared by the attestation and aggregate validations. */
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
