/**
 * The beacon node's Prometheus metrics, under the names the common dashboards query
 * (beacon_head_slot, beacon_finalized_epoch, libp2p_peers, ...). Chain-derived gauges are read at
 * scrape time from the chain the node binds; counters and histograms are fed by their owners:
 * the chain (block imports), the BLS verifier wrapper (batches) and the network (gossip verdicts,
 * peers), each taking this object as an optional dependency.
 */
import {collectDefaultMetrics, Counter, Gauge, Histogram, Registry} from "prom-client";
import type {AsyncSignatureVerifier} from "../crypto/index.ts";
import {directorySize} from "../util/directorySize.ts";

/** What the gauges read from the chain at scrape time (a narrow view of the beacon chain). */
export interface MetricsChainView {
  currentSlot(): number;
  getHead(): {slot: number; state: {state: {validators: {length: number}}}};
  getFinalizedCheckpoint(): {epoch: number};
  getJustifiedCheckpoint(): {epoch: number};
  getSyncStatus(): {syncDistance: number; isSyncing: boolean};
  events: {on(event: "chain_reorg", fn: () => void): unknown};
}

export const GOSSIP_VERDICTS = ["accept", "ignore", "reject"] as const;
export type GossipVerdict = (typeof GOSSIP_VERDICTS)[number];

export interface BeaconMetrics {
  readonly register: Registry;
  /** Block import, from the start of the import to the head update. */
  readonly blockImportSeconds: Histogram<"source">;
  readonly blsBatchSets: Histogram;
  readonly blsBatchSeconds: Histogram;
  readonly gossipMessages: Counter<"topic" | "verdict">;
  /** Set by the network layer; 0 without one. */
  readonly peers: Gauge;
  /** The network's gossip validation reports each message's verdict here. */
  onGossipVerdict(topic: string, verdict: GossipVerdict): void;
  /** Times and counts every batch the verifier sees. */
  instrumentVerifier(verifier: AsyncSignatureVerifier): AsyncSignatureVerifier;
  /** Reads the chain-derived gauges from `chain` and the database size from `dbPath` at every scrape. */
  bindChain(chain: MetricsChainView, dbPath: string): void;
}

export function createBeaconMetrics(register: Registry = new Registry()): BeaconMetrics {
  let chain: MetricsChainView | null = null;
  let dbPath: string | null = null;
  const gauge = (name: string, help: string, read: (c: MetricsChainView) => number): Gauge =>
    new Gauge({
      name,
      help,
      registers: [register],
      collect() {
        if (chain !== null) this.set(read(chain));
      },
    });
  gauge("beacon_slot", "The wall clock's slot", (c) => c.currentSlot());
  gauge("beacon_head_slot", "Slot of the head block", (c) => c.getHead().slot);
  gauge("beacon_finalized_epoch", "Finalized checkpoint epoch", (c) => c.getFinalizedCheckpoint().epoch);
  gauge("beacon_current_justified_epoch", "Current justified checkpoint epoch", (c) => c.getJustifiedCheckpoint().epoch);
  gauge("beacon_current_validators", "Validators in the head state's registry", (c) => c.getHead().state.state.validators.length);
  gauge("beacon_sync_distance", "Slots between the wall clock and the head", (c) => c.getSyncStatus().syncDistance);
  gauge("beacon_syncing", "1 while the node is syncing, else 0", (c) => (c.getSyncStatus().isSyncing ? 1 : 0));
  const reorgs = new Counter({name: "beacon_reorgs_total", help: "Head changes to a block that is not a child of the previous head", registers: [register]});
  new Gauge({
    name: "beacon_db_size_bytes",
    help: "Bytes of the chain database on disk",
    registers: [register],
    collect() {
      if (dbPath !== null) this.set(directorySize(dbPath));
    },
  });
  const peers = new Gauge({name: "libp2p_peers", help: "Connected libp2p peers", registers: [register]});
  peers.set(0);
  const blockImportSeconds = new Histogram({
    name: "beacon_block_import_seconds",
    help: "Time to import a block: state transition, signatures, database write, fork choice",
    labelNames: ["source"],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [register],
  });
  const blsBatchSets = new Histogram({
    name: "beacon_bls_batch_sets",
    help: "Signature sets per verified batch",
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
    registers: [register],
  });
  const blsBatchSeconds = new Histogram({
    name: "beacon_bls_batch_seconds",
    help: "Time to verify a batch of signature sets",
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [register],
  });
  const blsInvalid = new Counter({name: "beacon_bls_batch_invalid_total", help: "Batches with at least one invalid signature", registers: [register]});
  const gossipMessages = new Counter({
    name: "beacon_gossip_messages_total",
    help: "Gossip messages by topic and validation verdict",
    labelNames: ["topic", "verdict"],
    registers: [register],
  });
  // Process memory (process_resident_memory_bytes, nodejs_heap_size_used_bytes) and event-loop
  // lag (nodejs_eventloop_lag_seconds) under their usual names.
  collectDefaultMetrics({register});

  return {
    register,
    blockImportSeconds,
    blsBatchSets,
    blsBatchSeconds,
    gossipMessages,
    peers,
    onGossipVerdict(topic, verdict) {
      gossipMessages.inc({topic, verdict});
    },
    instrumentVerifier(verifier) {
      return {
        async verifySignatureSets(sets) {
          const end = blsBatchSeconds.startTimer();
          const ok = await verifier.verifySignatureSets(sets);
          end();
          blsBatchSets.observe(sets.length);
          if (!ok) blsInvalid.inc();
          return ok;
        },
      };
    },
    bindChain(c, path) {
      chain = c;
      dbPath = path;
      c.events.on("chain_reorg", () => reorgs.inc());
    },
  };
}
