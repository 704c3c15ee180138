/**
 * p2p-interface.md beacon_attestation_{subnet_id}: unaggregated attestations, validated in
 * batches (gossip hands the processor's queue over in batches; the REST pool endpoint posts
 * arrays). Cheap checks per item, then the signatures of the batch, combined per message (one
 * committee's votes sign the same data), in one multi-verification on the chain's BLS verifier. Validation only decides; `importAttestation` pools an accepted one
 * and feeds fork choice (once its slot is over), liveness and the `attestation` event.
 *
 * Items of one batch are decided as if they arrived one after another: a second attestation of
 * the same validator and target epoch waits for the first one's verdict (it is IGNOREd when the
 * first is valid, judged on its own when the first is not).
 */
import type {SignatureSet} from "../../crypto/index.ts";
import type {Attestation} from "../../types/index.ts";
import {GnomonError} from "../../util/errors.ts";
import type {BeaconChain} from "../chain.ts";
import {AttestationError, AttestationErrorCode} from "../errors.ts";
import type {ItemFailure} from "../interface.ts";
import {verifySameMessageSets} from "./batchVerify.ts";
import type {ValidationContext} from "./context.ts";
import {attestationSigningRoot, validateAttestationData, type ValidatedData} from "./attestationData.ts";
import {applyVoteToForkChoice} from "./pendingForkChoice.ts";
import {feedConflictingVotes, indexedVote} from "../slasherFeed.ts";
import {computeSubnetForAttestation} from "./subnet.ts";

/** `reason` of PRIOR_ATTESTATION_KNOWN when the prior attestation has the same data (a resubmission). */
export const SAME_DATA = "SAME_DATA";

export interface AttestationItem {
  attestation: Attestation;
  /** The subnet it arrived on (gossip); null for the REST pool endpoint, which has no subnet. */
  subnet: number | null;
  nowMs: number;
}

export interface ValidatedAttestation {
  attestation: Attestation;
  validated: ValidatedData;
  validatorIndex: number;
  signatureSet: Extract<SignatureSet, {type: "single"}>;
}

/**
 * A verdict of one item. `conflicting`: the vote was refused only because its validator already
 * voted for the target epoch with other data; it is checked up to its signature, which is not
 * verified (a slasher wants it once it verifies: it is a double or surround vote).
 */
export type Outcome<T> = {ok: true; value: T} | {ok: false; error: GnomonError; conflicting?: T};

/**
 * The conditions before the signature, in the spec's order where it can be kept, except the
 * prior-vote check, which the batch makes (a refused conflicting vote stays evidence).
 */
export function prepareAttestation(ctx: ValidationContext, item: AttestationItem): ValidatedAttestation {
  const {attestation, subnet} = item;
  const data = attestation.data;
  const validated = validateAttestationData(ctx, data, item.nowMs);
  const s = validated.targetState;
  if (subnet !== null) {
    const expected = computeSubnetForAttestation(ctx.config, s.epochCtx.getCommitteeCountPerSlot(data.target.epoch), data.slot, data.index);
    if (expected !== subnet) {
      throw new AttestationError(AttestationErrorCode.WRONG_SUBNET, `attestation belongs to subnet ${expected}, received on subnet ${subnet}`);
    }
  }
  const bits = attestation.aggregation_bits;
  const bit = bits.getSingleTrueBit();
  if (bit === null) {
    throw new AttestationError(AttestationErrorCode.NOT_EXACTLY_ONE_AGGREGATION_BIT_SET, "an unaggregated attestation must have exactly one bit set");
  }
  if (bits.bitLen !== validated.committee.length) {
    throw new AttestationError(
      AttestationErrorCode.WRONG_NUMBER_OF_AGGREGATION_BITS,
      `aggregation bits length ${bits.bitLen} differs from the committee size ${validated.committee.length}`
    );
  }
  const validatorIndex = validated.committee[bit];
  const signatureSet: ValidatedAttestation["signatureSet"] = {
    type: "single",
    pubkey: s.epochCtx.index2pubkey(validatorIndex),
    signingRoot: attestationSigningRoot(s, data),
    signature: attestation.signature,
  };
  return {attestation, validated, validatorIndex, signatureSet};
}

function priorKnown(validatorIndex: number, targetEpoch: number, sameData: boolean): AttestationError {
  return new AttestationError(
    AttestationErrorCode.PRIOR_ATTESTATION_KNOWN,
    `validator ${validatorIndex} already has an attestation for target epoch ${targetEpoch}`,
    {reason: sameData ? SAME_DATA : undefined}
  );
}

/** Validates a batch; one outcome per item, in order. Never throws for bad input. */
export async function validateAttestationBatch(ctx: ValidationContext, items: AttestationItem[]): Promise<Outcome<ValidatedAttestation>[]> {
  const outcomes: Outcome<ValidatedAttestation>[] = new Array(items.length);
  /** Data root accepted in this batch per `targetEpoch:validator`. */
  const accepted = new Map<string, string>();
  let pending = items.map((_, i) => i);
  while (pending.length > 0) {
    const round: {i: number; v: ValidatedAttestation; key: string}[] = [];
    const inRound = new Set<string>();
    const deferred: number[] = [];
    for (const i of pending) {
      let v: ValidatedAttestation;
      try {
        v = prepareAttestation(ctx, items[i]);
      } catch (e) {
        outcomes[i] = failed(e);
        continue;
      }
      const targetEpoch = v.attestation.data.target.epoch;
      const key = `${targetEpoch}:${v.validatorIndex}`;
      const prior = ctx.seen.attesters.get(targetEpoch, v.validatorIndex) ?? accepted.get(key);
      if (prior !== undefined) {
        const sameData = prior === v.validated.dataRootHex;
        outcomes[i] = {ok: false, error: priorKnown(v.validatorIndex, targetEpoch, sameData), conflicting: sameData ? undefined : v};
        continue;
      }
      if (inRound.has(key)) {
        deferred.push(i);
        continue;
      }
      inRound.add(key);
      round.push({i, v, key});
    }
    const valid = await verifySameMessageSets(ctx.blsVerifier, round.map((r) => r.v.signatureSet));
    round.forEach((r, k) => {
      if (valid[k]) {
        outcomes[r.i] = {ok: true, value: r.v};
        accepted.set(r.key, r.v.validated.dataRootHex);
      } else {
        outcomes[r.i] = {ok: false, error: new AttestationError(AttestationErrorCode.INVALID_SIGNATURE, "invalid attestation signature")};
      }
    });
    pending = deferred;
  }
  return outcomes;
}

/** A typed error as an outcome; anything else is a bug and propagates. */
export function failed(e: unknown): {ok: false; error: GnomonError} {
  if (e instanceof GnomonError) return {ok: false, error: e};
  throw e;
}

/** The import step of an accepted attestation: seen cache, pool, liveness, fork choice, event. */
export function importAttestation(chain: BeaconChain, v: ValidatedAttestation): void {
  const {attestation, validated, validatorIndex} = v;
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
  chain.slasherInput?.onValidatedAttestation(indexedVote(v));
}

/**
 * The REST pool endpoint: the same validation without a subnet. Resubmitting an attestation
 * already accepted succeeds without effect (a restarted validator client may send it again); a
 * different attestation of the same validator for the same target epoch is refused, and handed
 * to the slasher (when one runs) once its signature verifies.
 */
export async function submitAttestations(chain: BeaconChain, attestations: Attestation[]): Promise<ItemFailure[]> {
  const nowMs = chain.clock.nowMs();
  const outcomes = await validateAttestationBatch(chain.validation, attestations.map((attestation) => ({attestation, subnet: null, nowMs})));
  const failures: ItemFailure[] = [];
  outcomes.forEach((o, index) => {
    if (o.ok) importAttestation(chain, o.value);
    else if (!isResubmission(o.error)) failures.push(toFailure(index, o.error));
  });
  await feedConflictingVotes(chain.slasherInput, chain.blsVerifier, outcomes);
  return failures;
}

function isResubmission(e: GnomonError): boolean {
  return e instanceof AttestationError && e.code === AttestationErrorCode.PRIOR_ATTESTATION_KNOWN && e.reason === SAME_DATA;
}

export function toFailure(index: number, e: unknown): ItemFailure {
  if (e instanceof GnomonError) return {index, code: e.code, message: e.message};
  throw e;
}
