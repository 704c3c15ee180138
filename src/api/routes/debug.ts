/** Debug: GET /eth/v2/debug/beacon/states/{state_id} (JSON or SSZ), /eth/v2/debug/beacon/heads, /eth/v1/debug/fork_choice. */
import type {RouteGroup} from "../context.ts";
import {FORK_NAME, json, rawJson, sszBytesOrJson} from "../http/response.ts";
import {stateOrThrow} from "../lookup.ts";
import {ssz} from "../../types/index.ts";
import {toHex} from "../../util/bytes.ts";

export const debugRoutes: RouteGroup = (app, ctx) => {
  app.get("/eth/v2/debug/beacon/states/:state_id", async (req, reply) => {
    const r = await stateOrThrow(ctx.chain, (req.params as {state_id: string}).state_id);
    const view = r.state.state;
    return sszBytesOrJson(
      req,
      reply,
      () => view.serialize(),
      () => ssz.BeaconState.toJson(view.toValue()),
      {version: FORK_NAME, execution_optimistic: r.executionOptimistic, finalized: r.finalized}
    );
  });

  app.get("/eth/v2/debug/beacon/heads", async (req, reply) =>
    json(
      req,
      reply,
      ctx.chain.getHeads().map((h) => ({root: toHex(h.root), slot: String(h.slot), execution_optimistic: false}))
    )
  );

  app.get("/eth/v1/debug/fork_choice", async (req, reply) => {
    const dump = ctx.chain.getForkChoiceDump();
    return rawJson(req, reply, {
      justified_checkpoint: ssz.Checkpoint.toJson(dump.justifiedCheckpoint),
      finalized_checkpoint: ssz.Checkpoint.toJson(dump.finalizedCheckpoint),
      fork_choice_nodes: dump.nodes.map((n) => ({
        slot: String(n.slot),
        block_root: toHex(n.blockRoot),
        parent_root: toHex(n.parentRoot),
        justified_epoch: String(n.justifiedEpoch),
        finalized_epoch: String(n.finalizedEpoch),
        weight: String(n.weight),
        validity: n.validity,
        execution_block_hash: toHex(n.executionBlockHash),
        extra_data: {
          state_root: toHex(n.stateRoot),
          unrealized_justified_epoch: String(n.unrealizedJustifiedEpoch),
          unrealized_finalized_epoch: String(n.unrealizedFinalizedEpoch),
        },
      })),
      extra_data: dump.extraData,
    });
  });
};
