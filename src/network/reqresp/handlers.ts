/**
 * The answers this node gives: status, goodbye, ping, metadata (v1 phase0, v2 altair-shaped with
 * empty syncnets) and the two block protocols, with the spec's request checks.
 */
import type {ChainConfig} from "../../params/index.ts";
import {ssz, type MetaData, type Status} from "../../types/index.ts";
import type {BlockSource} from "./blockSource.ts";
import {Method, MetaDataV2, RespCode} from "./protocols.ts";
import {RequestError, type InboundRequest, type ReqRespHandler} from "./reqResp.ts";

export interface HandlerContext {
  config: Pick<ChainConfig, "MAX_REQUEST_BLOCKS">;
  localStatus(): Status;
  metadata(): MetaData;
  /** A peer's status arrived (as a request). */
  onPeerStatus(peerId: string, status: Status): void;
  onGoodbye(peerId: string, reason: number): void;
  blocks: BlockSource;
}

function decode<T>(type: {deserialize(b: Uint8Array): T}, bytes: Uint8Array): T {
  try {
    return type.deserialize(bytes);
  } catch (e) {
    throw new RequestError(RespCode.invalidRequest, `malformed request: ${(e as Error).message}`);
  }
}

/** A request's body, decoded once: the block protocols read it to cost the request, then to answer it. */
const decodedBodies = new WeakMap<InboundRequest, unknown>();

function decodeBody<T>(type: {deserialize(b: Uint8Array): T}, req: InboundRequest): T {
  if (decodedBodies.has(req)) return decodedBodies.get(req) as T;
  const value = decode(type, req.body);
  decodedBodies.set(req, value);
  return value;
}

const single = (cost = 1) => (_req: InboundRequest): number => cost;

/** beacon_blocks_by_range's request checks: a zero step or count, or more than MAX_REQUEST_BLOCKS, is invalid. */
export function checkBlocksByRange(config: Pick<ChainConfig, "MAX_REQUEST_BLOCKS">, req: {start_slot: number; count: number; step: number}): void {
  if (req.step < 1) throw new RequestError(RespCode.invalidRequest, "step must be at least 1");
  if (req.count < 1) throw new RequestError(RespCode.invalidRequest, "count must be at least 1");
  if (req.count > config.MAX_REQUEST_BLOCKS) {
    throw new RequestError(RespCode.invalidRequest, `count ${req.count} exceeds MAX_REQUEST_BLOCKS (${config.MAX_REQUEST_BLOCKS})`);
  }
}

export function createHandlers(ctx: HandlerContext): Record<Method, ReqRespHandler> {
  return {
    [Method.status]: {
      cost: single(),
      handle(req) {
        ctx.onPeerStatus(req.peerId, decode(ssz.Status, req.body));
        return [ssz.Status.serialize(ctx.localStatus())];
      },
    },
    [Method.goodbye]: {
      cost: single(),
      handle(req) {
        ctx.onGoodbye(req.peerId, decode(ssz.Goodbye, req.body));
        return [ssz.Goodbye.serialize(0)];
      },
    },
    [Method.ping]: {
      cost: single(),
      handle(req) {
        decode(ssz.Ping, req.body);
        return [ssz.Ping.serialize(ctx.metadata().seq_number)];
      },
    },
    [Method.metadata]: {
      cost: single(),
      handle(req) {
        const md = ctx.metadata();
        if (req.def.version === 1) return [ssz.MetaData.serialize(md)];
        return [MetaDataV2.serialize({...md, syncnets: MetaDataV2.fields.syncnets.defaultValue()})];
      },
    },
    [Method.beaconBlocksByRange]: {
      cost(req) {
        const r = decodeBody(ssz.BeaconBlocksByRangeRequest, req);
        checkBlocksByRange(ctx.config, r);
        return r.count;
      },
      async handle(req) {
        const r = decodeBody(ssz.BeaconBlocksByRangeRequest, req);
        // A step above 1 is deprecated: the spec lets us answer with the first block only.
        const roots = await ctx.blocks.canonicalRootsInRange(r.start_slot, r.count);
        return blockBytes(ctx.blocks, r.step > 1 ? roots.slice(0, 1) : roots);
      },
    },
    [Method.beaconBlocksByRoot]: {
      cost(req) {
        const roots = decodeBody(ssz.BeaconBlocksByRootRequest, req);
        if (roots.length === 0) throw new RequestError(RespCode.invalidRequest, "no roots requested");
        return roots.length;
      },
      handle(req) {
        return blockBytes(ctx.blocks, decodeBody(ssz.BeaconBlocksByRootRequest, req));
      },
    },
  };
}

async function* blockBytes(blocks: BlockSource, roots: Uint8Array[]): AsyncIterable<Uint8Array> {
  for (const root of roots) {
    const bytes = await blocks.blockBytes(root);
    if (bytes !== null) yield bytes;
  }
}

