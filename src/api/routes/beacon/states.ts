/**
 * /eth/v1/beacon/states/{state_id}/{root,fork,finality_checkpoints,committees,randao}.
 * (validators and balances: ./validators.ts)
 */
import type {RouteGroup} from "../../context.ts";
import {badRequest} from "../../errors.ts";
import {json, type Meta} from "../../http/response.ts";
import {stateOrThrow} from "../../lookup.ts";
import {parseOptionalUint} from "../../params.ts";
import {committeesAtEpoch} from "../../committees.ts";
import type {StateResult} from "../../../chain/interface.ts";
import {EPOCHS_PER_HISTORICAL_VECTOR, SLOTS_PER_EPOCH} from "../../../params/index.ts";
import {ssz} from "../../../types/index.ts";
import {toHex} from "../../../util/bytes.ts";
import {computeEpochAtSlot, getCurrentEpoch, getRandaoMix} from "../../../state-transition/index.ts";

export function stateMeta(r: StateResult): Meta {
  return {execution_optimistic: r.executionOptimistic, finalized: r.finalized};
}

export const stateRoutes: RouteGroup = (app, ctx) => {
  app.get("/eth/v1/beacon/states/:state_id/root", async (req, reply) => {
    const r = await stateOrThrow(ctx.chain, (req.params as {state_id: string}).state_id);
    return json(req, reply, {root: toHex(r.stateRoot)}, stateMeta(r));
  });

  app.get("/eth/v1/beacon/states/:state_id/fork", async (req, reply) => {
    const r = await stateOrThrow(ctx.chain, (req.params as {state_id: string}).state_id);
    return json(req, reply, ssz.Fork.toJson(r.state.state.fork.toValue()), stateMeta(r));
  });

  app.get("/eth/v1/beacon/states/:state_id/finality_checkpoints", async (req, reply) => {
    const r = await stateOrThrow(ctx.chain, (req.params as {state_id: string}).state_id);
    const s = r.state.state;
    return json(
      req,
      reply,
      {
        previous_justified: ssz.Checkpoint.toJson(s.previous_justified_checkpoint.toValue()),
        current_justified: ssz.Checkpoint.toJson(s.current_justified_checkpoint.toValue()),
        finalized: ssz.Checkpoint.toJson(s.finalized_checkpoint.toValue()),
      },
      stateMeta(r)
    );
  });

  app.get("/eth/v1/beacon/states/:state_id/committees", async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const epochParam = parseOptionalUint(q.epoch, "epoch");
    const index = parseOptionalUint(q.index, "index");
    const slot = parseOptionalUint(q.slot, "slot");
    const r = await stateOrThrow(ctx.chain, (req.params as {state_id: string}).state_id);
    const epoch = epochParam ?? getCurrentEpoch(r.state.state);
    if (slot !== undefined && computeEpochAtSlot(slot) !== epoch) {
      throw badRequest(`Slot ${slot} does not belong in epoch ${epoch}`);
    }
    const {committees} = committeesAtEpoch(r.state, epoch);
    const startSlot = epoch * SLOTS_PER_EPOCH;
    const data: {index: string; slot: string; validators: string[]}[] = [];
    for (let i = 0; i < committees.length; i++) {
      const s = startSlot + i;
      if (slot !== undefined && s !== slot) continue;
      for (let c = 0; c < committees[i].length; c++) {
        if (index !== undefined && c !== index) continue;
        data.push({index: String(c), slot: String(s), validators: Array.from(committees[i][c], String)});
      }
    }
    return json(req, reply, data, stateMeta(r));
  });

  app.get("/eth/v1/beacon/states/:state_id/randao", async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const epochParam = parseOptionalUint(q.epoch, "epoch");
    const r = await stateOrThrow(ctx.chain, (req.params as {state_id: string}).state_id);
    const current = getCurrentEpoch(r.state.state);
    const epoch = epochParam ?? current;
    // randao_mixes holds the last EPOCHS_PER_HISTORICAL_VECTOR epochs up to the state's own.
    if (epoch > current || epoch + EPOCHS_PER_HISTORICAL_VECTOR <= current) {
      throw badRequest(
        `Epoch ${epoch} is out of range for the randao_mixes of the state (epochs ${Math.max(0, current - EPOCHS_PER_HISTORICAL_VECTOR + 1)}..${current})`
      );
    }
    return json(req, reply, {randao: toHex(getRandaoMix(r.state.state, epoch))}, stateMeta(r));
  });
};
