/**
 * What one node of a simulation has in libp2p's place: its peers (those linked to it that
 * completed the status handshake), gossip publishing, the block requests sync makes, and the
 * API's view of the network. Everything that crosses a link goes through the SimNetwork.
 */
import {EventEmitter} from "node:events";
import type {BeaconChain} from "../../chain/index.ts";
import type {GossipMessage} from "../../chain/gossip/interface.ts";
import {attestationSubnet} from "../../chain/validation/subnet.ts";
import {statusOf} from "../../network/status.ts";
import type {
  NetworkIdentity,
  NetworkPeerEvents,
  NodeNetwork,
  PeerAction,
  PeerInfo,
  PublishMessage,
  SyncPeer,
} from "../../network/interface.ts";
import {computeForkDigest} from "../../state-transition/index.ts";
import type {SignedBeaconBlock, Status} from "../../types/index.ts";
import {SimNetworkError, SimNetworkErrorCode} from "./errors.ts";
import {SeenCache} from "./seen.ts";

export type BlockRequest = {method: "beacon_blocks_by_range"; startSlot: number; count: number} | {method: "beacon_blocks_by_root"; roots: Uint8Array[]};

/** What an endpoint asks of the network it is attached to. */
export interface EndpointHost {
  /** Gossips a message the node produced or accepted; the number of peers it went to. */
  publish(from: number, message: GossipMessage): number;
  request(from: number, to: number, request: BlockRequest): Promise<SignedBeaconBlock[]>;
  report(from: number, to: number, action: PeerAction, reason: string): void;
  detach(index: number): void;
}

/** gossipsub's seen TTL on the beacon network: 550 heartbeats of 700 ms. */
export const SEEN_TTL_MS = 550 * 700;

/** Every simulated node takes part in every attestation subnet (a full mesh of all topics). */
const ALL_ATTNETS = new Uint8Array(8).fill(0xff);

export function simPeerId(index: number): string {
  return `sim-${index}`;
}

/** The node index of a simulated peer id, or null. */
export function simPeerIndex(peerId: string): number | null {
  const m = /^sim-(\d+)$/.exec(peerId);
  return m === null ? null : Number(m[1]);
}


export class SimEndpoint implements NodeNetwork {
  readonly index: number;
  readonly peerId: string;
  readonly chain: BeaconChain;
  readonly peerEvents = new EventEmitter<NetworkPeerEvents>();
  readonly seen = new SeenCache(SEEN_TTL_MS);
  private readonly host: EndpointHost;
  /** Peers that completed the status handshake, with their last status. */
  private readonly statuses = new Map<number, Status>();
  private stopped = false;
  private readonly forkDigest: Uint8Array;

  constructor(host: EndpointHost, index: number, chain: BeaconChain) {
    this.host = host;
    this.index = index;
    this.peerId = simPeerId(index);
    this.chain = chain;
    this.forkDigest = computeForkDigest(chain.genesis.genesisForkVersion, chain.genesis.genesisValidatorsRoot);
  }

  /** The status this node announces now. */
  status(): Status {
    return statusOf(this.chain, this.forkDigest);
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  // ---- what the network tells the endpoint ----

  onPeerStatus(peer: number, status: Status): void {
    this.statuses.set(peer, status);
    this.peerEvents.emit("peer:status", {peerId: simPeerId(peer), status});
  }

  onPeerDisconnected(peer: number): void {
    if (!this.statuses.delete(peer)) return;
    this.peerEvents.emit("peer:disconnected", simPeerId(peer));
  }


  // ---- INetworkPeers ----

  syncPeers(): SyncPeer[] {
    return [...this.statuses.keys()].sort((a, b) => a - b).map((peer) => ({peerId: simPeerId(peer), status: this.statuses.get(peer)!}));
  }

  beaconBlocksByRange(peerId: string, startSlot: number, count: number): Promise<SignedBeaconBlock[]> {
    return this.requestTo(peerId, {method: "beacon_blocks_by_range", startSlot, count});
  }

  beaconBlocksByRoot(peerId: string, roots: Uint8Array[]): Promise<SignedBeaconBlock[]> {
    return this.requestTo(peerId, {method: "beacon_blocks_by_root", roots});
  }

  reportPeer(peerId: string, action: PeerAction, reason: string): void {
    const peer = simPeerIndex(peerId);
    if (peer !== null) this.host.report(this.index, peer, action, reason);
  }

  private requestTo(peerId: string, request: BlockRequest): Promise<SignedBeaconBlock[]> {
    const peer = simPeerIndex(peerId);
    if (peer === null || !this.statuses.has(peer)) {
      return Promise.reject(new SimNetworkError(SimNetworkErrorCode.PEER_UNREACHABLE, `${peerId} is not a connected peer of ${this.peerId}`));
    }
    return this.host.request(this.index, peer, request);
  }

  // ---- ApiNetwork ----

  async publish(message: PublishMessage | GossipMessage): Promise<number> {
    if (this.stopped) return 0;
    if (message.kind === "beacon_attestation" && !("subnet" in message)) {
      // An epoch the head state has no shuffling for: libp2p's network cannot place it either.
      const subnet = attestationSubnet(this.chain, message.value);
      return subnet === null ? 0 : this.host.publish(this.index, {kind: "beacon_attestation", subnet, value: message.value});
    }
    return this.host.publish(this.index, message as GossipMessage);
  }

  getNetworkIdentity(): NetworkIdentity {
    return {peerId: this.peerId, enr: "", p2pAddresses: [], discoveryAddresses: [], metadata: {seqNumber: 0, attnets: ALL_ATTNETS.slice()}};
  }

  getPeers(): PeerInfo[] {
    return this.syncPeers().map(({peerId}) => ({
      peerId,
      enr: null,
      lastSeenP2pAddress: "",
      state: "connected",
      // The node with the lower index dials.
      direction: simPeerIndex(peerId)! > this.index ? "outbound" : "inbound",
    }));
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.host.detach(this.index);
  }
}
