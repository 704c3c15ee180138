/**
 * What validators ask the node to produce: blocks (GET /eth/v3/validator/blocks/{slot}, and the
 * older v2 and v1), attestation data, aggregate attestations (v2, and the older v1). JSON or SSZ.
 */
import type {FastifyRequest} from "fastify";
import type {ApiContext, RouteGroup} from "../../context.ts";
import {badRequest, notFound} from "../../errors.ts";
import {decimalFits} from "../../../types/fromTree.ts";
import {FORK_NAME, sszOrJson} from "../../http/response.ts";
import {parseGraffiti, parseHexBytes, parseOptionalUint, parseRoot, parseUint, single} from "../../params.ts";
import type {ProducedBlock} from "../../../chain/interface.ts";
import {ssz} from "../../../types/index.ts";

const GWEI_IN_WEI = 1_000_000_000n;
const UINT64_MAX = (1n << 64n) - 1n;

async function produce(ctx: ApiContext, req: FastifyRequest): Promise<ProducedBlock> {
  const slot = parseUint((req.params as {slot: string}).slot, "slot");
  const q = req.query as Record<string, unknown>;
  if (q.randao_reveal === undefined) throw badRequest("Missing randao_reveal");
  const randaoReveal = parseHexBytes(single(q.randao_reveal, "randao_reveal"), "randao_reveal", 96);
  const graffiti = q.graffiti === undefined ? new Uint8Array(32) : parseGraffiti(single(q.graffiti, "graffiti"));
  let skipRandaoVerification = false;
  if (q.skip_randao_verification !== undefined) {
    // A flag without a value (`?skip_randao_verification`), as the API defines it.
    if (single(q.skip_randao_verification, "skip_randao_verification") !== "") {
      throw badRequest("Invalid skip_randao_verification: the flag takes no value");
    }
    skipRandaoVerification = true;
  }
  if (q.builder_boost_factor !== undefined) {
    // Gnomon has no builder, so the factor has no effect, but an out-of-range value is still a 400.
    const v = single(q.builder_boost_factor, "builder_boost_factor");
    if (!decimalFits(v, 64) || BigInt(v) > UINT64_MAX) throw badRequest(`Invalid builder_boost_factor: ${v.slice(0, 40)}`);
  }
  return ctx.chain.produceBlock(slot, randaoReveal, graffiti, {skipRandaoVerification});
}

function blockValueWei(produced: ProducedBlock): string {
  return (produced.consensusBlockValueGwei * GWEI_IN_WEI).toString(10);
}

function withBlockValue(out: Record<string, unknown> | Buffer, produced: ProducedBlock): Record<string, unknown> | Buffer {
  return Buffer.isBuffer(out) ? out : {...out, block_value: blockValueWei(produced)};
}

export const productionRoutes: RouteGroup = (app, ctx) => {
  app.get("/eth/v3/validator/blocks/:slot", async (req, reply) => {
    const produced = await produce(ctx, req);
    const value = blockValueWei(produced);
    reply.header("Eth-Execution-Payload-Blinded", "false");
    reply.header("Eth-Execution-Payload-Value", "0");
    reply.header("Eth-Consensus-Block-Value", value);
    const out = sszOrJson(req, reply, ssz.BeaconBlock, produced.block, {version: FORK_NAME});
    if (Buffer.isBuffer(out)) return out;
    const {data, ...meta} = out;
    return {...meta, execution_payload_blinded: false, execution_payload_value: "0", consensus_block_value: value, data};
  });

  // The older forms. Their JSON also carries `block_value` (wei), which validator clients of
  // that era read and fail without; clients that do not know it ignore it.
  app.get("/eth/v2/validator/blocks/:slot", async (req, reply) => {
    const produced = await produce(ctx, req);
    return withBlockValue(sszOrJson(req, reply, ssz.BeaconBlock, produced.block, {version: FORK_NAME}), produced);
  });

  // The phase0-only form, without a version.
  app.get("/eth/v1/validator/blocks/:slot", async (req, reply) => {
    const produced = await produce(ctx, req);
    return withBlockValue(sszOrJson(req, reply, ssz.BeaconBlock, produced.block), produced);
  });

  app.get("/eth/v1/validator/attestation_data", async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    if (q.slot === undefined) throw badRequest("Missing slot");
    const slot = parseUint(single(q.slot, "slot"), "slot");
    const committeeIndex = parseOptionalUint(q.committee_index, "committee_index") ?? 0;
    const data = await ctx.chain.produceAttestationData(slot, committeeIndex);
    return sszOrJson(req, reply, ssz.AttestationData, data);
  });

  const aggregate = (req: FastifyRequest, requireCommitteeIndex: boolean) => {
    const q = req.query as Record<string, unknown>;
    if (q.attestation_data_root === undefined) throw badRequest("Missing attestation_data_root");
    if (q.slot === undefined) throw badRequest("Missing slot");
    if (requireCommitteeIndex && q.committee_index === undefined) throw badRequest("Missing committee_index");
    const root = parseRoot(single(q.attestation_data_root, "attestation_data_root"), "attestation_data_root");
    const slot = parseUint(single(q.slot, "slot"), "slot");
    const committeeIndex = parseOptionalUint(q.committee_index, "committee_index");
    const att = ctx.chain.getAggregateAttestation(slot, root);
    if (att === null || (committeeIndex !== undefined && att.data.index !== committeeIndex)) {
      throw notFound(`No attestation known for attestation_data_root ${String(q.attestation_data_root)} at slot ${slot}`, "AGGREGATE_NOT_FOUND");
    }
    return att;
  };

  app.get("/eth/v2/validator/aggregate_attestation", async (req, reply) =>
    sszOrJson(req, reply, ssz.Attestation, aggregate(req, true), {version: FORK_NAME})
  );

  app.get("/eth/v1/validator/aggregate_attestation", async (req, reply) =>
    sszOrJson(req, reply, ssz.Attestation, aggregate(req, false))
  );
};
