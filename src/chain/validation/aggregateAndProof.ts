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
import type {BitArray} from "@chainsafe/ssz";
import type {BeaconChain} from "../chain.ts";
import {AttestationError, AttestationErrorCode} from "../errors.ts";
import type {ItemFailure} from "../interface.ts";
import {countBits, isSubsetOf} from "../opPools/bits.ts";
import {attestationSigningRoot, validateAttestationData, type ValidatedData} from "./attestationData.ts";
import {failed, toFailure, type Outcome} from "./attestation.ts";
import {verifySetGroups} from "./batchVerify.ts";
import type {ValidationContext} from "./context.ts";
import {applyVoteToForkChoice} from "./pendingForkChoice.ts";

/** validator.md is_aggregator: bytes_to_uint64(hash(slot_signature)[0:8]) % modulo == 0. */
export function isAggregator(committeeLength: number, slotSignature: Uint8Array): boolean {
  const modulo = Math.max(1, Math.floor(committeeLength / TARGET_AGGREGATORS_PER_COMMITTEE));
  const h = digest(slotSignature);
  const value = new DataView(h.buffer, h.byteOffset, 8).getBigUint64(0, true);
  return value % BigInt(modulo) === 0n;
}

export interface AggregateItem {
  signed: SignedAggregateAndProof;
  nowMs: number;
}

export interface ValidatedAggregate {
  signed: SignedAggregateAndProof;
  validated: ValidatedData;
  attestingIndices: number[];
  sets: SignatureSet[];
}

interface AcceptedInBatch {
  aggregators: Set<string>;
  aggregates: {dataRootHex: string; bits: BitArray}[];
}

/**
 * Validates a batch as if its items arrived one after another: an aggregate that an earlier
 * valid one covers (same data, a superset of its bits) is IGNOREd without checking its
 * signatures, which with small committees (every member an aggregator) saves most of the work.
 * Items are checked in rounds: each round verifies, in one batch, the items no earlier item of
 * the round covers; the items it held back are decided in the next round.
 */
export async function validateAggregateBatch(ctx: ValidationContext, items: AggregateItem[]): Promise<Outcome<ValidatedAggregate>[]> {
  const outcomes: Outcome<ValidatedAggregate>[] = new Array(items.length);
  const accepted: AcceptedInBatch = {aggregators: new Set(), aggregates: []};
  let pending = items.map((_, i) => i);
  while (pending.length > 0) {
    const round: {i: number; v: ValidatedAggregate}[] = [];
    const deferred: number[] = [];
    for (const i of pending) {
      try {
        const v = prepareAggregate(ctx, items[i], accepted);
        const covered = round.some(
          (r) => r.v.validated.dataRootHex === v.validated.dataRootHex && isSubsetOf(v.signed.message.aggregate.aggregation_bits, r.v.signed.message.aggregate.aggregation_bits)
        );
        if (covered) deferred.push(i);
        else round.push({i, v});
      } catch (e) {
        outcomes[i] = failed(e);
      }
    }
    const valid = await verifySetGroups(ctx.blsVerifier, round.map((r) => r.v.sets));
    round.forEach((r, k) => {
      if (!valid[k]) {
        outcomes[r.i] = {ok: false, error: signatureError(r.v.sets)};
        return;
      }
      outcomes[r.i] = {ok: true, value: r.v};
      accepted.aggregators.add(aggregatorKey(r.v.signed));
      accepted.aggregates.push({dataRootHex: r.v.validated.dataRootHex, bits: r.v.signed.message.aggregate.aggregation_bits});
    });
    pending = deferred;
  }
  return outcomes;
}

/**
 * The REST endpoint: the same validation; an aggregate a seen one already covers is accepted
 * without effect.
 */
export async function submitAggregateAndProofs(chain: BeaconChain, aggregates: SignedAggregateAndProof[]): Promise<ItemFailure[]> {
  const nowMs = chain.clock.nowMs();
  const outcomes = await validateAggregateBatch(chain.validation, aggregates.map((signed) => ({signed, nowMs})));
  const failures: ItemFailure[] = [];
  outcomes.forEach((o, index) => {
    if (o.ok) importAggregate(chain, o.value);
    else if (o.error.code !== AttestationErrorCode.AGGREGATE_ALREADY_KNOWN) failures.push(toFailure(index, o.error));
  });
  return failures;
}

function aggregatorKey(signed: SignedAggregateAndProof): string {
  return `${signed.message.aggregate.data.target.epoch}:${signed.message.aggregator_index}`;
}

/** The conditions before the signatures. */
function prepareAggregate(ctx: ValidationContext, item: AggregateItem, accepted: AcceptedInBatch): ValidatedAggregate {
  const signed = item.signed;
  const proof = signed.message;
  const aggregate = proof.aggregate;
  const data = aggregate.data;
  const validated = validateAttestationData(ctx, data, item.nowMs);
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
  if (
    ctx.seen.aggregates.isKnown(data.slot, validated.dataRootHex, bits) ||
    accepted.aggregates.some((a) => a.dataRootHex === validated.dataRootHex && a.bits.bitLen === bits.bitLen && isSubsetOf(bits, a.bits))
  ) {
    throw new AttestationError(AttestationErrorCode.AGGREGATE_ALREADY_KNOWN, "a seen aggregate of the same data has every bit of this one");
  }
  const targetEpoch = data.target.epoch;
  const aggregatorIndex = proof.aggregator_index;
  if (ctx.seen.aggregators.has(targetEpoch, aggregatorIndex) || accepted.aggregators.has(aggregatorKey(signed))) {
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
  return {signed, validated, attestingIndices, sets};
}

const SET_ERRORS = [
  [AttestationErrorCode.INVALID_SELECTION_PROOF, "invalid selection proof"],
  [AttestationErrorCode.INVALID_AGGREGATOR_SIGNATURE, "invalid aggregator signature"],
  [AttestationErrorCode.INVALID_SIGNATURE, "invalid aggregate signature"],
] as const;

/** The error of the first set that fails on its own (only computed for a group that failed). */
function signatureError(sets: SignatureSet[]): AttestationError {
  const bad = findInvalidSignatureSet(sets);
  const [code, message] = SET_ERRORS[bad < 0 ? 2 : bad];
  return new AttestationError(code, message);
}

/** The import step of an accepted aggregate: seen caches, pools, liveness, fork choice, event. */
export function importAggregate(chain: BeaconChain, c: ValidatedAggregate): void {
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
}
