/**
 * What sync (and checkpoint backfill) needs from the network: the connected peers with the status
 * each announced, the two block request protocols, and a way to report a peer that served bad
 * data. The libp2p network implements it; tests and the simulator can put another implementation
 * in its place.
 */
import type {EventEmitter} from "node:events";
import type {GossipMessage} from "../chain/gossip/interface.ts";
import type {Attestation, SignedBeaconBlock, Status} from "../types/index.ts";

/** How bad a peer's behaviour was (the peer manager turns this into a score change). */
export const PeerAction = {
  /** Clearly malicious or broken (invalid block, bad signature): ban. */
  Fatal: "fatal",
  LowTolerance: "low_tolerance",
  MidTolerance: "mid_tolerance",
  HighTolerance: "high_tolerance",
} as const;
export type PeerAction = (typeof PeerAction)[keyof typeof PeerAction];

export interface SyncPeer {
  peerId: string;
  /** The peer's last status (from the handshake or a later status request). */
  status: Status;
}

export interface NetworkPeerEvents {
  /** A peer completed the status handshake (or sent a new status) and is on our fork digest. */
  "peer:status": [SyncPeer];
  "peer:disconnected": [string];
}

export interface INetworkPeers {
  readonly peerEvents: EventEmitter<NetworkPeerEvents>;
  /** Connected peers that passed the status handshake. */
  syncPeers(): SyncPeer[];
  /** beacon_blocks_by_range (step 1): the blocks the peer returns, in slot order, checked against the request's range. */
  beaconBlocksByRange(peerId: string, startSlot: number, count: number): Promise<SignedBeaconBlock[]>;
  /** beacon_blocks_by_root: the blocks the peer has among `roots`. */
  beaconBlocksByRoot(peerId: string, roots: Uint8Array[]): Promise<SignedBeaconBlock[]>;
  reportPeer(peerId: string, action: PeerAction, reason: string): void;
}

// What the REST API reports of the network and asks of it (node/identity, node/peers,
// publishing, committee subscriptions). Declared here so the API depends on the network layer
// below it, not the other way round.

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

/**
 * What a beacon node runs its networking through: libp2p, or the simulator's network in its
 * place. Gossip arrives at the chain's GossipSink either way, and sync and the API use it alike.
 */
export interface NodeNetwork extends ApiNetwork, INetworkPeers {
  stop(): Promise<void>;
}
