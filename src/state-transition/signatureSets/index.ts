/**
 * Every signature a block carries, as sets for one batch verification: the block signature
 * (optional), the RANDAO reveal, and those of its proposer slashings, attester slashings,
 * attestations and voluntary exits. Computed on the state after process_slots and before
 * process_block: none of these sets depends on what the block's own operations change.
 */
import type {SignatureSet} from "../../crypto/index.ts";
import type {Attestation, SignedBeaconBlock} from "../../types/index.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";
import {getBlockProposerSignatureSet, getRandaoRevealSignatureSet} from "./proposer.ts";
import {
  getAttestationSignatureSet,
  getAttesterSlashingSignatureSets,
  getProposerSlashingSignatureSets,
  getVoluntaryExitSignatureSet,
} from "./operations.ts";

export * from "./proposer.ts";
export * from "./operations.ts";

export function getBlockSignatureSets(
  s: CachedBeaconState,
  signedBlock: SignedBeaconBlock,
  opts: {
    skipProposerSignature?: boolean;
    /** Attestations whose set is left out (their aggregate signature already verified). */
    skipAttestation?: (attestation: Attestation) => boolean;
  } = {}
): SignatureSet[] {
  const body = signedBlock.message.body;
  const sets: SignatureSet[] = [];
  if (!opts.skipProposerSignature) sets.push(getBlockProposerSignatureSet(s, signedBlock));
  sets.push(getRandaoRevealSignatureSet(s, body));
  for (const op of body.proposer_slashings) sets.push(...getProposerSlashingSignatureSets(s, op));
  for (const op of body.attester_slashings) sets.push(...getAttesterSlashingSignatureSets(s, op));
  for (const op of body.attestations) {
    if (opts.skipAttestation?.(op) !== true) sets.push(getAttestationSignatureSet(s, op));
  }
  for (const op of body.voluntary_exits) sets.push(getVoluntaryExitSignatureSet(s, op));
  return sets;
}
