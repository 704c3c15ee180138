/**
 * SignedAggregateAndProofs from the API, validated as p2p-interface.md's
 * beacon_aggregate_and_proof: the shared data checks, participants, the aggregator's selection
 * (validator.md is_aggregator) and membership, then the selection proof, the aggregator's
 * signature and the aggregate signature, all sets of the batch in one multi-verification.
 * An aggregate already covered by a seen one is accepted without effect.
 */
import {
  digest,
  findInvalidSignatureSet,
  verifySignatureSets,
  type SignatureSet,
} from "../../crypto/index.ts";
import {DOMAIN_AGGREGATE_AND_PROOF, DOMAIN_SELECTION_PROOF, TARGET_AGGREGATORS_PER_COMMITTEE} from "../../params/index.ts";
import {computeSigningRoot, getDomain} from "../../state-transition/index.ts";
import {primitive, ssz, type SignedAggregateAndProof} from "../../types/index.ts";
import type {BeaconChain} from "../chain.ts";
import {AttestationError, AttestationErrorCode} from "../errors.ts";
import type {ItemFailure} from "../interface.ts";
import {countBits} from "../opPools/bits.ts";
import {attestationSigningRoot, validateAttestationData, type ValidatedData} from "./attestationData.ts";
import {toFailure} from "./attestation.ts";
import {applyVoteToForkChoice} from "./pendingForkChoice.ts";

interface Candidate {
  index: number;
  signed: SignedAggregateAndProof;
  validated: ValidatedData;
  attestingIndices: number[];
  sets: SignatureSet[];
}

/** validator.md is_aggregator: bytes_to_uint64(hash(slot_signature)[0:8]) % modulo == 0. */
export function isAggregator(committeeLength: number, slotSignature: Uint8Array): boolean {
  const modulo = Math.max(1, Math.floor(committeeLength / TARGET_AGGREGATORS_PER_COMMITTEE));
  const h = digest(slotSignature);
  const value = new DataView(h.buffer, h.byteOffset, 8).getBigUint64(0, true);
  return value % BigInt(modulo) === 0n;
}

export function submitAggregateAndProofs(chain: BeaconChain, aggregates: SignedAggregateAndProof[]): ItemFailure[] {
  const failures: ItemFailure[] = [];
  const candidates: Candidate[] = [];
  const aggregatorsInBatch = new Set<string>();

  aggregates.forEach((signed, index) => {
    try {
      const proof = signed.message;
      const aggregate = proof.aggregate;
      const data = aggregate.data;
      const validated = validateAttestationData(chain, data);
      const {committee, targetState: s} = validated;
      const bits = aggregate.aggregation_bits;
      if (bits.bitLen !== committee.length) {
        throw new AttestationError(
          AttestationErrorCode.WRONG_NUMBER_OF_AGGREGATION_BITS,
          `aggregation bits length ${bits.bitLen} differs from the committee size ${committee.length}`
        );
      }
      if (countBits(bits) < 1) {
        throw new AttestationError(AttestationErrorCode.EMPTY_AGGREGATION_BITFIELD, "the aggregate has no participants");
      }
      if (chain.seenAggregates.isKnown(data.slot, validated.dataRootHex, bits)) return; // nothing new
      const targetEpoch = data.target.epoch;
      const aggregatorIndex = proof.aggregator_index;
      const aggregatorKey = `${targetEpoch}:${aggregatorIndex}`;
      if (chain.seenAggregators.has(targetEpoch, aggregatorIndex) || aggregatorsInBatch.has(aggregatorKey)) {
        throw new AttestationError(
          AttestationErrorCode.AGGREGATOR_ALREADY_KNOWN,
          `aggregator ${aggregatorIndex} already sent an aggregate for epoch ${targetEpoch}`
        );
      }
      if (!isAggregator(committee.length, proof.selection_proof)) {
        throw new AttestationError(AttestationErrorCode.INVALID_AGGREGATOR, `validator ${aggregatorIndex} is not selected as aggregator`);
      }
      if (!committee.includes(aggregatorIndex)) {
        throw new AttestationError(
          AttestationErrorCode.AGGREGATOR_NOT_IN_COMMITTEE,
          `aggregator ${aggregatorIndex} is not in committee ${data.index} of slot ${data.slot}`
        );
      }
      aggregatorsInBatch.add(aggregatorKey);
      const attestingIndices = s.epochCtx.getAttestingIndices(data, bits);
      const aggregatorKeyObj = s.epochCtx.index2pubkey(aggregatorIndex);
      const sets: SignatureSet[] = [
        {
          type: "single",
          pubkey: aggregatorKeyObj,
          signingRoot: computeSigningRoot(primitive.Uint64, data.slot, getDomain(s.state, DOMAIN_SELECTION_PROOF, targetEpoch)),
          signature: proof.selection_proof,
        },
        {
          type: "single",
          pubkey: aggregatorKeyObj,
          signingRoot: computeSigningRoot(ssz.AggregateAndProof, proof, getDomain(s.state, DOMAIN_AGGREGATE_AND_PROOF, targetEpoch)),
          signature: signed.signature,
        },
        {
          type: "aggregate",
          pubkeys: attestingIndices.map((i) => s.epochCtx.index2pubkey(i)),
          signingRoot: attestationSigningRoot(s, data),
          signature: aggregate.signature,
        },
      ];
      candidates.push({index, signed, validated, attestingIndices, sets});
    } catch (e) {
      failures.push(toFailure(index, e));
    }
  });

  const valid = verifySignatureSets(candidates.flatMap((c) => c.sets)) ? candidates : candidates.filter((c) => checkOne(c, failures));
  for (const c of valid) accept(chain, c);
  failures.sort((a, b) => a.index - b.index);
  return failures;
}

const SET_ERRORS = [
  [AttestationErrorCode.INVALID_SELECTION_PROOF, "invalid selection proof"],
  [AttestationErrorCode.INVALID_AGGREGATOR_SIGNATURE, "invalid aggregator signature"],
  [AttestationErrorCode.INVALID_SIGNATURE, "invalid aggregate signature"],
] as const;

function checkOne(c: Candidate, failures: ItemFailure[]): boolean {
  const bad = findInvalidSignatureSet(c.sets);
  if (bad < 0) return true;
  const [code, message] = SET_ERRORS[bad];
  failures.push({index: c.index, code, message});
  return false;
}

function accept(chain: BeaconChain, c: Candidate): void {
  const proof = c.signed.message;
  const aggregate = proof.aggregate;
  const data = aggregate.data;
  chain.seenAggregators.add(data.target.epoch, proof.aggregator_index);
  chain.seenAggregates.add(data.slot, c.validated.dataRootHex, aggregate.aggregation_bits);
  chain.attestationPool.add(aggregate, c.validated.dataRoot);
  chain.liveness.markAllLive(data.target.epoch, c.attestingIndices);
  chain.liveness.markLive(data.target.epoch, proof.aggregator_index);
  applyVoteToForkChoice(chain, {
    slot: data.slot,
    beaconBlockRoot: c.validated.beaconBlockRootHex,
    targetEpoch: data.target.epoch,
    targetRoot: c.validated.targetRootHex,
    indices: c.attestingIndices,
  });
  chain.events.emit("attestation", aggregate);
}
