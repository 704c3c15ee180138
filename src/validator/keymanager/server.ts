/**
 * The keymanager REST API (keymanager-APIs) of `gnomon validator --keymanager`, on 127.0.0.1
 * only. Every route needs `Authorization: Bearer <token>`; a missing or wrong token is a 401.
 * Errors leave as `{code, message}`. Fee recipient and gas limit belong to execution payloads,
 * which a phase0 client does not build: those routes answer 404 with the reason. Remote signers
 * are not supported: the remote key list is empty, an import of one is an `error` per key and a
 * delete finds nothing.
 */
import Fastify, {type FastifyInstance, type FastifyReply, type FastifyRequest} from "fastify";
import {toHex} from "../../util/bytes.ts";
import {errorMessage} from "../../util/errors.ts";
import {silentLogger, type Logger} from "../../util/logger.ts";
import {KeymanagerError} from "./errors.ts";
import {parsePubkey, type KeyManager} from "./keyManager.ts";
import {bearerMatches} from "./token.ts";

export interface KeymanagerServerOptions {
  port: number;
  token: string;
  logger?: Logger;
}

export interface KeymanagerServer {
  readonly url: string;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

const NO_EXECUTION = "Gnomon runs phase0: there are no execution payloads, so no fee recipient or gas limit to manage";

type Params = {pubkey: string};

export function buildKeymanagerApp(km: KeyManager, opts: Omit<KeymanagerServerOptions, "port">): FastifyInstance {
  const logger = opts.logger ?? silentLogger;
  // Keystores with scrypt at the EIP's cost are small; 16 MiB is room for hundreds of them.
  const app = Fastify({logger: false, bodyLimit: 16 * 1024 * 1024});

  app.addHook("onRequest", async (req, reply) => {
    if (!bearerMatches(req.headers.authorization, opts.token)) {
      const message = req.headers.authorization === undefined ? "missing bearer token" : "invalid bearer token";
      return reply.code(401).send({code: "UNAUTHORIZED", message});
    }
  });

  app.setErrorHandler(async (err: unknown, _req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof KeymanagerError) return reply.code(err.status).send({code: err.code, message: err.message});
    const status = (err as {statusCode?: number}).statusCode;
    if (status !== undefined && status >= 400 && status < 500) return reply.code(status).send({code: "BAD_REQUEST", message: errorMessage(err)});
    logger.error({err: errorMessage(err)}, "keymanager request failed");
    return reply.code(500).send({code: "INTERNAL_ERROR", message: errorMessage(err)});
  });
  app.setNotFoundHandler(async (req, reply) => reply.code(404).send({code: "NOT_FOUND", message: `no route ${req.method} ${req.url}`}));

  app.get("/eth/v1/keystores", async () => ({data: km.list()}));
  app.post("/eth/v1/keystores", async (req) => {
    const data = await km.importKeystores(req.body);
    logger.info({imported: data.filter((s) => s.status === "imported").length, requested: data.length}, "keymanager: keystores imported");
    return {data};
  });
  app.delete("/eth/v1/keystores", async (req) => {
    const result = await km.deleteKeys(req.body);
    logger.info({deleted: result.data.filter((s) => s.status === "deleted").length, requested: result.data.length}, "keymanager: keys deleted");
    return result;
  });

  app.get<{Params: Params}>("/eth/v1/validator/:pubkey/graffiti", async (req) => ({data: km.getGraffiti(parsePubkey(req.params.pubkey))}));
  app.post<{Params: Params}>("/eth/v1/validator/:pubkey/graffiti", async (req, reply) => {
    await km.setGraffiti(parsePubkey(req.params.pubkey), req.body);
    return reply.code(202).send();
  });
  app.delete<{Params: Params}>("/eth/v1/validator/:pubkey/graffiti", async (req, reply) => {
    await km.deleteGraffiti(parsePubkey(req.params.pubkey));
    return reply.code(204).send();
  });

  app.post<{Params: Params; Querystring: {epoch?: string}}>("/eth/v1/validator/:pubkey/voluntary_exit", async (req) => {
    const signed = await km.signVoluntaryExit(parsePubkey(req.params.pubkey), req.query.epoch);
    return {
      data: {
        message: {epoch: String(signed.message.epoch), validator_index: String(signed.message.validator_index)},
        signature: toHex(signed.signature),
      },
    };
  });

  for (const route of ["/eth/v1/validator/:pubkey/feerecipient", "/eth/v1/validator/:pubkey/gas_limit"]) {
    app.route<{Params: Params}>({
      method: ["GET", "POST", "DELETE"],
      url: route,
      handler: async (req) => {
        parsePubkey(req.params.pubkey);
        throw new KeymanagerError(404, NO_EXECUTION);
      },
    });
  }

  app.get("/eth/v1/remotekeys", async () => ({data: []}));
  app.post("/eth/v1/remotekeys", async (req) => {
    const keys = (req.body as {remote_keys?: unknown} | undefined)?.remote_keys;
    if (!Array.isArray(keys)) throw new KeymanagerError(400, "remote_keys must be an array");
    return {data: keys.map(() => ({status: "error", message: "Gnomon does not support remote signers"}))};
  });
  app.delete("/eth/v1/remotekeys", async (req) => {
    const pubkeys = (req.body as {pubkeys?: unknown} | undefined)?.pubkeys;
    if (!Array.isArray(pubkeys)) throw new KeymanagerError(400, "pubkeys must be an array of public keys");
    pubkeys.forEach((p, i) => parsePubkey(p, `pubkeys[${i}]`));
    return {data: pubkeys.map(() => ({status: "not_found"}))};
  });
  return app;
}

/** Serves the keymanager API on 127.0.0.1:`port` (0: any free port). */
export async function startKeymanagerServer(km: KeyManager, opts: KeymanagerServerOptions): Promise<KeymanagerServer> {
  const app = buildKeymanagerApp(km, opts);
  await app.listen({host: "127.0.0.1", port: opts.port});
  const address = app.server.address();
  const port = typeof address === "object" && address !== null ? address.port : opts.port;
  return {url: `http://127.0.0.1:${port}`, app, close: () => app.close()};
}
