/**
 * GET /gnomon/v1/node/block_range (not a standard route; other clients expose the same under their
 * own prefix): the blocks this node stores. A checkpoint-synced node holds blocks from its anchor
 * until backfill reaches genesis; tools ask here before requesting older blocks or states.
 */
import type {RouteGroup} from "../context.ts";
import {notFound} from "../errors.ts";
import {json} from "../http/response.ts";
import {toHex} from "../../util/bytes.ts";

export const blockRangeRoutes: RouteGroup = (app, ctx) => {
  app.get("/gnomon/v1/node/block_range", async (req, reply) => {
    if (ctx.chain.getBlockRange === undefined) throw notFound("this node does not report its block range");
    const r = await ctx.chain.getBlockRange();
    return json(req, reply, {
      oldest_slot: String(r.oldestSlot),
      oldest_root: toHex(r.oldestRoot),
      head_slot: String(r.headSlot),
      head_root: toHex(r.headRoot),
      from_genesis: r.fromGenesis,
    });
  });
};
