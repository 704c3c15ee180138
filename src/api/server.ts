/**
 * The Beacon REST API server (fastify 5), bound to 127.0.0.1 unless told otherwise.
 *
 * Request bodies: JSON (`application/json`, or no Content-Type) and SSZ
 * (`application/octet-stream`) are parsed here; which one an endpoint takes is its own business
 * (415 otherwise). Every error leaves as `{code, message}` with a 4xx for the client's mistakes;
 * a 500 means a bug of ours and is logged.
 */
import Fastify, {LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest} from "fastify";
import type {IBeaconChain} from "../chain/interface.ts";
import {silentLogger, type Logger} from "../util/logger.ts";
import {ApiError, clip, toErrorResponse} from "./errors.ts";
import type {ApiContext, ApiNetwork, RouteGroup} from "./context.ts";
import {JSON_TYPE} from "./http/negotiate.ts";
import {bodyLimitOf, limitBody} from "./http/limits.ts";
import {jsonDeeperThan, MAX_JSON_DEPTH} from "./http/jsonDepth.ts";
import {clientErrorHandler, frameworkErrorHandler, sendError} from "./http/frameworkErrors.ts";
import {nodeRoutes} from "./routes/node.ts";
import {configRoutes} from "./routes/config.ts";
import {genesisRoutes} from "./routes/beacon/genesis.ts";
import {stateRoutes} from "./routes/beacon/states.ts";
import {validatorRoutes} from "./routes/beacon/validators.ts";
import {blockRoutes} from "./routes/beacon/blocks.ts";
import {headerRoutes} from "./routes/beacon/headers.ts";
import {poolRoutes} from "./routes/beacon/pool.ts";
import {dutyRoutes} from "./routes/validator/duties.ts";
import {productionRoutes} from "./routes/validator/production.ts";
import {submissionRoutes} from "./routes/validator/submissions.ts";
import {eventRoutes} from "./routes/events.ts";
import {systemTime, type TimeSource} from "../clock/index.ts";
import {debugRoutes} from "./routes/debug.ts";
import {blockRangeRoutes} from "./routes/blockRange.ts";
import {gnomonRoutes} from "./routes/gnomon.ts";
import {uiRoutes} from "./ui/routes.ts";

export interface ApiServerOptions {
  address?: string;
  port?: number;
  logger?: Logger;
  /** Allowed CORS origins: "*" (or true) for any, a list of origins, or none (default). */
  cors?: boolean | string | string[];
  /** The node's networking; without it identity and peers report an unnetworked node. */
  network?: ApiNetwork;
  /** SSE keep-alive comment interval (default 10 s). */
  heartbeatMs?: number;
  /** The time the API's timers run on: the node's clock (default wall time). */
  time?: TimeSource;
  /** Largest request body accepted (default 32 MiB: a JSON block at the preset's limits fits). */
  bodyLimit?: number;
}

export interface ApiServer {
  /** Starts listening; resolves with the base URL (e.g. http://127.0.0.1:5052). */
  listen(): Promise<string>;
  /** Ends open event streams and stops the server. */
  close(): Promise<void>;
  /** The base URL once listening, else null. */
  readonly address: string | null;
  /** The fastify instance (tests use `inject`). */
  readonly app: FastifyInstance;
}

const ROUTE_GROUPS: RouteGroup[] = [
  nodeRoutes,
  configRoutes,
  genesisRoutes,
  stateRoutes,
  validatorRoutes,
  blockRoutes,
  headerRoutes,
  poolRoutes,
  dutyRoutes,
  productionRoutes,
  submissionRoutes,
  eventRoutes,
  debugRoutes,
  blockRangeRoutes,
  gnomonRoutes,
  uiRoutes,
];

/** Id lists (64 pubkeys and more) live in the URL: allow long paths and headers. */
const MAX_PARAM_LENGTH = 64 * 1024;
const MAX_HEADER_SIZE = 1024 * 1024;

function parseJsonText(text: string): unknown {
  if (text.trim() === "") return undefined;
  if (jsonDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new ApiError(400, "JSON_TOO_DEEP", `Malformed JSON body: nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ApiError(400, "MALFORMED_JSON", `Malformed JSON body: ${clip((e as Error).message, 200)}`);
  }
}

export function createApiServer(chain: IBeaconChain, opts: ApiServerOptions = {}): ApiServer {
  const host = opts.address ?? "127.0.0.1";
  const port = opts.port ?? 5052;
  const logger = (opts.logger ?? silentLogger).child({module: "api"});
  const serverBodyLimit = opts.bodyLimit ?? 32 * 1024 * 1024;
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // Per-request lines would flood the node log: validator clients poll every slot.
    logController: new LogController({disableRequestLogging: true}),
    bodyLimit: serverBodyLimit,
    routerOptions: {maxParamLength: MAX_PARAM_LENGTH},
    http: {maxHeaderSize: MAX_HEADER_SIZE},
    // Open event streams are ended in preClose; idle keep-alive sockets must not hold close().
    forceCloseConnections: "idle",
    // Errors fastify and Node's HTTP parser answer themselves (bad URL, oversized parameter,
    // malformed request line or headers) leave in the API's {code, message} shape too.
    frameworkErrors: frameworkErrorHandler(logger),
    clientErrorHandler,
  });

  const closers = new Set<() => void>();
  const ctx: ApiContext = {
    chain,
    network: opts.network,
    logger,
    heartbeatMs: opts.heartbeatMs ?? 10_000,
    time: opts.time ?? systemTime,
    onClose: (fn) => {
      closers.add(fn);
      return () => closers.delete(fn);
    },
  };

  app.removeAllContentTypeParsers();
  app.addContentTypeParser(JSON_TYPE, {parseAs: "string"}, (_req, body, done) => {
    try {
      done(null, parseJsonText(body as string));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
  app.addContentTypeParser("application/octet-stream", {parseAs: "buffer"}, (_req, body, done) => done(null, body));
  // A body without Content-Type is read as JSON (the API's default); any other type is refused
  // here, so a handler never sees a body it cannot interpret.
  app.addContentTypeParser("*", {parseAs: "string"}, (req: FastifyRequest, body, done) => {
    if (req.headers["content-type"] === undefined) {
      try {
        done(null, parseJsonText(body as string));
      } catch (e) {
        done(e as Error, undefined);
      }
      return;
    }
    done(new ApiError(415, "UNSUPPORTED_MEDIA_TYPE", `Unsupported media type: ${clip(req.headers["content-type"])}`), undefined);
  });

  if (opts.cors !== undefined && opts.cors !== false) registerCors(app, opts.cors);

  app.addHook("preParsing", async (req, _reply, payload) =>
    limitBody(payload, req.headers["content-length"], bodyLimitOf(req.routeOptions.url, chain, serverBodyLimit))
  );

  app.setErrorHandler((err, req, reply) => {
    const {status, body, internal} = toErrorResponse(err);
    if (internal) logger.error({err, method: req.method, url: req.url}, "request failed");
    else logger.debug({status, method: req.method, url: req.url, message: body.message}, "request rejected");
    if (reply.sent || reply.raw.headersSent) return;
    sendError(req, reply, status, body);
  });
  app.setNotFoundHandler((req, reply) => {
    sendError(req, reply, 404, {code: 404, message: `Route ${req.method} ${clip(req.url.split("?")[0], 200)} not found`});
  });

  for (const group of ROUTE_GROUPS) group(app, ctx);

  // Before the listener closes: an open event stream would otherwise hold close() forever.
  app.addHook("preClose", async () => {
    const pending = [...closers];
    closers.clear();
    for (const fn of pending) {
      try {
        fn();
      } catch (e) {
        logger.warn({err: e}, "closing an event stream failed");
      }
    }
  });

  let address: string | null = null;
  return {
    app,
    get address() {
      return address;
    },
    async listen() {
      await app.listen({host, port});
      const info = app.server.address();
      const boundPort = info !== null && typeof info === "object" ? info.port : port;
      const shownHost = host.includes(":") ? `[${host}]` : host;
      address = `http://${shownHost}:${boundPort}`;
      return address;
    },
    async close() {
      await app.close();
      address = null;
    },
  };
}

function registerCors(app: FastifyInstance, cors: true | string | string[]): void {
  const list = cors === true ? ["*"] : Array.isArray(cors) ? cors : cors.split(",").map((s) => s.trim());
  const allowed = (origin: string | undefined): string | null => {
    if (list.includes("*")) return "*";
    return origin !== undefined && list.includes(origin) ? origin : null;
  };
  app.addHook("onRequest", async (req, reply) => {
    const origin = allowed(req.headers.origin);
    if (origin === null) return;
    reply.header("Access-Control-Allow-Origin", origin);
    if (origin !== "*") reply.header("Vary", "Origin");
    reply.header("Access-Control-Expose-Headers", "Eth-Consensus-Version, Eth-Execution-Payload-Blinded, Eth-Execution-Payload-Value, Eth-Consensus-Block-Value");
  });
  app.options("/*", async (req, reply) => {
    if (allowed(req.headers.origin) === null) return reply.code(404).send({code: 404, message: "CORS origin not allowed"});
    reply.header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
    reply.header("Access-Control-Allow-Headers", req.headers["access-control-request-headers"] ?? "Content-Type, Accept, Eth-Consensus-Version");
    reply.header("Access-Control-Max-Age", "86400");
    return reply.code(204).send();
  });
}
