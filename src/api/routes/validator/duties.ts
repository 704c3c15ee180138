/** /eth/v1/validator/duties/attester/{epoch} (POST) and /eth/v1/validator/duties/proposer/{epoch}. */
import {attesterDutyToJson, proposerDutyToJson} from "../../codec/beaconApi.ts";
import type {RouteGroup} from "../../context.ts";
import {badRequest} from "../../errors.ts";
import {json, jsonBody} from "../../http/response.ts";
import {parseUint, uintArray} from "../../params.ts";
import type {IBeaconChain} from "../../../chain/interface.ts";
import {SLOTS_PER_EPOCH} from "../../../params/index.ts";
import {toHex} from "../../../util/bytes.ts";

/** Duties are known up to the next epoch (the seed lookahead). */
function checkDutyEpoch(chain: IBeaconChain, epoch: number): void {
  const current = Math.floor(chain.currentSlot() / SLOTS_PER_EPOCH);
  if (epoch > current + 1) throw badRequest(`Invalid epoch ${epoch}: duties are known up to the next epoch (${current + 1})`);
}

export const dutyRoutes: RouteGroup = (app, ctx) => {
  app.post("/eth/v1/validator/duties/attester/:epoch", async (req, reply) => {
    const epoch = parseUint((req.params as {epoch: string}).epoch, "epoch");
    const indices = uintArray(jsonBody(req), "validator indices", {minItems: 1});
    checkDutyEpoch(ctx.chain, epoch);
    const r = await ctx.chain.getAttesterDuties(epoch, indices);
    return json(req, reply, r.duties.map(attesterDutyToJson), {dependent_root: toHex(r.dependentRoot), execution_optimistic: false});
  });

  app.get("/eth/v1/validator/duties/proposer/:epoch", async (req, reply) => {
    const epoch = parseUint((req.params as {epoch: string}).epoch, "epoch");
    checkDutyEpoch(ctx.chain, epoch);
    const r = await ctx.chain.getProposerDuties(epoch);
    return json(req, reply, r.duties.map(proposerDutyToJson), {dependent_root: toHex(r.dependentRoot), execution_optimistic: false});
  });
};
