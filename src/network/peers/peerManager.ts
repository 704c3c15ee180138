/**
 * The peer manager: every connection gets a status handshake (a peer on another fork digest, or
 * whose finalized checkpoint contradicts ours, is sent away with a goodbye), then a metadata
 * request; peers are scored, disconnected or banned on bad behaviour; the connected count is
 * kept near the target (discovery and static peers below it, the worst-scored pruned above it);
 * static peers are redialled when lost.
 */
import {EventEmitter} from "node:events";
import type {Connection} from "@libp2p/interface";
import {peerIdFromString} from "@libp2p/peer-id";
import {multiaddr, type Multiaddr} from "@multiformats/multiaddr";
import type {MetaData, Status} from "../../types/index.ts";
import type {Logger} from "../../util/logger.ts";
import {PeerAction, type NetworkPeerEvents, type SyncPeer} from "../interface.ts";
import {peerIdOfMultiaddr, type Libp2pHost} from "../libp2p.ts";
import {GoodbyeReason} from "../reqresp/protocols.ts";
import type {PeerDirection, PeerState} from "../interface.ts";
import {BAN_DURATION_MS, PeerScore} from "./peerScore.ts";

export interface PeerRecord {
  peerId: string;
  direction: PeerDirection;
  address: string;
  state: PeerState;
  status: Status | null;
  metadata: MetaData | null;
  score: PeerScore;
  agent: string | null;
  connectedAtMs: number;
  lastPingMs: number;
}

/** What the manager asks of the rest of the network. */
export interface PeerManagerDeps {
  host: Libp2pHost;
  logger: Logger;
  now(): number;
  /** Requests the peer's status (and answers with ours). */
  requestStatus(peerId: string): Promise<Status>;
  requestMetadata(peerId: string): Promise<MetaData>;
  requestPing(peerId: string): Promise<number>;
  sendGoodbye(peerId: string, reason: number): Promise<void>;
  /** null: the status is acceptable; else why the peer is irrelevant. */
  checkStatus(status: Status): Promise<string | null>;
  /** The gossipsub score of a peer. */
  gossipScore(peerId: string): number;
  /** Candidates to dial when below the target (from discovery). */
  discoverPeers(count: number): Promise<Multiaddr[]>;
}

export interface PeerManagerOptions {
  targetPeers: number;
  staticPeers: string[];
  /** Milliseconds between heartbeats (default 10 s). */
  heartbeatMs?: number;
}

/** Gossipsub's graylist threshold: below it a peer's gossip is dropped, so the peer is useless. */
const GOSSIP_DISCONNECT_SCORE = -16000;
const PING_INTERVAL_MS = 30_000;
const STATIC_REDIAL_MS = 5_000;
const MAX_REMEMBERED_DISCONNECTED = 64;
/** Above the target, inbound connections are still accepted up to this factor (then pruned). */
const PEER_EXCESS_FACTOR = 1.1;

export class PeerManager {
  readonly events = new EventEmitter<NetworkPeerEvents>();
  private readonly deps: PeerManagerDeps;
  private readonly opts: Required<PeerManagerOptions>;
  private readonly peers = new Map<string, PeerRecord>();
  private readonly disconnected: PeerRecord[] = [];
  private readonly bans = new Map<string, number>();
  private readonly staticAddrs: Multiaddr[];
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(deps: PeerManagerDeps, opts: PeerManagerOptions) {
    this.deps = deps;
    this.opts = {heartbeatMs: 10_000, ...opts};
    this.staticAddrs = opts.staticPeers.map((a) => multiaddr(a));
  }

  start(): void {
    const host = this.deps.host;
    host.addEventListener("connection:open", this.onConnectionOpen);
    host.addEventListener("peer:disconnect", this.onPeerDisconnect);
    host.addEventListener("peer:identify", this.onIdentify);
    this.timer = setInterval(() => void this.heartbeat(), this.opts.heartbeatMs);
    // The first heartbeat at once: static peers and bootnodes are dialled on start, not 10 s later.
    void this.heartbeat();
  }

  /** Says goodbye to every peer (client shutdown), then stops the heartbeat. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    const host = this.deps.host;
    host.removeEventListener("connection:open", this.onConnectionOpen);
    host.removeEventListener("peer:disconnect", this.onPeerDisconnect);
    host.removeEventListener("peer:identify", this.onIdentify);
    await Promise.all([...this.peers.keys()].map((id) => this.deps.sendGoodbye(id, GoodbyeReason.clientShutdown).catch(() => {})));
  }

  // ---- views ----

  /** Connected peers and recently disconnected ones (for the API). */
  all(): PeerRecord[] {
    return [...this.peers.values(), ...this.disconnected.filter((d) => !this.peers.has(d.peerId))];
  }

  get(peerId: string): PeerRecord | undefined {
    return this.peers.get(peerId);
  }

  syncPeers(): SyncPeer[] {
    const out: SyncPeer[] = [];
    for (const p of this.peers.values()) if (p.status !== null && p.state === "connected") out.push({peerId: p.peerId, status: p.status});
    return out;
  }

  isBanned(peerId: string): boolean {
    const until = this.bans.get(peerId);
    if (until === undefined) return false;
    if (until > this.deps.now()) return true;
    this.bans.delete(peerId);
    return false;
  }

  // ---- events ----

  private readonly onConnectionOpen = (evt: CustomEvent<Connection>): void => {
    const conn = evt.detail;
    const peerId = conn.remotePeer.toString();
    if (this.stopped) return;
    if (this.isBanned(peerId)) {
      void conn.close().catch(() => {});
      return;
    }
    const existing = this.peers.get(peerId);
    if (existing !== undefined) return;
    const now = this.deps.now();
    const record: PeerRecord = {
      peerId,
      direction: conn.direction,
      address: conn.remoteAddr.toString(),
      state: "connected",
      status: null,
      metadata: null,
      score: new PeerScore(now),
      agent: null,
      connectedAtMs: now,
      lastPingMs: now,
    };
    this.peers.set(peerId, record);
    if (conn.direction === "inbound" && this.peers.size > Math.ceil(this.opts.targetPeers * PEER_EXCESS_FACTOR)) {
      void this.disconnect(peerId, GoodbyeReason.tooManyPeers, "too many peers");
      return;
    }
    void this.handshake(record);
  };

  private readonly onPeerDisconnect = (evt: CustomEvent<{toString(): string}>): void => {
    const peerId = evt.detail.toString();
    const record = this.peers.get(peerId);
    if (record === undefined) return;
    this.peers.delete(peerId);
    record.state = "disconnected";
    this.disconnected.unshift(record);
    this.disconnected.length = Math.min(this.disconnected.length, MAX_REMEMBERED_DISCONNECTED);
    this.deps.logger.debug({peer: peerId}, "peer disconnected");
    this.events.emit("peer:disconnected", peerId);
    if (!this.stopped && this.staticAddrs.some((a) => peerIdOfMultiaddr(a) === peerId)) {
      setTimeout(() => void this.dialStatic(), STATIC_REDIAL_MS).unref();
    }
  };

  private readonly onIdentify = (evt: CustomEvent<{peerId: {toString(): string}; agentVersion?: string}>): void => {
    const record = this.peers.get(evt.detail.peerId.toString());
    if (record !== undefined) record.agent = evt.detail.agentVersion ?? null;
  };

  // ---- handshake ----

  private async handshake(record: PeerRecord): Promise<void> {
    let status: Status;
    try {
      status = await this.deps.requestStatus(record.peerId);
    } catch (e) {
      if (!this.peers.has(record.peerId)) return;
      this.deps.logger.debug({peer: record.peerId, err: (e as Error).message}, "status handshake failed");
      await this.disconnect(record.peerId, GoodbyeReason.unableToVerify, "status handshake failed");
      return;
    }
    if (!(await this.onStatus(record.peerId, status))) return;
    try {
      record.metadata = await this.deps.requestMetadata(record.peerId);
    } catch (e) {
      this.deps.logger.debug({peer: record.peerId, err: (e as Error).message}, "metadata request failed");
    }
  }

  /** A status from a peer (handshake answer or its own request); false if the peer was sent away. */
  async onStatus(peerId: string, status: Status): Promise<boolean> {
    const record = this.peers.get(peerId);
    if (record === undefined) return false;
    const irrelevant = await this.deps.checkStatus(status);
    if (irrelevant !== null) {
      this.deps.logger.info({peer: peerId, reason: irrelevant}, "peer on another chain: disconnecting");
      await this.disconnect(peerId, GoodbyeReason.irrelevantNetwork, irrelevant);
      return false;
    }
    const first = record.status === null;
    record.status = status;
    if (first) this.deps.logger.info({peer: peerId, direction: record.direction, headSlot: status.head_slot, finalizedEpoch: status.finalized_epoch}, "peer connected");
    this.events.emit("peer:status", {peerId, status});
    return true;
  }

  onGoodbye(peerId: string, reason: number): void {
    this.deps.logger.debug({peer: peerId, reason}, "goodbye received");
    const record = this.peers.get(peerId);
    if (record !== undefined) record.state = "disconnecting";
    // Let the goodbye's answer go out before the connection closes.
    setTimeout(() => void this.hangUp(peerId), 200).unref();
  }

  // ---- scores ----

  reportPeer(peerId: string, action: PeerAction, reason: string): void {
    const record = this.peers.get(peerId);
    if (record === undefined) {
      if (action === PeerAction.Fatal) this.ban(peerId);
      return;
    }
    const now = this.deps.now();
    const score = record.score.apply(action, now);
    const state = record.score.state(now);
    this.deps.logger.debug({peer: peerId, action, reason, score}, "peer reported");
    if (state === "ban") {
      this.deps.logger.info({peer: peerId, reason}, "banning peer");
      this.ban(peerId);
      void this.disconnect(peerId, GoodbyeReason.banned, reason);
    } else if (state === "disconnect") {
      void this.disconnect(peerId, GoodbyeReason.badScore, reason);
    }
  }

  private ban(peerId: string): void {
    this.bans.set(peerId, this.deps.now() + BAN_DURATION_MS);
  }

  // ---- connections ----

  async disconnect(peerId: string, reason: number, why: string): Promise<void> {
    const record = this.peers.get(peerId);
    if (record !== undefined) {
      if (record.state === "disconnecting") return;
      record.state = "disconnecting";
    }
    this.deps.logger.debug({peer: peerId, reason, why}, "disconnecting peer");
    await this.deps.sendGoodbye(peerId, reason).catch(() => {});
    await this.hangUp(peerId);
  }

  private async hangUp(peerId: string): Promise<void> {
    try {
      await this.deps.host.hangUp(peerIdFromString(peerId));
    } catch (e) {
      this.deps.logger.debug({peer: peerId, err: (e as Error).message}, "hang up failed");
    }
  }

  private async dialStatic(): Promise<void> {
    for (const addr of this.staticAddrs) {
      const id = peerIdOfMultiaddr(addr);
      if (this.stopped || (id !== null && (this.peers.has(id) || this.isBanned(id)))) continue;
      try {
        await this.deps.host.dial(addr, {signal: AbortSignal.timeout(10_000)});
      } catch (e) {
        this.deps.logger.debug({addr: addr.toString(), err: (e as Error).message}, "static peer dial failed");
        if (!this.stopped) setTimeout(() => void this.dialStatic(), STATIC_REDIAL_MS).unref();
        return;
      }
    }
  }

  private async heartbeat(): Promise<void> {
    if (this.stopped) return;
    const now = this.deps.now();
    for (const record of this.peers.values()) {
      if (record.state !== "connected") continue;
      if (this.deps.gossipScore(record.peerId) < GOSSIP_DISCONNECT_SCORE) {
        void this.disconnect(record.peerId, GoodbyeReason.badScore, "gossip score below the graylist threshold");
        continue;
      }
      if (record.status !== null && now - record.lastPingMs >= PING_INTERVAL_MS) {
        record.lastPingMs = now;
        void this.ping(record);
      }
    }
    const healthy = [...this.peers.values()].filter((p) => p.state === "connected");
    if (healthy.length > this.opts.targetPeers) {
      const excess = healthy
        .sort((a, b) => a.score.score(now) + this.deps.gossipScore(a.peerId) - (b.score.score(now) + this.deps.gossipScore(b.peerId)))
        .slice(0, healthy.length - this.opts.targetPeers);
      for (const p of excess) void this.disconnect(p.peerId, GoodbyeReason.tooManyPeers, "above the target peer count");
    } else if (healthy.length < this.opts.targetPeers) {
      await this.dialStatic();
      const candidates = await this.deps.discoverPeers(this.opts.targetPeers - healthy.length).catch(() => []);
      for (const addr of candidates) {
        const id = peerIdOfMultiaddr(addr);
        if (id === null || this.peers.has(id) || this.isBanned(id) || id === this.deps.host.peerId.toString()) continue;
        void this.deps.host.dial(addr, {signal: AbortSignal.timeout(10_000)}).catch((e: Error) => {
          this.deps.logger.debug({addr: addr.toString(), err: e.message}, "dial failed");
        });
      }
    }
  }

  private async ping(record: PeerRecord): Promise<void> {
    try {
      const seq = await this.deps.requestPing(record.peerId);
      if (record.metadata === null || seq > record.metadata.seq_number) {
        record.metadata = await this.deps.requestMetadata(record.peerId);
      }
    } catch (e) {
      this.deps.logger.debug({peer: record.peerId, err: (e as Error).message}, "ping failed");
    }
  }
}
