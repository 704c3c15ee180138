/**
 * Unaggregated attestations from the API, validated as p2p-interface.md's beacon_attestation
 * (without the subnet check: the API has no subnet): cheap checks per item, then every
 * signature of the batch in one multi-verification on the chain's BLS verifier. Accepted ones go to the pool, fork choice
 * (once their slot is over), liveness and the `attestation` event.
 *
 * Resubmitting an attestation already accepted succeeds (the same validator, target epoch and
 * data): a restarted validator client may send it again. A different attestation of the same
 * validator for the same target epoch is refused.
 */
import {findInvalidSignatureSet, type SignatureSet} from "../../crypto/index.ts";
import type {Attestation} from "../../types/index.ts";
import {GnomonError} from "../../util/errors.ts";
import type {BeaconChain} from "../chain.ts";
import {AttestationError, AttestationErrorCode} from "../errors.ts";
import type {ItemFailure} from "../interface.ts";
import {attestationSigningRoot, validateAttestationData, type ValidatedData} from "./attestationData.ts";
import {applyVoteToForkChoice} from "./pendingForkChoice.ts";

interface Candidate {
  index: number;
  attestation: Attestation;
  validated: ValidatedData;
  validatorIndex: number;
  signatureSet: SignatureSet;
}

export async function submitAttestations(chain: BeaconChain, attestations: Attestation[]): Promise<ItemFailure[]> {
  const failures: ItemFailure[] = [];
  const candidates: Candidate[] = [];
  /** Refused as a second vote of the same target epoch: still evidence for a slasher once its signature verifies. */
  const conflicting: Candidate[] = [];
  /** Validators of this batch by target epoch, with their data root. */
  const inBatch = new Map<string, string>();

  attestations.forEach((attestation, index) => {
    try {
      const validated = validateAttestationData(chain, attestation.data);
      const bits = attestation.aggregation_bits;
      if (bits.bitLen !== validated.committee.length) {
        throw new AttestationError(
          AttestationErrorCode.WRONG_NUMBER_OF_AGGREGATION_BITS,
          `aggregation bits length ${bits.bitLen} differs from the committee size ${validated.committee.length}`
        );
      }
      const bit = bits.getSingleTrueBit();
      if (bit === null) {
        throw new AttestationError(AttestationErrorCode.NOT_EXACTLY_ONE_AGGREGATION_BIT_SET, "an unaggregated attestation must have exactly one bit set");
      }
      const validatorIndex = validated.committee[bit];
      const targetEpoch = attestation.data.target.epoch;
      const key = `${targetEpoch}:${validatorIndex}`;
      const seen = chain.seenAttesters.get(targetEpoch, validatorIndex) ?? inBatch.get(key);
      if (seen !== undefined) {
        if (seen === validated.dataRootHex) return; // the same attestation again: accepted before
        if (chain.slasherInput !== null) conflicting.push(signedCandidate(index, attestation, validated, validatorIndex));
        throw new AttestationError(
          AttestationErrorCode.PRIOR_ATTESTATION_KNOWN,
          `validator ${validatorIndex} already attested to a different data in epoch ${targetEpoch}`
        );
      }
      inBatch.set(key, validated.dataRootHex);
      candidates.push(signedCandidate(index, attestation, validated, validatorIndex));
    } catch (e) {
      failures.push(toFailure(index, e));
    }
  });

  for (const c of await verifyCandidates(chain, candidates, failures)) accept(chain, c);
  if (conflicting.length > 0) {
    for (const c of await verifyCandidates(chain, conflicting, [])) {
      chain.slasherInput?.onValidatedAttestation({attesting_indices: [c.validatorIndex], data: c.attestation.data, signature: c.attestation.signature});
    }
  }
  failures.sort((a, b) => a.index - b.index);
  return failures;
}

function signedCandidate(index: number, attestation: Attestation, validated: ValidatedData, validatorIndex: number): Candidate {
  const s = validated.targetState;
  const signatureSet: SignatureSet = {
    type: "single",
    pubkey: s.epochCtx.index2pubkey(validatorIndex),
    signingRoot: attestationSigningRoot(s, attestation.data),
    signature: attestation.signature,
  };
  return {index, attestation, validated, validatorIndex, signatureSet};
}

/** The candidates whose signature verifies; the others become failures. */
async function verifyCandidates(chain: BeaconChain, candidates: Candidate[], failures: ItemFailure[]): Promise<Candidate[]> {
  if (await chain.blsVerifier.verifySignatureSets(candidates.map((c) => c.signatureSet))) return candidates;
  const valid: Candidate[] = [];
  let rest = candidates;
  for (;;) {
    const bad = findInvalidSignatureSet(rest.map((c) => c.signatureSet));
    if (bad < 0) {
      valid.push(...rest);
      break;
    }
    valid.push(...rest.slice(0, bad));
    failures.push({index: rest[bad].index, code: AttestationErrorCode.INVALID_SIGNATURE, message: "invalid attestation signature"});
    rest = rest.slice(bad + 1);
  }
  return valid;
}

function accept(chain: BeaconChain, c: Candidate): void {
  const {attestation, validated, validatorIndex} = c;
  const data = attestation.data;
  chain.seenAttesters.add(data.target.epoch, validatorIndex, validated.dataRootHex);
  chain.attestationPool.add(attestation, validated.dataRoot);
  chain.liveness.markLive(data.target.epoch, validatorIndex);
  applyVoteToForkChoice(chain, {
    slot: data.slot,
    beaconBlockRoot: validated.beaconBlockRootHex,
    targetEpoch: data.target.epoch,
    targetRoot: validated.targetRootHex,
    indices: [validatorIndex],
  });
  chain.events.emit("attestation", attestation);
  chain.slasherInput?.onValidatedAttestation({attesting_indices: [validatorIndex], data, signature: attestation.signature});
}

export function toFailure(index: number, e: unknown): ItemFailure {
  if (e instanceof GnomonError) return {index, code: e.code, message: e.message};
  throw e;
}
