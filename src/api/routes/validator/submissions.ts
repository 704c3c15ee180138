/**
 * What validators hand the node: aggregate-and-proofs (v2, and the older v1), beacon committee
 * subscriptions, and liveness queries.
 */
import type {FastifyReply, FastifyRequest} from "fastify";
import {BooleanType, ContainerType, ListCompositeType} from "@chainsafe/ssz";
import type {RouteGroup} from "../../context.ts";
import {fromJsonStrict} from "../../codec/json.ts";
import {decodeBatch, finishBatch} from "../../http/batch.ts";
import {publishAccepted} from "../../http/publish.ts";
import {checkConsensusVersion, json, jsonBody, ok} from "../../http/response.ts";
import {parseUint, uintArray} from "../../params.ts";
import {MAX_COMMITTEES_PER_SLOT, TARGET_AGGREGATORS_PER_COMMITTEE} from "../../../params/index.ts";
import {primitive, ssz} from "../../../types/index.ts";
import {badRequest} from "../../errors.ts";
import {maxIdCount} from "../../http/limits.ts";

/** The request item of beacon_committee_subscriptions, decoded strictly like any SSZ container. */
const BeaconCommitteeSubscription = new ContainerType(
  {
    validator_index: primitive.Uint64,
    committee_index: primitive.Uint64,
    committees_at_slot: primitive.Uint64,
    slot: primitive.Uint64,
    is_aggregator: new BooleanType(),
  },
  {typeName: "BeaconCommitteeSubscription", jsonCase: "eth2"}
);
const Subscriptions = new ListCompositeType(BeaconCommitteeSubscription, 1 << 20);

export const submissionRoutes: RouteGroup = (app, ctx) => {
  const submitAggregates = (acceptsSsz: boolean) => async (req: FastifyRequest, reply: FastifyReply) => {
    if (acceptsSsz) checkConsensusVersion(req);
    const batch = decodeBatch(
      req,
      ssz.SignedAggregateAndProof,
      "SignedAggregateAndProof",
      acceptsSsz ? {limit: MAX_COMMITTEES_PER_SLOT * TARGET_AGGREGATORS_PER_COMMITTEE} : null
    );
    const failures = batch.items.length > 0 ? await ctx.chain.submitAggregateAndProofs(batch.items) : [];
    await publishAccepted(ctx, batch.items, failures, (value) => ({kind: "beacon_aggregate_and_proof", value}));
    finishBatch(batch, failures, "aggregate and proofs");
    return ok(reply);
  };
  app.post("/eth/v2/validator/aggregate_and_proofs", submitAggregates(true));
  app.post("/eth/v1/validator/aggregate_and_proofs", submitAggregates(false));

  // Without a gossip network there is no subnet to join: the request is validated and accepted.
  app.post("/eth/v1/validator/beacon_committee_subscriptions", async (req, reply) => {
    const subs = fromJsonStrict(Subscriptions, jsonBody(req));
    for (const [i, s] of subs.entries()) {
      if (s.committee_index >= s.committees_at_slot) {
        throw badRequest(`[${i}]: committee_index ${s.committee_index} is not below committees_at_slot ${s.committees_at_slot}`);
      }
    }
    ctx.network?.subscribeCommittees?.(subs.map((s) => ({slot: s.slot, committeeIndex: s.committee_index, committeesAtSlot: s.committees_at_slot})));
    return ok(reply);
  });

  app.post("/eth/v1/validator/liveness/:epoch", async (req, reply) => {
    const epoch = parseUint((req.params as {epoch: string}).epoch, "epoch");
    const indices = uintArray(jsonBody(req), "validator indices", {minItems: 1, maxItems: maxIdCount(ctx.chain)});
    const data = ctx.chain.getLiveness(epoch, indices).map((l) => ({index: String(l.index), is_live: l.isLive}));
    return json(req, reply, data);
  });
};
