/**
 * Real chains (in-memory databases, one interop genesis, minimal preset) on one FakeTime, joined
 * by a SimNetwork, optionally each with the real sync service over its endpoint; validators of
 * the chain test helpers doing their duties on a node at the slot points, publishing what they
 * produce through the node's endpoint as the REST API does. Time moves with FakeTime.runUntil,
 * settling (duties, network, chain processors) before each timer.
 */
import {createHash} from "node:crypto";
import type {BeaconChain} from "../../../../src/chain/index.ts";
import {openChain} from "../../../../src/chain/index.ts";
import {FakeTime} from "../../../../src/clock/index.ts";
import {BeaconDb} from "../../../../src/db/index.ts";
import {SimNetwork, type SimEndpoint} from "../../../../src/sim/network/index.ts";
import type {TraceEvent, TraceSink} from "../../../../src/sim/types.ts";
import {startChainSync, type SyncService} from "../../../../src/sync/index.ts";
import {silentLogger} from "../../../../src/util/logger.ts";
import {GENESIS_TIME, InProcessValidators, interopGenesis} from "../../chain/helpers.ts";

export const VALIDATORS = 64;

/** Collects trace events and orders them as the simulator's trace does: by time, kind, node, then the rest. */
export class TestTrace implements TraceSink {
  readonly events: TraceEvent[] = [];

  record(event: TraceEvent): void {
    this.events.push(event);
  }

  canonical(): string[] {
    const lines = this.events.map((e) => ({e, line: JSON.stringify(e)}));
    lines.sort((a, b) => a.e.t - b.e.t || cmp(a.e.kind, b.e.kind) || (a.e.node ?? -1) - (b.e.node ?? -1) || cmp(a.line, b.line));
    return lines.map((l) => l.line);
  }

  hash(): string {
    return createHash("sha256").update(this.canonical().join("\n")).digest("hex");
  }

  of(kind: string): TraceEvent[] {
    return this.events.filter((e) => e.kind === kind);
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface HarnessOptions {
  nodes: number;
  seed?: string;
  latencyMs?: number;
  jitterMs?: number;
  loss?: number;
  statusIntervalMs?: number;
  /** Start the sync service on every node (range sync and lookups over the simulated network). */
  sync?: boolean;
}

export class Harness {
  readonly time: FakeTime;
  readonly chains: BeaconChain[];
  readonly net: SimNetwork;
  readonly endpoints: SimEndpoint[];
  readonly trace: TestTrace;
  readonly syncs: SyncService[];
  /** Failures of the duties run by `duties` (none expected). */
  readonly errors: string[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  private constructor(init: {time: FakeTime; chains: BeaconChain[]; net: SimNetwork; endpoints: SimEndpoint[]; trace: TestTrace; syncs: SyncService[]}) {
    this.time = init.time;
    this.chains = init.chains;
    this.net = init.net;
    this.endpoints = init.endpoints;
    this.trace = init.trace;
    this.syncs = init.syncs;
  }

  static async open(opts: HarnessOptions): Promise<Harness> {
    const time = new FakeTime(GENESIS_TIME * 1000);
    const trace = new TestTrace();
    const net = new SimNetwork({
      time,
      seed: opts.seed ?? "seed",
      nodeCount: opts.nodes,
      latencyMs: opts.latencyMs ?? 100,
      jitterMs: opts.jitterMs ?? 0,
      loss: opts.loss ?? 0,
      statusIntervalMs: opts.statusIntervalMs,
      trace,
      logger: silentLogger,
    });
    const chains: BeaconChain[] = [];
    const endpoints: SimEndpoint[] = [];
    const syncs: SyncService[] = [];
    for (let i = 0; i < opts.nodes; i++) {
      const {chain} = await openChain({
        db: BeaconDb.inMemory(`node-${i}`),
        genesisState: () => interopGenesis(VALIDATORS),
        network: {preset: "minimal", configOverrides: {}},
        time,
        logger: silentLogger,
      });
      const endpoint = net.attach(i, chain) as SimEndpoint;
      if (opts.sync) {
        const sync = startChainSync(chain, endpoint, {logger: silentLogger, time});
        chain.events.on("unknown_block_root", ({root, peerId, slot}) => sync.unknownBlocks.onUnknownBlockRoot(root, peerId, slot));
        syncs.push(sync);
      }
      chain.start();
      chains.push(chain);
      endpoints.push(endpoint);
    }
    return new Harness({time, chains, net, endpoints, trace, syncs});
  }

  slotMs(slot: number, offsetMs = 0): number {
    return this.chains[0].clock.slotStartMs(slot) + offsetMs;
  }

  /** Nothing left to do until a timer fires: duties, the network's deliveries, the chains' jobs. */
  async settle(): Promise<void> {
    for (let round = 0; round < 3; round++) {
      while (this.inFlight.size > 0) await Promise.all(this.inFlight);
      await this.net.idle();
      for (const chain of this.chains) await chain.processor.drain();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  async runUntil(ms: number): Promise<void> {
    await this.time.runUntil(ms, () => this.settle());
  }

  /** Runs `task` at virtual time `ms`; settle waits for it. */
  at(ms: number, task: () => Promise<void>): void {
    this.time.setTimeout(() => {
      const p: Promise<void> = task()
        .catch((e: unknown) => void this.errors.push((e as Error).message))
        .finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
    }, ms - this.time.now());
  }

  /**
   * All validators do their duties on `node` for slots [from, to]: propose at the slot start,
   * attest at a third, aggregate at two thirds, each published through the node's endpoint.
   * `skipProposals`: slots left without a block on this node (so two nodes' chains differ).
   */
  duties(node: number, from: number, to: number, opts: {skipProposals?: number[]} = {}): InProcessValidators {
    const v = new InProcessValidators(this.chains[node], VALIDATORS);
    const endpoint = this.endpoints[node];
    const third = this.chains[node].config.SLOT_DURATION_MS / 3;
    for (let slot = from; slot <= to; slot++) {
      if (!opts.skipProposals?.includes(slot)) this.at(this.slotMs(slot), async () => {
        const block = await v.propose(slot);
        if (block !== null) await endpoint.publish({kind: "beacon_block", value: block});
      });
      this.at(this.slotMs(slot, third), async () => {
        for (const value of await v.attest(slot)) await endpoint.publish({kind: "beacon_attestation", value});
      });
      this.at(this.slotMs(slot, 2 * third), async () => {
        for (const value of await v.aggregate(slot)) await endpoint.publish({kind: "beacon_aggregate_and_proof", value});
      });
    }
    return v;
  }

  async close(): Promise<void> {
    // First: sync stops only once its requests are answered or failed.
    await this.net.stop();
    for (const s of this.syncs) await s.stop();
    for (const e of this.endpoints) await e.stop();
    for (const c of this.chains) {
      await c.stop();
      await c.db.close();
    }
  }
}
