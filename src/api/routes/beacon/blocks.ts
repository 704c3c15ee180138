/**
 * Blocks: GET /eth/v2/beacon/blocks/{block_id} (JSON or SSZ), /eth/v1/beacon/blocks/{block_id}/root,
 * /eth/v2/beacon/blocks/{block_id}/attestations; publishing: POST /eth/v2/beacon/blocks (with
 * broadcast_validation) and the older POST /eth/v1/beacon/blocks, JSON or SSZ bodies.
 *
 * Gnomon has no gossip network yet, so nothing is broadcast before the block is fully imported:
 * a block that fails any check was not broadcast and gets a 400, at every validation level.
 */
import type {FastifyReply, FastifyRequest} from "fastify";
import type {ApiContext, RouteGroup} from "../../context.ts";
import {badRequest, clip} from "../../errors.ts";
import {checkConsensusVersion, decodeBody, FORK_NAME, json, ok, sszOrJson, type Meta} from "../../http/response.ts";
import {blockOrThrow} from "../../lookup.ts";
import {single} from "../../params.ts";
import type {BlockResult} from "../../../chain/interface.ts";
import {BlockErrorCode, BlockImportError} from "../../../chain/errors.ts";
import {ssz, type SignedBeaconBlock} from "../../../types/index.ts";
import {bytesEqual, toHex} from "../../../util/bytes.ts";

export function blockMeta(r: BlockResult, withVersion = true): Meta {
  const meta: Meta = withVersion ? {version: FORK_NAME} : {};
  meta.execution_optimistic = r.executionOptimistic;
  meta.finalized = r.finalized;
  return meta;
}

const BROADCAST_VALIDATION = ["gossip", "consensus", "consensus_and_equivocation"] as const;
type BroadcastValidation = (typeof BROADCAST_VALIDATION)[number];

function parseBroadcastValidation(raw: unknown): BroadcastValidation {
  if (raw === undefined) return "gossip";
  const v = single(raw, "broadcast_validation");
  if (!(BROADCAST_VALIDATION as readonly string[]).includes(v)) {
    throw badRequest(`Invalid broadcast_validation: "${clip(v)}" (expected one of ${BROADCAST_VALIDATION.join(", ")})`);
  }
  return v as BroadcastValidation;
}

/** Another block of the same proposer at the same slot: the block would be an equivocation. */
async function checkEquivocation(ctx: ApiContext, signed: SignedBeaconBlock): Promise<void> {
  const block = signed.message;
  const root = ssz.BeaconBlock.hashTreeRoot(block);
  const atSlot = await ctx.chain.getHeaders({slot: block.slot});
  for (const h of atSlot) {
    if (h.header.message.proposer_index === block.proposer_index && !bytesEqual(h.root, root)) {
      throw badRequest(
        `Block equivocates: proposer ${block.proposer_index} already has block ${toHex(h.root)} at slot ${block.slot}`,
        "BLOCK_EQUIVOCATION"
      );
    }
  }
}

async function publishBlock(ctx: ApiContext, req: FastifyRequest, reply: FastifyReply, level: BroadcastValidation) {
  checkConsensusVersion(req);
  const signed = decodeBody(req, ssz.SignedBeaconBlock, "SignedBeaconBlock", true);
  if (level === "consensus_and_equivocation") await checkEquivocation(ctx, signed);
  try {
    await ctx.chain.processBlock(signed, "api");
  } catch (e) {
    // Publishing a block the node already has is not a failure of the publisher.
    if (e instanceof BlockImportError && e.code === BlockErrorCode.ALREADY_KNOWN) return ok(reply);
    throw e;
  }
  // Gossiped once imported: every broadcast_validation level is then satisfied.
  await ctx.network?.publish?.({kind: "beacon_block", value: signed});
  return ok(reply);
}

export const blockRoutes: RouteGroup = (app, ctx) => {
  app.get("/eth/v2/beacon/blocks/:block_id", async (req, reply) => {
    const r = await blockOrThrow(ctx.chain, (req.params as {block_id: string}).block_id);
    return sszOrJson(req, reply, ssz.SignedBeaconBlock, r.signedBlock, blockMeta(r));
  });

  app.get("/eth/v1/beacon/blocks/:block_id/root", async (req, reply) => {
    const r = await blockOrThrow(ctx.chain, (req.params as {block_id: string}).block_id);
    return json(req, reply, {root: toHex(r.root)}, blockMeta(r, false));
  });

  app.get("/eth/v2/beacon/blocks/:block_id/attestations", async (req, reply) => {
    const r = await blockOrThrow(ctx.chain, (req.params as {block_id: string}).block_id);
    const data = r.signedBlock.message.body.attestations.map((a) => ssz.Attestation.toJson(a));
    return json(req, reply, data, blockMeta(r));
  });

  app.post("/eth/v2/beacon/blocks", async (req, reply) => {
    const level = parseBroadcastValidation((req.query as Record<string, unknown>).broadcast_validation);
    return publishBlock(ctx, req, reply, level);
  });

  app.post("/eth/v1/beacon/blocks", async (req, reply) => publishBlock(ctx, req, reply, "gossip"));
};
