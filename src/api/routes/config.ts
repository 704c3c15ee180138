/** /eth/v1/config/*: spec, fork_schedule, deposit_contract. */
import type {RouteGroup} from "../context.ts";
import {json} from "../http/response.ts";
import {specValues} from "../specValues.ts";
import {GENESIS_EPOCH} from "../../params/index.ts";
import {toHex} from "../../util/bytes.ts";

export const configRoutes: RouteGroup = (app, ctx) => {
  const {config} = ctx.chain;
  app.get("/eth/v1/config/spec", async (req, reply) => json(req, reply, specValues(config)));

  // Gnomon runs phase0 only: its schedule is the genesis fork, whatever later forks the config names.
  app.get("/eth/v1/config/fork_schedule", async (req, reply) => {
    const v = toHex(config.GENESIS_FORK_VERSION);
    return json(req, reply, [{previous_version: v, current_version: v, epoch: String(GENESIS_EPOCH)}]);
  });

  app.get("/eth/v1/config/deposit_contract", async (req, reply) =>
    json(req, reply, {chain_id: String(config.DEPOSIT_CHAIN_ID), address: toHex(config.DEPOSIT_CONTRACT_ADDRESS)})
  );
};
