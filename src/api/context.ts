/**
 * What every route group is handed: the chain, the node's network view, a logger, and the event
 * streams to close on shutdown.
 */
import type {FastifyInstance} from "fastify";
import type {IBeaconChain} from "../chain/interface.ts";
import type {GossipMessage} from "../chain/gossip/interface.ts";
import type {Attestation} from "../types/index.ts";
import type {Logger} from "../util/logger.ts";

export type PeerState = "disconnected" | "connecting" | "connected" | "disconnecting";
export type PeerDirection = "inbound" | "outbound";

export interface NetworkIdentity {
  peerId: string;
  /** "enr:..." */
  enr: string;
  p2pAddresses: string[];
  discoveryAddresses: string[];
  metadata: {seqNumber: number; attnets: Uint8Array};
}

export interface PeerInfo {
  peerId: string;
  enr: string | null;
  lastSeenP2pAddress: string;
  state: PeerState;
  direction: PeerDirection;
}

/** What REST hands the network to gossip: an attestation's subnet is the network's to compute. */
export type PublishMessage = Exclude<GossipMessage, {kind: "beacon_attestation"}> | {kind: "beacon_attestation"; value: Attestation};

export interface CommitteeSubscription {
  slot: number;
  committeeIndex: number;
  committeesAtSlot: number;
}

/** The node's networking as the API reports it (node/identity, node/peers, node/peer_count). */
export interface ApiNetwork {
  getNetworkIdentity(): NetworkIdentity;
  getPeers(): PeerInfo[];
  /** Gossips what the node accepted over REST (absent without networking). */
  publish?(message: PublishMessage): Promise<unknown>;
  /** beacon_committee_subscriptions: join the duties' attestation subnets (absent without networking). */
  subscribeCommittees?(subs: CommitteeSubscription[]): void;
}

export interface ApiContext {
  chain: IBeaconChain;
  network: ApiNetwork | undefined;
  logger: Logger;
  /** Interval of the SSE keep-alive comment. */
  heartbeatMs: number;
  /** Registers `fn` to run when the server closes (ends open event streams); returns its unregister. */
  onClose(fn: () => void): () => void;
}

export type RouteGroup = (app: FastifyInstance, ctx: ApiContext) => void;
