/**
 * Range sync: catch up with peers that are ahead by downloading beacon_blocks_by_range batches
 * from several peers at once and importing them strictly in slot order through the chain's normal
 * import. Each batch is checked (checkBatch) before import and must link to what is already
 * imported. A peer that serves invalid blocks is reported Fatal, one whose response does not fit
 * the request or fails is reported with a lower tolerance, and the batch is retried from another
 * peer. A batch whose successor does not link to it is downloaded again from another peer: if
 * the second answer has more blocks, the first peer withheld blocks and is reported.
 */
import {BlockErrorCode, BlockImportError} from "../chain/index.ts";
import {PeerAction, type INetworkPeers, type SyncPeer} from "../network/interface.ts";
import type {SignedBeaconBlock} from "../types/index.ts";
import type {Logger} from "../util/logger.ts";
import {BatchCheckError, checkBatch} from "./batchCheck.ts";
import type {SyncChain} from "./interface.ts";
import type {SyncTarget} from "./syncTarget.ts";

export interface RangeSyncOptions {
  /** Slots per by-range request (default 64). */
  batchSlots?: number;
  /** Batches downloading or waiting ahead of the one being imported (default 4). */
  batchesAhead?: number;
  /** Downloads of one batch before the run gives up (default 5). */
  maxBatchAttempts?: number;
  /** Link failures (a batch not the child of the imported chain) before the run gives up (default 3). */
  maxLinkFailures?: number;
}

export interface RangeSyncDeps {
  chain: SyncChain;
  network: INetworkPeers;
  logger: Logger;
  /** Called after each block the run imported (for the rate meter). */
  onImported?: (count: number) => void;
  isStopped: () => boolean;
  /** The peers to download from now, each with the best head known for it (peers join and leave during a run). */
  peers: () => SyncPeer[];
}

/**
 * done: every batch up to the target imported. fork: the first batch does not link to our chain
 * (the peers are on another branch after our head). stalled: no usable peer, or too many failures.
 */
export type RangeSyncOutcome = "done" | "fork" | "stalled" | "stopped";

export interface RangeSyncResult {
  outcome: RangeSyncOutcome;
  imported: number;
}

type Download = {ok: true; blocks: SignedBeaconBlock[]} | {ok: false; error: Error};

interface Batch {
  startSlot: number;
  count: number;
  attempts: number;
  /** Peers this batch was downloaded from (tried again only when no other peer is left). */
  triedPeers: Set<string>;
  peerId: string | null;
  download: Promise<Download> | null;
  /** A re-download of an imported batch: its first peer, and how many blocks it served. */
  redoOf?: {peerId: string; blocks: number};
}

interface ImportedBatch {
  startSlot: number;
  count: number;
  peerId: string;
  blocks: number;
}

export class RangeSync {
  private readonly deps: RangeSyncDeps;
  private readonly batchSlots: number;
  private readonly batchesAhead: number;
  private readonly maxBatchAttempts: number;
  private readonly maxLinkFailures: number;
  private readonly inFlight = new Map<string, number>();
  private rotation = 0;

  constructor(deps: RangeSyncDeps, opts: RangeSyncOptions = {}) {
    this.deps = deps;
    this.batchSlots = opts.batchSlots ?? 64;
    this.batchesAhead = opts.batchesAhead ?? 4;
    this.maxBatchAttempts = opts.maxBatchAttempts ?? 5;
    this.maxLinkFailures = opts.maxLinkFailures ?? 3;
  }

  /** Downloads and imports the slots from `startSlot` to the target's slot. */
  async run(target: SyncTarget, startSlot: number): Promise<RangeSyncResult> {
    const {chain, logger} = this.deps;
    const queue: Batch[] = [];
    const badPeers = new Set<string>();
    let nextStart = startSlot;
    let imported = 0;
    let linkFailures = 0;
    let lastImported: ImportedBatch | null = null;
    const result = (outcome: RangeSyncOutcome): RangeSyncResult => ({outcome, imported});

    for (;;) {
      if (this.deps.isStopped()) return result("stopped");
      while (queue.length < this.batchesAhead && nextStart <= target.slot) {
        const count = Math.min(this.batchSlots, target.slot - nextStart + 1);
        queue.push(newBatch(nextStart, count));
        nextStart += count;
      }
      const batch = queue[0];
      if (batch === undefined) return result("done");
      for (const b of queue.slice(0, this.batchesAhead)) {
        if (b.download === null && !this.startDownload(b, badPeers)) {
          if (b === batch) {
            logger.debug({startSlot: b.startSlot}, "range sync: no peer left to serve the batch");
            return result("stalled");
          }
        }
      }

      const download = await batch.download!;
      const peerId = batch.peerId!;
      batch.download = null;
      if (this.deps.isStopped()) return result("stopped");
      if (!download.ok) {
        this.deps.network.reportPeer(peerId, PeerAction.MidTolerance, `blocks_by_range failed: ${download.error.message}`);
        if (!this.retry(batch)) return result("stalled");
        continue;
      }
      let checked;
      try {
        checked = checkBatch(download.blocks, batch.startSlot, batch.count);
      } catch (e) {
        if (!(e instanceof BatchCheckError)) throw e;
        this.deps.network.reportPeer(peerId, PeerAction.LowTolerance, `bad blocks_by_range response: ${e.message}`);
        if (!this.retry(batch)) return result("stalled");
        continue;
      }

      const first = checked.blocks[0];
      if (first !== undefined && !chain.hasBlock(first.message.parent_root) && !chain.hasBlock(checked.roots[0])) {
        // The batch does not continue our chain. The peers' chain forks before our head, or the
        // batch before this one came back with blocks missing.
        if (lastImported === null) return result("fork");
        if (++linkFailures > this.maxLinkFailures) return result("stalled");
        logger.debug({startSlot: batch.startSlot, previousPeer: lastImported.peerId}, "range sync: batch does not link, downloading the one before again");
        const redo = newBatch(lastImported.startSlot, lastImported.count);
        redo.triedPeers.add(lastImported.peerId);
        redo.redoOf = {peerId: lastImported.peerId, blocks: lastImported.blocks};
        batch.triedPeers.add(peerId);
        queue.unshift(redo);
        lastImported = null;
        continue;
      }

      let failed = false;
      for (const block of checked.blocks) {
        try {
          await chain.processBlock(block, "sync");
          imported++;
          this.deps.onImported?.(1);
        } catch (e) {
          if (!(e instanceof BlockImportError)) throw e;
          if (e.code === BlockErrorCode.ALREADY_KNOWN || e.code === BlockErrorCode.WOULD_REVERT_FINALIZED) continue;
          if (e.code === BlockErrorCode.FUTURE_SLOT) {
            this.deps.network.reportPeer(peerId, PeerAction.LowTolerance, `served a block from the future: ${e.message}`);
          } else {
            badPeers.add(peerId);
            this.deps.network.reportPeer(peerId, PeerAction.Fatal, `served an invalid block: ${e.message}`);
          }
          logger.warn({peer: peerId, slot: block.message.slot, code: e.code, reason: e.reason}, "range sync: block refused, batch retried from another peer");
          failed = true;
          break;
        }
      }
      if (failed) {
        if (!this.retry(batch)) return result("stalled");
        continue;
      }
      if (batch.redoOf !== undefined && checked.blocks.length > batch.redoOf.blocks) {
        this.deps.network.reportPeer(
          batch.redoOf.peerId,
          PeerAction.LowTolerance,
          `withheld blocks: served ${batch.redoOf.blocks} of slots ${batch.startSlot}..${batch.startSlot + batch.count - 1}, another peer ${checked.blocks.length}`
        );
      }
      lastImported = {startSlot: batch.startSlot, count: batch.count, peerId, blocks: checked.blocks.length};
      queue.shift();
    }
  }

  /** Resets a failed batch for another download; false when it has had its attempts. */
  private retry(batch: Batch): boolean {
    batch.attempts++;
    if (batch.peerId !== null) batch.triedPeers.add(batch.peerId);
    batch.peerId = null;
    return batch.attempts < this.maxBatchAttempts;
  }

  private startDownload(batch: Batch, badPeers: Set<string>): boolean {
    const peer = this.pickPeer(batch, badPeers);
    if (peer === null) return false;
    const id = peer.peerId;
    batch.peerId = id;
    this.inFlight.set(id, (this.inFlight.get(id) ?? 0) + 1);
    batch.download = this.deps.network.beaconBlocksByRange(id, batch.startSlot, batch.count).then(
      (blocks): Download => ({ok: true, blocks}),
      (error: unknown): Download => ({ok: false, error: error instanceof Error ? error : new Error(String(error))})
    ).finally(() => {
      const n = (this.inFlight.get(id) ?? 1) - 1;
      if (n <= 0) this.inFlight.delete(id);
      else this.inFlight.set(id, n);
    });
    return true;
  }

  /** The peer with the fewest downloads in flight among those that have the batch's slots, preferring one the batch has not tried. */
  private pickPeer(batch: Batch, badPeers: Set<string>): SyncPeer | null {
    const usable = this.deps.peers().filter((p) => p.status.head_slot >= batch.startSlot && !badPeers.has(p.peerId));
    const fresh = usable.filter((p) => !batch.triedPeers.has(p.peerId));
    const pool = fresh.length > 0 ? fresh : usable;
    if (pool.length === 0) return null;
    let least = Infinity;
    for (const p of pool) least = Math.min(least, this.inFlight.get(p.peerId) ?? 0);
    const idle = pool.filter((p) => (this.inFlight.get(p.peerId) ?? 0) === least);
    // Rotate among the least busy, so a peer that keeps failing is not always the one asked.
    return idle[this.rotation++ % idle.length];
  }
}

function newBatch(startSlot: number, count: number): Batch {
  return {startSlot, count, attempts: 0, triedPeers: new Set(), peerId: null, download: null};
}

