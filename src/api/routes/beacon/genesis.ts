/** /eth/v1/beacon/genesis. */
import type {RouteGroup} from "../../context.ts";
import {json} from "../../http/response.ts";
import {toHex} from "../../../util/bytes.ts";

export const genesisRoutes: RouteGroup = (app, ctx) => {
  app.get("/eth/v1/beacon/genesis", async (req, reply) => {
    const g = ctx.chain.genesis;
    return json(req, reply, {
      genesis_time: String(g.genesisTime),
      genesis_validators_root: toHex(g.genesisValidatorsRoot),
      genesis_fork_version: toHex(g.genesisForkVersion),
    });
  });
};
