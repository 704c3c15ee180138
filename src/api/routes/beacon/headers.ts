/** /eth/v1/beacon/headers (slot and parent_root filters) and /eth/v1/beacon/headers/{block_id}. */
import type {RouteGroup} from "../../context.ts";
import {notFound} from "../../errors.ts";
import {json} from "../../http/response.ts";
import {toChainBlockId} from "../../lookup.ts";
import {parseBlockId, parseOptionalUint, parseRoot, single} from "../../params.ts";
import type {HeaderResult} from "../../../chain/interface.ts";
import {ssz} from "../../../types/index.ts";
import {bytesEqual, toHex} from "../../../util/bytes.ts";

function headerJson(h: HeaderResult): Record<string, unknown> {
  return {root: toHex(h.root), canonical: h.canonical, header: ssz.SignedBeaconBlockHeader.toJson(h.header)};
}

export const headerRoutes: RouteGroup = (app, ctx) => {
  app.get("/eth/v1/beacon/headers", async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const slot = parseOptionalUint(q.slot, "slot");
    const parentRoot = q.parent_root === undefined ? undefined : parseRoot(single(q.parent_root, "parent_root"), "parent_root");
    // Both filters together select the headers that match both.
    const headers = (await ctx.chain.getHeaders({slot, parentRoot})).filter(
      (h) =>
        (slot === undefined || h.header.message.slot === slot) &&
        (parentRoot === undefined || bytesEqual(h.header.message.parent_root, parentRoot))
    );
    return json(req, reply, headers.map(headerJson), {
      execution_optimistic: false,
      finalized: headers.length > 0 && headers.every((h) => h.finalized),
    });
  });

  app.get("/eth/v1/beacon/headers/:block_id", async (req, reply) => {
    const raw = (req.params as {block_id: string}).block_id;
    const h = await ctx.chain.getHeaderById(toChainBlockId(parseBlockId(raw)));
    if (h === null) throw notFound(`Block not found: ${raw}`, "BLOCK_NOT_FOUND");
    return json(req, reply, headerJson(h), {execution_optimistic: h.executionOptimistic, finalized: h.finalized});
  });
};
