/**
 * Operation pools: attestations (GET/POST v2, POST v1), attester slashings (v2), proposer
 * slashings, voluntary exits. Submissions are validated by the chain (gossip rules for
 * attestations, the state transition's checks against the head state for the others).
 */
import type {FastifyReply, FastifyRequest} from "fastify";
import type {RouteGroup} from "../../context.ts";
import {decodeBatch, finishBatch} from "../../http/batch.ts";
import {publishAccepted} from "../../http/publish.ts";
import {checkConsensusVersion, decodeBody, FORK_NAME, json, ok} from "../../http/response.ts";
import {parseOptionalUint} from "../../params.ts";
import {MAX_COMMITTEES_PER_SLOT, MAX_VALIDATORS_PER_COMMITTEE} from "../../../params/index.ts";
import {ssz} from "../../../types/index.ts";

export const poolRoutes: RouteGroup = (app, ctx) => {
  app.get("/eth/v2/beacon/pool/attestations", async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const slot = parseOptionalUint(q.slot, "slot");
    const committeeIndex = parseOptionalUint(q.committee_index, "committee_index");
    const atts = ctx.chain.getPoolAttestations({slot, committeeIndex});
    return json(req, reply, atts.map((a) => ssz.Attestation.toJson(a)), {version: FORK_NAME});
  });

  const submitAttestations = (acceptsSsz: boolean) =>
    async function (req: FastifyRequest, reply: FastifyReply) {
      if (acceptsSsz) checkConsensusVersion(req);
      const batch = decodeBatch(req, ssz.Attestation, "Attestation", acceptsSsz ? {limit: MAX_VALIDATORS_PER_COMMITTEE * MAX_COMMITTEES_PER_SLOT} : null);
      const failures = batch.items.length > 0 ? await ctx.chain.submitAttestations(batch.items) : [];
      await publishAccepted(ctx, batch.items, failures, (value) => ({kind: "beacon_attestation", value}));
      finishBatch(batch, failures, "attestations");
      return ok(reply);
    };
  app.post("/eth/v2/beacon/pool/attestations", submitAttestations(true));
  app.post("/eth/v1/beacon/pool/attestations", submitAttestations(false));

  app.get("/eth/v2/beacon/pool/attester_slashings", async (req, reply) =>
    json(req, reply, ctx.chain.getPoolAttesterSlashings().map((s) => ssz.AttesterSlashing.toJson(s)), {version: FORK_NAME})
  );
  app.post("/eth/v2/beacon/pool/attester_slashings", async (req, reply) => {
    checkConsensusVersion(req);
    const value = decodeBody(req, ssz.AttesterSlashing, "AttesterSlashing", false);
    await ctx.chain.submitAttesterSlashing(value);
    await ctx.network?.publish?.({kind: "attester_slashing", value});
    return ok(reply);
  });

  app.get("/eth/v1/beacon/pool/proposer_slashings", async (req, reply) =>
    json(req, reply, ctx.chain.getPoolProposerSlashings().map((s) => ssz.ProposerSlashing.toJson(s)))
  );
  app.post("/eth/v1/beacon/pool/proposer_slashings", async (req, reply) => {
    const value = decodeBody(req, ssz.ProposerSlashing, "ProposerSlashing", false);
    await ctx.chain.submitProposerSlashing(value);
    await ctx.network?.publish?.({kind: "proposer_slashing", value});
    return ok(reply);
  });

  app.get("/eth/v1/beacon/pool/voluntary_exits", async (req, reply) =>
    json(req, reply, ctx.chain.getPoolVoluntaryExits().map((e) => ssz.SignedVoluntaryExit.toJson(e)))
  );
  app.post("/eth/v1/beacon/pool/voluntary_exits", async (req, reply) => {
    const value = decodeBody(req, ssz.SignedVoluntaryExit, "SignedVoluntaryExit", false);
    await ctx.chain.submitVoluntaryExit(value);
    await ctx.network?.publish?.({kind: "voluntary_exit", value});
    return ok(reply);
  });
};
