/**
 * The simulator's network: a discrete-event network on the run's virtual time in libp2p's place.
 * Gossip spreads as over a full gossipsub mesh (a node hands what arrives to its chain's gossip
 * sink once, and forwards what it ACCEPTs to its other peers), each hop after the link's latency
 * plus jitter (one connection per link: what is sent together arrives together, nothing overtakes)
 * and lost with the configured probability; block requests are served from the
 * peer's chain after a round trip; partitions and offline nodes take links down, and links that
 * come back up exchange statuses so sync fetches what was missed.
 *
 * A run must give the same trace for the same seed although asynchronous work (imports, REST
 * calls) finishes in varying order within an instant. Hence: every random draw is a function of
 * (seed, message or instant, link, purpose); pending events wait in one queue in a total order
 * (time, destination, kind, message id, sender), and one timer on the time source fires for the
 * earliest instant, after every other timer due then. Each firing processes events in that order
 * up to the first group that reaches a node (one gossip message, or a node's attestations or
 * aggregates of one instant together, so they are verified as one batch; a status; a response),
 * awaiting its verdicts; the rest of the instant waits for the next firing, after the run settled.
 */
import {createHash} from "node:crypto";
import type {BeaconChain} from "../../chain/index.ts";
import {GossipAction, type GossipMessage, type GossipVerdict} from "../../chain/gossip/interface.ts";
import type {TimeSource} from "../../clock/index.ts";
import {chainBlockSource, type BlockSource} from "../../network/reqresp/blockSource.ts";
import type {NodeNetwork, PeerAction} from "../../network/interface.ts";
import {ssz, type SignedBeaconBlock, type Status} from "../../types/index.ts";
import {errorMessage} from "../../util/errors.ts";
import type {Logger} from "../../util/logger.ts";
import type {TraceEvent, TraceSink} from "../types.ts";
import {SimEndpoint, simPeerId, type BlockRequest, type EndpointHost} from "./endpoint.ts";
import {SimNetworkError, SimNetworkErrorCode} from "./errors.ts";
import {Links, type CutReason, type LinkChange} from "./links.ts";
import {decodeMessage, encodeMessage, KIND_RANK, type WireMessage} from "./messages.ts";
import {MinHeap} from "./queue.ts";
import {drawInt, drawUnit} from "./random.ts";

export interface SimNetworkOptions {
  /** The run's virtual time (a FakeTime: its nextTimerAt lets deliveries come after the other timers of an instant). */
  time: TimeSource & {nextTimerAt?(): number | null};
  seed: string;
  nodeCount: number;
  /** One-way delay of every link. */
  latencyMs: number;
  /** Added per link and sending instant: a whole number of ms drawn uniformly from [0, jitterMs]. */
  jitterMs: number;
  /** Probability that a gossip hop is lost (requests travel on reliable streams). */
  loss: number;
  trace: TraceSink;
  logger: Logger;
  /** Connected peers exchange statuses again this often (default 300 s, as beacon nodes do); 0: only on connecting. */
  statusIntervalMs?: number;
}

export interface SendOptions {
  /** Nodes to send to (the sender included, if it is to receive it too); default: every node it can reach, itself included. */
  to?: number[];
  /** Sent this much later (the links are those of that moment). */
  delayMs?: number;
  /**
   * Over the sender's own channels, not the mesh: partitions and cut links do not stop it (an
   * attacker with nodes on every side of a partition); offline nodes still get nothing, and
   * latency and jitter apply. Honest nodes relay what they accept over the mesh as ever.
   */
  direct?: boolean;
}

export interface SimNetworkStats {
  /** Gossip handed to a node's sink. */
  delivered: number;
  /** Hops not sent because the receiver had already seen the message (it would discard it). */
  duplicates: number;
  dropped: Record<"loss" | CutReason, number>;
  requests: number;
  requestsFailed: number;
}

/** The link generation of a direct send (SendOptions.direct): no mesh link to outlive. */
const DIRECT = -1;

export const DEFAULT_STATUS_INTERVAL_MS = 300_000;

/** Message kinds whose arrivals at one node and instant are handed over together (the sink verifies them as one batch). */
const BATCHED = new Set<string>(["beacon_attestation", "beacon_aggregate_and_proof"]);

const RANK = {release: 0, restatus: 1, status: 2, gossip: 10, request: 20, response: 30} as const;

interface PendingRequest {
  from: number;
  to: number;
  request: BlockRequest;
  id: string;
  gen: number;
  startedAt: number;
  done: boolean;
  resolve(blocks: SignedBeaconBlock[]): void;
  reject(e: Error): void;
}

interface EventBase {
  at: number;
  /** The node the event happens at. */
  to: number;
  from: number;
  rank: number;
  id: string;
  /** Push order: the last tie-break, between events that are otherwise identical. */
  seq: number;
}

type SimEvent = EventBase &
  (
    | {type: "gossip"; wire: WireMessage; gen: number; receivedAt: number; held: boolean}
    | {type: "release"; wire: WireMessage; targets: number[] | null; direct: boolean}
    | {type: "status"; status: Status; gen: number}
    | {type: "restatus"; gen: number}
    | {type: "request"; pending: PendingRequest}
    | {type: "response"; pending: PendingRequest; blocks: Uint8Array[]}
  );

/** SimEvent without its push order (distributed over the union, so each variant keeps its fields). */
type NewEvent = SimEvent extends infer E ? (E extends unknown ? Omit<E, "seq"> : never) : never;

function before(a: SimEvent, b: SimEvent): boolean {
  if (a.at !== b.at) return a.at < b.at;
  if (a.to !== b.to) return a.to < b.to;
  if (a.rank !== b.rank) return a.rank < b.rank;
  if (a.id !== b.id) return a.id < b.id;
  if (a.from !== b.from) return a.from < b.from;
  return a.seq < b.seq;
}

function requestId(request: BlockRequest): string {
  const h = createHash("sha256").update(request.method);
  if (request.method === "beacon_blocks_by_range") h.update(`:${request.startSlot}:${request.count}`);
  else for (const root of request.roots) h.update(root);
  return h.digest("hex");
}

function short(id: string): string {
  return id.slice(0, 8);
}

export class SimNetwork implements EndpointHost {
  readonly nodeCount: number;
  private readonly opts: SimNetworkOptions;
  private readonly time: SimNetworkOptions["time"];
  private readonly links: Links;
  private readonly endpoints: (SimEndpoint | undefined)[];
  private readonly blockSources: (BlockSource | undefined)[];
  private readonly heap = new MinHeap<SimEvent>(before);
  private readonly pending = new Set<PendingRequest>();
  /** Per directed link (from * nodeCount + to): the last instant something was sent, its arrival, and the latest arrival of what was sent before it. */
  private readonly linkSentAt: Float64Array;
  private readonly linkArrival: Float64Array;
  private readonly linkBefore: Float64Array;
  private readonly statusIntervalMs: number;
  private seq = 0;
  private timer: unknown = null;
  private timerAt: number | null = null;
  private draining: Promise<void> | null = null;
  private stopped = false;
  private readonly counters: SimNetworkStats = {delivered: 0, duplicates: 0, dropped: {loss: 0, partition: 0, offline: 0}, requests: 0, requestsFailed: 0};

  constructor(opts: SimNetworkOptions) {
    const bad = (what: string): never => {
      throw new SimNetworkError(SimNetworkErrorCode.INVALID_ARGUMENT, what);
    };
    if (!Number.isInteger(opts.nodeCount) || opts.nodeCount < 1) bad(`nodeCount must be a positive integer, not ${opts.nodeCount}`);
    if (!Number.isFinite(opts.latencyMs) || opts.latencyMs < 0) bad(`latencyMs must be a number >= 0, not ${opts.latencyMs}`);
    if (!Number.isInteger(opts.jitterMs) || opts.jitterMs < 0) bad(`jitterMs must be a whole number >= 0, not ${opts.jitterMs}`);
    if (!(opts.loss >= 0 && opts.loss <= 1)) bad(`loss must be a probability in [0, 1], not ${opts.loss}`);
    const interval = opts.statusIntervalMs ?? DEFAULT_STATUS_INTERVAL_MS;
    if (!Number.isFinite(interval) || interval < 0) bad(`statusIntervalMs must be a number >= 0, not ${interval}`);
    this.opts = opts;
    this.time = opts.time;
    this.nodeCount = opts.nodeCount;
    this.statusIntervalMs = interval;
    this.links = new Links(opts.nodeCount);
    this.endpoints = new Array<SimEndpoint | undefined>(opts.nodeCount).fill(undefined);
    this.blockSources = new Array<BlockSource | undefined>(opts.nodeCount).fill(undefined);
    const links = opts.nodeCount * opts.nodeCount;
    this.linkSentAt = new Float64Array(links).fill(-Infinity);
    this.linkArrival = new Float64Array(links).fill(-Infinity);
    this.linkBefore = new Float64Array(links).fill(-Infinity);
  }

  /** The network node `index` runs on (what its createNetwork returns); its links come up at once. */
  attach(index: number, chain: BeaconChain): NodeNetwork {
    this.links.checkIndex(index);
    const existing = this.endpoints[index];
    if (existing !== undefined && !existing.isStopped) {
      throw new SimNetworkError(SimNetworkErrorCode.INVALID_ARGUMENT, `node ${index} is already attached`);
    }
    const endpoint = new SimEndpoint(this, index, chain);
    this.endpoints[index] = endpoint;
    this.blockSources[index] = chainBlockSource(chain);
    this.applyChanges(this.links.setAttached(index, true));
    return endpoint;
  }

  /** The nodes `from` can send to now, itself included (nothing for a node not attached), ascending. */
  reachable(from: number): number[] {
    this.links.checkIndex(from);
    if (!this.links.isAttached(from)) return [];
    return [from, ...this.links.peersOf(from)].sort((a, b) => a - b);
  }

  isOnline(index: number): boolean {
    this.links.checkIndex(index);
    return this.links.isOnline(index);
  }

  /** Sides of a partition (node indices); a node in no group is cut off from all. null heals. */
  setPartition(groups: number[][] | null): void {
    const changes = this.links.setPartition(groups);
    this.opts.logger.info({groups}, groups === null ? "partition healed" : "partition");
    this.applyChanges(changes);
  }

  /** Cuts or restores the link between two nodes only (a partition that is not transitive). */
  setLinkCut(a: number, b: number, cut: boolean): void {
    const changes = this.links.setLinkCut(a, b, cut);
    this.opts.logger.info({a, b}, cut ? "link cut" : "link restored");
    this.applyChanges(changes);
  }

  setOnline(index: number, online: boolean): void {
    const changes = this.links.setOnline(index, online);
    this.opts.logger.info({node: index}, online ? "node back online" : "node offline");
    this.applyChanges(changes);
  }

  /**
   * Sends a message from node `from` as a Byzantine group does: to the listed nodes (default:
   * all it can reach, itself included), after `delayMs` and then each link's latency. It is not
   * marked seen at `from` unless `from` receives it, so honest relays may bring it back there.
   */
  send(from: number, message: GossipMessage, opts: SendOptions = {}): void {
    this.links.checkIndex(from, "sender");
    for (const t of opts.to ?? []) this.links.checkIndex(t, "receiver");
    const delayMs = opts.delayMs ?? 0;
    if (!Number.isFinite(delayMs) || delayMs < 0) throw new SimNetworkError(SimNetworkErrorCode.INVALID_ARGUMENT, `delayMs must be a number >= 0, not ${delayMs}`);
    if (this.stopped) return;
    let wire: WireMessage;
    try {
      wire = encodeMessage(message);
    } catch (e) {
      throw new SimNetworkError(SimNetworkErrorCode.INVALID_ARGUMENT, `cannot encode the ${message.kind} message: ${errorMessage(e)}`, {cause: e});
    }
    const targets = opts.to === undefined ? null : [...new Set(opts.to)].sort((a, b) => a - b);
    const now = this.time.now();
    const direct = opts.direct === true;
    if (delayMs > 0) {
      this.push({type: "release", at: now + delayMs, to: from, from, rank: RANK.release, id: wire.id, wire, targets, direct});
      this.arm();
    } else {
      this.release(from, wire, targets, now, direct);
    }
  }

  /** Resolves once no delivery or request is being processed (what is due later waits on the time source). */
  async idle(): Promise<void> {
    while (this.draining !== null) await this.draining;
  }

  stats(): SimNetworkStats {
    return {...this.counters, dropped: {...this.counters.dropped}};
  }

  /**
   * Stops delivering: pending requests fail, queued events are dropped. Stop the network before
   * the nodes: a node's sync, when stopped, waits for its requests, which only virtual time
   * moving on would answer.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== null) this.time.clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = null;
    await this.idle();
    for (const p of this.sortedPending(() => true)) this.failRequest(p, SimNetworkErrorCode.LINK_DOWN, "the simulated network stopped");
    while (this.heap.pop() !== undefined);
  }

  // ---- EndpointHost ----

  publish(from: number, message: GossipMessage): number {
    const endpoint = this.endpoints[from];
    if (this.stopped || endpoint === undefined || endpoint.isStopped) return 0;
    const wire = encodeMessage(message);
    const now = this.time.now();
    // Published twice (or received before): gossipsub refuses a duplicate publish.
    if (!endpoint.seen.add(wire.id, now)) return 0;
    const peers = this.links.peersOf(from);
    for (const p of peers) this.transmit(from, p, wire, now);
    // What the node's own publish could not reach, for the trace.
    for (let i = 0; i < this.nodeCount; i++) {
      if (i !== from && this.links.isAttached(i) && !this.links.isUp(from, i)) this.drop(now, i, from, wire, this.links.reasonDown(from, i));
    }
    this.arm();
    return peers.length;
  }

  request(from: number, to: number, request: BlockRequest): Promise<SignedBeaconBlock[]> {
    const now = this.time.now();
    const id = requestId(request);
    this.counters.requests++;
    if (this.stopped || !this.links.isUp(from, to)) {
      this.counters.requestsFailed++;
      this.record({t: now, kind: "request", node: from, peer: to, method: request.method, id: short(id), error: SimNetworkErrorCode.PEER_UNREACHABLE});
      return Promise.reject(new SimNetworkError(SimNetworkErrorCode.PEER_UNREACHABLE, `node ${from} has no link to node ${to}`));
    }
    return new Promise<SignedBeaconBlock[]>((resolve, reject) => {
      const pending: PendingRequest = {from, to, request, id, gen: this.links.generation(from, to), startedAt: now, done: false, resolve, reject};
      this.pending.add(pending);
      this.push({type: "request", at: this.arrival(from, to, now), to, from, rank: RANK.request, id, pending});
      this.arm();
    });
  }

  report(from: number, to: number, action: PeerAction, reason: string): void {
    this.record({t: this.time.now(), kind: "report", node: from, peer: to, action, reason});
  }

  detach(index: number): void {
    if (this.endpoints[index] === undefined) return;
    this.applyChanges(this.links.setAttached(index, false));
  }

  // ---- the queue and its timer ----

  private push(e: NewEvent): void {
    this.heap.push({...e, seq: this.seq++} as SimEvent);
  }

  /** One timer, for the earliest pending event (none while a drain runs: it arms at its end). */
  private arm(): void {
    if (this.draining !== null || this.stopped) return;
    const next = this.heap.peek();
    if (next === undefined || (this.timerAt !== null && this.timerAt <= next.at)) return;
    if (this.timer !== null) this.time.clearTimeout(this.timer);
    this.timerAt = next.at;
    this.timer = this.time.setTimeout(this.onTimer, Math.max(0, next.at - this.time.now()));
  }

  private readonly onTimer = (): void => {
    this.timer = null;
    this.timerAt = null;
    if (this.stopped) return;
    const now = this.time.now();
    // Let the other timers due now run first: which of two timers of one instant was set first
    // depends on how asynchronous work interleaved, and the run must not.
    const other = this.time.nextTimerAt?.() ?? null;
    if (other !== null && other <= now) {
      this.timerAt = now;
      this.timer = this.time.setTimeout(this.onTimer, 0);
      return;
    }
    this.draining = this.step(now).finally(() => {
      this.draining = null;
      this.arm();
    });
  };

  /**
   * Processes the events due at `now` in queue order until a group hands something to a node (a
   * gossip verdict, a status, a response): that ends the step, and the next group of the instant
   * waits for the next timer, so the run settles in between. What a node does in reaction (its
   * validator client attesting to the block that just arrived, sync importing a response) is
   * done before the next delivery, however fast that work was.
   */
  private async step(now: number): Promise<void> {
    while (!this.stopped) {
      const e = this.heap.peek();
      if (e === undefined || e.at > now) return;
      const group: SimEvent[] = [this.heap.pop()!];
      if (e.type === "gossip" && BATCHED.has(e.wire.kind)) {
        for (let f = this.heap.peek(); f !== undefined && f.at === e.at && f.type === "gossip" && f.to === e.to && f.wire.kind === e.wire.kind; f = this.heap.peek()) {
          group.push(this.heap.pop()!);
        }
      }
      let handed = false;
      try {
        handed = await this.process(group, now);
      } catch (err) {
        this.opts.logger.error({err, event: e.type, node: e.to}, "simulated network event failed");
        handed = true;
      }
      if (handed) return;
    }
  }

  /** True when the events reached a node (so the step ends). */
  private async process(events: SimEvent[], now: number): Promise<boolean> {
    const e = events[0];
    switch (e.type) {
      case "gossip":
        return this.deliver(events as (SimEvent & {type: "gossip"})[], now);
      case "release":
        this.release(e.from, e.wire, e.targets, now, e.direct);
        return false;
      case "status":
        return this.onStatus(e, now);
      case "restatus":
        if (this.linkIntact(e.from, e.to, e.gen)) this.sendStatus(e.to, e.from, now);
        return false;
      case "request":
        await this.serve(e.pending, now);
        return false;
      case "response":
        return this.respond(e.pending, e.blocks, now);
    }
  }

  // ---- gossip ----

  private release(from: number, wire: WireMessage, targets: number[] | null, now: number, direct = false): void {
    for (const t of targets ?? (direct ? this.onlineNodes() : this.reachable(from))) {
      if (t === from) {
        if (this.links.isAttached(from)) this.push({type: "gossip", at: now, to: from, from, rank: RANK.gossip + KIND_RANK[wire.kind], id: wire.id, wire, gen: 0, receivedAt: now, held: false});
      } else if (direct ? this.isOnline(t) && this.isOnline(from) : this.links.isUp(from, t)) {
        this.transmit(from, t, wire, now, direct);
      } else {
        this.drop(now, t, from, wire, this.links.reasonDown(from, t));
      }
    }
    this.arm();
  }

  /** One gossip hop: not sent to a node that has seen the message, lost with probability `loss`, else queued. */
  private transmit(from: number, to: number, wire: WireMessage, now: number, direct = false): void {
    if (this.endpoints[to]?.seen.has(wire.id)) {
      this.counters.duplicates++;
      return;
    }
    const {seed, loss} = this.opts;
    if (loss > 0 && drawUnit(seed, "loss", wire.id, from, to) < loss) {
      this.drop(now, to, from, wire, "loss");
      return;
    }
    const at = this.arrival(from, to, now);
    this.push({type: "gossip", at, to, from, rank: RANK.gossip + KIND_RANK[wire.kind], id: wire.id, wire, gen: direct ? DIRECT : this.links.generation(from, to), receivedAt: at, held: false});
  }

  /** Hands arrivals to the receiver's sink (a batch of one kind together), then forwards what it accepted. */
  private async deliver(events: (SimEvent & {type: "gossip"})[], now: number): Promise<boolean> {
    const handed: {e: SimEvent & {type: "gossip"}; verdict: Promise<GossipVerdict>}[] = [];
    for (const e of events) {
      const endpoint = this.endpoints[e.to];
      if (endpoint === undefined || endpoint.isStopped) continue;
      if (!e.held && e.from !== e.to && !this.linkIntact(e.from, e.to, e.gen)) {
        this.drop(now, e.to, e.from, e.wire, this.links.reasonDown(e.from, e.to));
        continue;
      }
      if (e.wire.slot !== null && !e.held) {
        // A block early within the clock disparity allowance: the sink would wait for its slot
        // on a timer, and a drain must not wait for time to move. It waits here instead.
        const early = endpoint.chain.clock.slotStartMs(e.wire.slot) - now;
        if (early > 0 && early <= endpoint.chain.config.MAXIMUM_GOSSIP_CLOCK_DISPARITY) {
          this.push({...e, at: now + early, held: true});
          continue;
        }
      }
      if (!endpoint.seen.add(e.wire.id, now)) {
        this.counters.duplicates++;
        continue;
      }
      handed.push({e, verdict: endpoint.chain.gossip.onGossip(decodeMessage(e.wire), e.receivedAt, simPeerId(e.from))});
    }
    for (const {e, verdict} of handed) {
      const v = await verdict;
      this.counters.delivered++;
      const event: TraceEvent = {t: now, kind: "deliver", node: e.to, from: e.from, msg: e.wire.kind, id: short(e.wire.id), verdict: v.action};
      if (v.reason !== "") event.reason = v.reason;
      this.record(event);
      if (v.action === GossipAction.ACCEPT) {
        for (const p of this.links.peersOf(e.to)) if (p !== e.from) this.transmit(e.to, p, e.wire, now);
      }
    }
    return handed.length > 0;
  }

  private drop(now: number, to: number, from: number, wire: WireMessage, reason: "loss" | CutReason): void {
    this.counters.dropped[reason]++;
    this.record({t: now, kind: "drop", node: to, from, msg: wire.kind, id: short(wire.id), reason});
  }

  // ---- links and statuses ----

  private linkIntact(a: number, b: number, gen: number): boolean {
    if (gen === DIRECT) return this.isOnline(a) && this.isOnline(b);
    return this.links.isUp(a, b) && this.links.generation(a, b) === gen;
  }

  /** The nodes that are online now, ascending. */
  onlineNodes(): number[] {
    return this.endpoints.map((_, i) => i).filter((i) => this.isOnline(i));
  }

  private applyChanges(changes: LinkChange[]): void {
    const now = this.time.now();
    for (const c of changes) {
      if (c.up) {
        this.record({t: now, kind: "connect", node: c.a, peer: c.b});
        this.sendStatus(c.a, c.b, now);
        this.sendStatus(c.b, c.a, now);
      } else {
        this.record({t: now, kind: "disconnect", node: c.a, peer: c.b, reason: c.reason});
        this.endpoints[c.a]?.onPeerDisconnected(c.b);
        this.endpoints[c.b]?.onPeerDisconnected(c.a);
        const onLink = (p: PendingRequest) => (p.from === c.a && p.to === c.b) || (p.from === c.b && p.to === c.a);
        for (const p of this.sortedPending(onLink)) this.failRequest(p, SimNetworkErrorCode.LINK_DOWN, `the link between nodes ${c.a} and ${c.b} went down (${c.reason})`);
      }
    }
    this.arm();
  }

  /** `from`'s status, as its chain has it now, on its way to `to`. */
  private sendStatus(from: number, to: number, now: number): void {
    const endpoint = this.endpoints[from];
    if (endpoint === undefined || endpoint.isStopped) return;
    const status = endpoint.status();
    const gen = this.links.generation(from, to);
    this.push({type: "status", at: this.arrival(from, to, now), to, from, rank: RANK.status, id: `${gen}`, status, gen});
  }

  private onStatus(e: SimEvent & {type: "status"}, now: number): boolean {
    const endpoint = this.endpoints[e.to];
    if (endpoint === undefined || endpoint.isStopped || !this.linkIntact(e.from, e.to, e.gen)) return false;
    this.record({t: now, kind: "status", node: e.to, from: e.from, headSlot: e.status.head_slot, finalizedEpoch: e.status.finalized_epoch});
    endpoint.onPeerStatus(e.from, e.status);
    // The receiver asks again later (p2p status requests are periodic).
    if (this.statusIntervalMs > 0) this.push({type: "restatus", at: now + this.statusIntervalMs, to: e.from, from: e.to, rank: RANK.restatus, id: e.id, gen: e.gen});
    return true;
  }

  // ---- requests ----

  /** The request reached the peer: it answers from its chain, and the answer travels back. */
  private async serve(p: PendingRequest, now: number): Promise<void> {
    if (p.done) return;
    const source = this.blockSources[p.to];
    let blocks: Uint8Array[];
    try {
      if (source === undefined) throw new Error(`node ${p.to} has no chain`);
      blocks = await serveBlocks(source, p.request, this.endpoints[p.to]?.chain.config.MAX_REQUEST_BLOCKS ?? 0);
    } catch (e) {
      this.failRequest(p, SimNetworkErrorCode.SERVER_ERROR, `node ${p.to} could not serve ${p.request.method}: ${errorMessage(e)}`);
      return;
    }
    if (p.done) return;
    this.push({type: "response", at: this.arrival(p.to, p.from, now), to: p.from, from: p.to, rank: RANK.response, id: p.id, pending: p, blocks});
  }

  private respond(p: PendingRequest, blocks: Uint8Array[], now: number): boolean {
    if (p.done) return false;
    p.done = true;
    this.pending.delete(p);
    this.record({t: now, kind: "request", node: p.from, peer: p.to, method: p.request.method, id: short(p.id), blocks: blocks.length, ms: now - p.startedAt});
    p.resolve(blocks.map((b) => ssz.SignedBeaconBlock.deserialize(b)));
    return true;
  }

  private failRequest(p: PendingRequest, code: string, message: string): void {
    if (p.done) return;
    p.done = true;
    this.pending.delete(p);
    this.counters.requestsFailed++;
    this.record({t: this.time.now(), kind: "request", node: p.from, peer: p.to, method: p.request.method, id: short(p.id), error: code});
    p.reject(new SimNetworkError(code, message));
  }

  /** Pending requests matching `which`, in an order that does not depend on when they were made. */
  private sortedPending(which: (p: PendingRequest) => boolean): PendingRequest[] {
    return [...this.pending].filter(which).sort((a, b) => a.from - b.from || a.to - b.to || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) || a.startedAt - b.startedAt);
  }

  // ---- helpers ----

  /**
   * When what `from` sends to `to` at `now` arrives: the latency plus the link's jitter at that
   * instant, and never before what was sent over the link earlier. Everything sent over a link at
   * one instant arrives together (then in queue order: a block before the attestations that vote
   * for it), and nothing overtakes what went before, as over one connection; and the time depends
   * only on the instant, not on the order of the sends within it.
   */
  private arrival(from: number, to: number, now: number): number {
    const k = from * this.nodeCount + to;
    if (this.linkSentAt[k] !== now) {
      this.linkBefore[k] = Math.max(this.linkBefore[k], this.linkArrival[k]);
      this.linkSentAt[k] = now;
      const jitter = drawInt(this.opts.seed, "jitter", String(now), from, to, this.opts.jitterMs);
      this.linkArrival[k] = Math.max(now + this.opts.latencyMs + jitter, this.linkBefore[k]);
    }
    return this.linkArrival[k];
  }

  private record(event: TraceEvent): void {
    this.opts.trace.record(event);
  }
}

/** What a peer answers to a block request (at most MAX_REQUEST_BLOCKS blocks). */
async function serveBlocks(source: BlockSource, request: BlockRequest, maxRequestBlocks: number): Promise<Uint8Array[]> {
  const roots =
    request.method === "beacon_blocks_by_range"
      ? await source.canonicalRootsInRange(request.startSlot, Math.min(request.count, maxRequestBlocks))
      : request.roots.slice(0, maxRequestBlocks);
  const out: Uint8Array[] = [];
  for (const root of roots) {
    const bytes = await source.blockBytes(root);
    if (bytes !== null) out.push(bytes);
  }
  return out;
}
