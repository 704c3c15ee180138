/**
 * What every route group is handed: the chain, the node's network view, a logger, and the event
 * streams to close on shutdown.
 */
import type {TimeSource} from "../clock/index.ts";
import type {FastifyInstance} from "fastify";
import type {IBeaconChain} from "../chain/interface.ts";
import type {ApiNetwork} from "../network/interface.ts";
import type {Logger} from "../util/logger.ts";

export type {ApiNetwork, CommitteeSubscription, NetworkIdentity, PeerDirection, PeerInfo, PeerState, PublishMessage} from "../network/interface.ts";

export interface ApiContext {
  chain: IBeaconChain;
  network: ApiNetwork | undefined;
  logger: Logger;
  /** Interval of the SSE keep-alive comment. */
  heartbeatMs: number;
  /** What the API's timers run on (the node's clock). */
  time: TimeSource;
  /** Registers `fn` to run when the server closes (ends open event streams); returns its unregister. */
  onClose(fn: () => void): () => void;
}

export type RouteGroup = (app: FastifyInstance, ctx: ApiContext) => void;
