/**
 * A run of whole nodes on the simulated network: real BeaconNodes (in-memory storage, the
 * network made by `createNetwork`, REST on a free loopback port), each with a real validator
 * client holding an equal share of the interop validators, on one FakeTime. Time moves with
 * FakeTime.runUntil, the run settling (validator clients, network, chain processors) before each
 * timer. Optionally partitioned into single-node sides for a span of epochs.
 */
import {createHash} from "node:crypto";
import {join} from "node:path";
import {FakeTime} from "../../../src/clock/index.ts";
import {BeaconDb} from "../../../src/db/index.ts";
import {BeaconNode} from "../../../src/node/index.ts";
import {createChainConfig} from "../../../src/params/index.ts";
import {SimNetwork, type SimNetworkStats} from "../../../src/sim/network/index.ts";
import type {TraceEvent} from "../../../src/sim/types.ts";
import {toHex} from "../../../src/util/bytes.ts";
import {silentLogger} from "../../../src/util/logger.ts";
import {startValidatorClient, type ValidatorClient} from "../../../src/validator/index.ts";

export const GENESIS_TIME = 1_700_000_000;
const SLOTS_PER_EPOCH = 8; // minimal

export interface SimNodesOptions {
  dir: string;
  seed: string;
  nodes: number;
  validators: number;
  epochs: number;
  latencyMs: number;
  jitterMs: number;
  loss: number;
  /** Every node on its own side from `fromEpoch` until `toEpoch`. */
  partition?: {fromEpoch: number; toEpoch: number};
}

export interface SimNodesRun {
  traceHash: string;
  events: TraceEvent[];
  heads: string[];
  finalized: number[];
  /** Finalized epoch of each node when the partition healed. */
  finalizedAtHeal: number[];
  stats: SimNetworkStats;
  wallMs: number;
}

function epochMs(epoch: number): number {
  return (GENESIS_TIME + epoch * SLOTS_PER_EPOCH * createChainConfig("minimal").SECONDS_PER_SLOT) * 1000;
}

/** The trace in the simulator's canonical order (time, kind, node, then the rest), hashed. */
function traceHash(events: TraceEvent[]): string {
  const rows = events.map((e) => ({e, line: JSON.stringify(e)}));
  rows.sort((a, b) => a.e.t - b.e.t || (a.e.kind < b.e.kind ? -1 : a.e.kind > b.e.kind ? 1 : 0) || (a.e.node ?? -1) - (b.e.node ?? -1) || (a.line < b.line ? -1 : a.line > b.line ? 1 : 0));
  return createHash("sha256").update(rows.map((r) => r.line).join("\n")).digest("hex");
}

export async function runSimNodes(opts: SimNodesOptions): Promise<SimNodesRun> {
  const time = new FakeTime(GENESIS_TIME * 1000 - 2000);
  const events: TraceEvent[] = [];
  const net = new SimNetwork({
    time,
    seed: opts.seed,
    nodeCount: opts.nodes,
    latencyMs: opts.latencyMs,
    jitterMs: opts.jitterMs,
    loss: opts.loss,
    trace: {record: (e) => void events.push(e)},
    logger: silentLogger,
  });
  const nodes: BeaconNode[] = [];
  const clients: ValidatorClient[] = [];
  try {
    for (let i = 0; i < opts.nodes; i++) {
      nodes.push(
        await BeaconNode.start({
          dataDir: join(opts.dir, `node-${i}`),
          network: {preset: "minimal", configOverrides: {}},
          defaultPreset: "minimal",
          genesis: {type: "interop", validators: opts.validators, genesisTime: GENESIS_TIME},
          rest: {address: "127.0.0.1", port: 0},
          logger: silentLogger,
          time,
          statusLine: false,
          db: BeaconDb.inMemory(`node-${i}`),
          createNetwork: async (chain) => net.attach(i, chain),
        })
      );
    }
    const share = opts.validators / opts.nodes;
    for (let i = 0; i < opts.nodes; i++) {
      clients.push(
        await startValidatorClient({
          beaconUrl: nodes[i].restUrl!,
          interopIndices: Array.from({length: share}, (_, k) => i * share + k),
          dataDir: join(opts.dir, `validator-${i}`),
          time,
        })
      );
    }
    const settle = async (): Promise<void> => {
      for (let round = 0; round < 3; round++) {
        for (const c of clients) await c.settled();
        await net.idle();
        for (const n of nodes) await n.chain.processor.drain();
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    };
    const wallStart = performance.now();
    let finalizedAtHeal: number[] = [];
    if (opts.partition !== undefined) {
      await time.runUntil(epochMs(opts.partition.fromEpoch), settle);
      net.setPartition(nodes.map((_, i) => [i]));
      await time.runUntil(epochMs(opts.partition.toEpoch), settle);
      finalizedAtHeal = nodes.map((n) => n.chain.getFinalizedCheckpoint().epoch);
      net.setPartition(null);
    }
    // A little past the last epoch: the last slot's block has reached every node.
    await time.runUntil(epochMs(opts.epochs) + 1000, settle);
    const wallMs = performance.now() - wallStart;
    return {
      traceHash: traceHash(events),
      events,
      heads: nodes.map((n) => toHex(n.chain.getHead().root)),
      finalized: nodes.map((n) => n.chain.getFinalizedCheckpoint().epoch),
      finalizedAtHeal,
      stats: net.stats(),
      wallMs,
    };
  } finally {
    // The network first: a node's sync stops only once its requests are answered or failed.
    await net.stop();
    for (const c of clients) await c.stop();
    for (const n of nodes) await n.stop();
  }
}
