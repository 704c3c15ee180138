/**
 * SignedAggregateAndProofs from the API, validated as p2p-interface.md's
 * beacon_aggregate_and_proof: the shared data checks, participants, the aggregator's selection
 * (validator.md is_aggregator) and membership, then the selection proof, the aggregator's
 * signature and the aggregate signature, all sets of the batch in one multi-verification on the
 * chain's BLS verifier.
 * An aggregate already covered by a seen one is accepted without effect.
 */
import {digest, findInvalidSignatureSet, type SignatureSet} from "../../crypto/index.ts";
import {DOMAIN_AGGREGATE_AND_PROOF, DOMAIN_SELECTION_PROOF, TARGET_AGGREGATORS_PER_COMMITTEE} from "../../params/index.ts";
import {computeSigningRoot, getDomain} from "../../state-transition/index.ts";
import {primitive, ssz, type SignedAggregateAndProof} from "../../types/index.ts";
import type {BeaconChain} from "../chain.ts";
import {AttestationError, AttestationErrorCode} from "../errors.ts";
import type {ItemFailure} from "../interface.ts";
import {countBits, isSubsetOf} from "../opPools/bits.ts";
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

/**
 * The batch is validated as if its items arrived one after another: an aggregate that an earlier
 * valid one covers (same data, a superset of its bits) is ignored without checking its
 * signatures, which with small committees (every member an aggregator) saves most of the work.
 * Items are checked in rounds: each round verifies, in one batch, the items no earlier item of
 * the round covers; the items it held back are decided in the next round.
 */
export async function submitAggregateAndProofs(chain: BeaconChain, aggregates: SignedAggregateAndProof[]): Promise<ItemFailure[]> {
  const failures: ItemFailure[] = [];
  let pending: {index: number; signed: SignedAggregateAndProof}[] = aggregates.map((signed, index) => ({index, signed}));
  const acceptedAggregators = new Set<string>();

  while (pending.length > 0) {
    const round: Candidate[] = [];
    const deferred: typeof pending = [];
    for (const item of pending) {
      try {
        const c = prepare(chain, item.index, item.signed, acceptedAggregators);
        if (c === null) continue; // covered by a seen aggregate: nothing new
        const covered = round.some(
          (r) => r.validated.dataRootHex === c.validated.dataRootHex && isSubsetOf(c.signed.message.aggregate.aggregation_bits, r.signed.message.aggregate.aggregation_bits)
        );
        if (covered) deferred.push(item);
        else round.push(c);
      } catch (e) {
        failures.push(toFailure(item.index, e));
      }
    }
    const allValid = await chain.blsVerifier.verifySignatureSets(round.flatMap((c) => c.sets));
    const valid = allValid ? round : round.filter((c) => checkOne(c, failures));
    for (const c of valid) {
      accept(chain, c);
      acceptedAggregators.add(aggregatorKey(c.signed));
    }
    pending = deferred;
  }
  failures.sort((a, b) => a.index - b.index);
  return failures;
}

function aggregatorKey(signed: SignedAggregateAndProof): string {
  return `${signed.message.aggregate.data.target.epoch}:${signed.message.aggregator_index}`;
}

/** The checks before the signatures; null when a seen aggregate already covers this one. */
function prepare(chain: BeaconChain, index: number, signed: SignedAggregateAndProof, acceptedAggregators: Set<string>): Candidate | null {
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
  if (chain.seenAggregates.isKnown(data.slot, validated.dataRootHex, bits)) return null;
  const targetEpoch = data.target.epoch;
  const aggregatorIndex = proof.aggregator_index;
  if (chain.seenAggregators.has(targetEpoch, aggregatorIndex) || acceptedAggregators.has(aggregatorKey(signed))) {
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
  const attestingIndices = s.epochCtx.getAttestingIndices(data, bits);
  const aggregatorPubkey = s.epochCtx.index2pubkey(aggregatorIndex);
  const sets: SignatureSet[] = [
    {
      type: "single",
      pubkey: aggregatorPubkey,
      signingRoot: computeSigningRoot(primitive.Uint64, data.slot, getDomain(s.state, DOMAIN_SELECTION_PROOF, targetEpoch)),
      signature: proof.selection_proof,
    },
    {
      type: "single",
      pubkey: aggregatorPubkey,
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
  return {index, signed, validated, attestingIndices, sets};
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
  chain.knownAggregates.add(data.slot, c.validated.dataRootHex, aggregate.aggregation_bits, aggregate.signature);
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
  chain.slasherInput?.onValidatedAttestation({attesting_indices: [...c.attestingIndices].sort((a, b) => a - b), data, signature: aggregate.signature});
}
