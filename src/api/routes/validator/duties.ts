/** /eth/v1/validator/duties/attester/{epoch} (POST) and /eth/v1/validator/duties/proposer/{epoch}. */
import {attesterDutyToJson, proposerDutyToJson} from "../../codec/beaconApi.ts";
import type {RouteGroup} from "../../context.ts";
import {ApiError, badRequest} from "../../errors.ts";
import {json, jsonBody} from "../../http/response.ts";
import {parseUint, uintArray} from "../../params.ts";
import type {IBeaconChain} from "../../../chain/interface.ts";
import {SLOTS_PER_EPOCH} from "../../../params/index.ts";
import {bytesEqual, toHex} from "../../../util/bytes.ts";
import type {AttesterDuties} from "../../../chain/interface.ts";
import {maxIdCount} from "../../http/limits.ts";

/** Duties are known up to the next epoch (the seed lookahead). */
function checkDutyEpoch(chain: IBeaconChain, epoch: number): void {
  const current = Math.floor(chain.currentSlot() / SLOTS_PER_EPOCH);
  if (epoch > current + 1) throw badRequest(`Invalid epoch ${epoch}: duties are known up to the next epoch (${current + 1})`);
}

/** Indices looked up per turn of the chain's lock. */
const DUTY_CHUNK = 512;

/**
 * Attester duties a chunk at a time, yielding between chunks: a request for a whole registry's
 * duties must not hold the chain's lock (and with it block import) or the event loop (and with it
 * the slot clock) for the time it takes. A block imported between two chunks may change the
 * dependent root; the answer is then computed again, so it always belongs to one chain.
 */
async function attesterDutiesInChunks(chain: IBeaconChain, epoch: number, indices: number[]): Promise<AttesterDuties> {
  if (indices.length <= DUTY_CHUNK) return chain.getAttesterDuties(epoch, indices);
  for (let attempt = 0; ; attempt++) {
    const first = await chain.getAttesterDuties(epoch, indices.slice(0, DUTY_CHUNK));
    const duties = [...first.duties];
    let consistent = true;
    for (let i = DUTY_CHUNK; i < indices.length && consistent; i += DUTY_CHUNK) {
      await yieldToEventLoop();
      const r = await chain.getAttesterDuties(epoch, indices.slice(i, i + DUTY_CHUNK));
      consistent = bytesEqual(r.dependentRoot, first.dependentRoot);
      duties.push(...r.duties);
    }
    if (consistent) return {dependentRoot: first.dependentRoot, duties};
    if (attempt >= 2) throw new ApiError(503, "DUTIES_REORGED", `Attester duties of epoch ${epoch} changed while they were computed; try again`);
  }
}

export const dutyRoutes: RouteGroup = (app, ctx) => {
  app.post("/eth/v1/validator/duties/attester/:epoch", async (req, reply) => {
    const epoch = parseUint((req.params as {epoch: string}).epoch, "epoch");
    const indices = uintArray(jsonBody(req), "validator indices", {minItems: 1, maxItems: maxIdCount(ctx.chain)});
    checkDutyEpoch(ctx.chain, epoch);
    const r = await attesterDutiesInChunks(ctx.chain, epoch, indices);
    return json(req, reply, r.duties.map(attesterDutyToJson), {dependent_root: toHex(r.dependentRoot), execution_optimistic: false});
  });

  app.get("/eth/v1/validator/duties/proposer/:epoch", async (req, reply) => {
    const epoch = parseUint((req.params as {epoch: string}).epoch, "epoch");
    checkDutyEpoch(ctx.chain, epoch);
    const r = await ctx.chain.getProposerDuties(epoch);
    return json(req, reply, r.duties.map(proposerDutyToJson), {dependent_root: toHex(r.dependentRoot), execution_optimistic: false});
  });
};

/** Lets block import and the slot clock run between chunks (a macrotask turn, not a timer). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
