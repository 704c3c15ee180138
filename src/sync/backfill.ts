/**
 * Backfill: a checkpoint-synced node downloads the blocks before its anchor from peers, newest
 * batch first, down to genesis. Each batch must be one chain segment (checkBatch) whose newest
 * block is the parent of the oldest block held, so the whole history hangs off the verified
 * anchor by parent_root. The proposers' signatures are checked as one batch with the pubkeys of
 * a state at or after the anchor: validators are only ever appended, so an older block's proposer
 * index names the same key there (the weak-subjectivity argument that trusts the anchor).
 * Blocks are stored as finalized blocks (block + finalized slot index, no states) together with
 * the lowered oldest block in one batch; the stored oldest block is where a restart resumes.
 * One request at a time, and none while forward sync runs: backfill never competes with import.
 */
import type {SignatureSet, AsyncSignatureVerifier} from "../crypto/index.ts";
import type {BeaconDb, DbOp} from "../db/index.ts";
import {putOldestBlockOp, readOldestBlock, type OldestBlock} from "../chain/persist.ts";
import {PeerAction, type INetworkPeers, type SyncPeer} from "../network/interface.ts";
import type {TimeSource} from "../clock/index.ts";
import {ssz, type SignedBeaconBlock} from "../types/index.ts";
import {bytesEqual, toHex} from "../util/bytes.ts";
import type {Logger} from "../util/logger.ts";
import {BatchCheckError, checkBatch} from "./batchCheck.ts";

export interface BackfillOptions {
  db: BeaconDb;
  network: INetworkPeers;
  logger: Logger;
  time: TimeSource;
  verifier: AsyncSignatureVerifier;
  /** The proposer signature set of a block, with the pubkeys of a state at or after the anchor (throws for an unknown proposer index). */
  proposerSignatureSet: (block: SignedBeaconBlock) => SignatureSet;
  /** True while something more urgent runs (forward sync): backfill waits. */
  isBusy?: () => boolean;
  /** Slots per request (default 64). */
  batchSlots?: number;
  /** Wait when no peer can serve, or while busy (default 2 s). */
  retryDelayMs?: number;
  /** Pause between two batches, to leave the event loop to import and duties (default 50 ms). */
  pauseMs?: number;
  /** Called after each stored batch. */
  onProgress?: (oldest: OldestBlock) => void;
}

/** Why a peer's answer was not stored (the peer is reported and the batch asked of another). */
class BackfillPeerError extends Error {
  /** null: the answer is useless but may be honest (not reported, the peer is only passed over). */
  readonly action: PeerAction | null;
  constructor(action: PeerAction | null, message: string) {
    super(message);
    this.action = action;
  }
}

export class Backfill {
  private readonly opts: BackfillOptions;
  private readonly batchSlots: number;
  private stopped = false;
  private loop: Promise<void> | null = null;
  private timer: unknown = null;
  private wake: (() => void) | null = null;
  private onStop: () => void = () => {};
  /** Resolves on stop: a request in flight is not waited for. */
  private readonly stopping = new Promise<void>((resolve) => {
    this.onStop = resolve;
  });
  /** Peers that failed the current batch: asked again only when no other peer is left. */
  private readonly tried = new Set<string>();
  private rotation = 0;
  /** Blocks stored since start. */
  stored = 0;

  constructor(opts: BackfillOptions) {
    this.opts = opts;
    this.batchSlots = opts.batchSlots ?? 64;
  }

  start(): void {
    if (this.loop !== null) return;
    this.loop = this.run().catch((e: unknown) => this.opts.logger.error({err: e}, "backfill failed"));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.onStop();
    if (this.timer !== null) this.opts.time.clearTimeout(this.timer);
    this.wake?.();
    await this.loop;
  }

  /** Resolves when backfill has reached genesis (or was stopped). */
  done(): Promise<void> {
    return this.loop ?? Promise.resolve();
  }

  private async run(): Promise<void> {
    const {db, logger} = this.opts;
    const stored = await readOldestBlock(db);
    if (stored === null || stored.slot === 0) return; // a chain from genesis, or backfill done
    const bytes = await db.getBlock(stored.root);
    if (bytes === undefined) throw new Error(`the oldest block ${toHex(stored.root)} (slot ${stored.slot}) is not in the database`);
    let oldest = {slot: stored.slot, root: stored.root, parentRoot: ssz.SignedBeaconBlock.deserialize(bytes).message.parent_root};
    logger.info({oldestSlot: oldest.slot}, "backfill started");
    const startedAt = this.opts.time.now();
    let batches = 0;
    // Exclusive upper slot of the next request: below the oldest block, lowered past empty answers.
    let upper = oldest.slot;
    // Peers that answered "no blocks" for the slots between `upper` and the oldest block.
    const skippedBy = new Set<string>();
    while (!this.stopped) {
      if (this.opts.isBusy?.()) {
        await this.delay(this.opts.retryDelayMs ?? 2000);
        continue;
      }
      const peer = this.pickPeer();
      if (peer === null) {
        await this.delay(this.opts.retryDelayMs ?? 2000);
        continue;
      }
      const startSlot = Math.max(0, upper - this.batchSlots);
      const count = upper - startSlot;
      const request = this.opts.network.beaconBlocksByRange(peer.peerId, startSlot, count).then(
        (blocks) => ({blocks}),
        (error: unknown) => ({error: error instanceof Error ? error : new Error(String(error))})
      );
      const answer = await Promise.race([request, this.stopping.then(() => null)]);
      if (answer === null || this.stopped) return;
      if ("error" in answer) {
        this.fail(peer.peerId, PeerAction.MidTolerance, `blocks_by_range failed: ${answer.error.message}`);
        continue;
      }
      const blocks = answer.blocks;
      try {
        const linked = await this.checkLinks(blocks, startSlot, count, oldest.parentRoot);
        if (linked === null) {
          // No block in these slots: the parent is further back (a run of skipped slots).
          upper = startSlot;
          skippedBy.add(peer.peerId);
          continue;
        }
        await this.verifySignatures(linked.blocks);
        const first = linked.blocks[0];
        const firstRoot = linked.roots[0];
        const ops: DbOp[] = [];
        for (let i = 0; i < linked.blocks.length; i++) {
          const b = linked.blocks[i];
          ops.push(...db.putBlockOps(linked.roots[i], b.message.slot, ssz.SignedBeaconBlock.serialize(b)), db.putFinalizedSlotOp(b.message.slot, linked.roots[i]));
        }
        ops.push(putOldestBlockOp(db, {slot: first.message.slot, root: firstRoot}));
        if (this.stopped) return; // the database may be closing
        await db.batch(ops, true);
        this.stored += linked.blocks.length;
        oldest = {slot: first.message.slot, root: firstRoot, parentRoot: first.message.parent_root};
        upper = oldest.slot;
        skippedBy.clear();
        this.tried.clear();
        this.opts.onProgress?.({slot: oldest.slot, root: oldest.root});
        logger.debug({oldestSlot: oldest.slot, blocks: linked.blocks.length, peer: peer.peerId}, "backfill: batch stored");
        const seconds = Number(((this.opts.time.now() - startedAt) / 1000).toFixed(1));
        if (oldest.slot === 0) {
          logger.info({stored: this.stored, seconds}, "backfill reached genesis");
          return;
        }
        if (++batches % 20 === 0) logger.info({oldestSlot: oldest.slot, stored: this.stored, seconds}, "backfill");
      } catch (e) {
        if (!(e instanceof BackfillPeerError)) throw e;
        if (e.action === null || (skippedBy.size > 0 && e.action !== PeerAction.Fatal)) {
          // A peer that hid the parent behind an empty answer, or this one serving another chain:
          // which cannot be told, so none is reported; the slots are asked again of other peers.
          for (const id of [...skippedBy, peer.peerId]) this.tried.add(id);
          logger.debug({peer: peer.peerId, skippedBy: [...skippedBy], reason: e.message}, "backfill: no link after empty answers, asking other peers again");
        } else {
          this.fail(peer.peerId, e.action, e.message);
        }
        if (this.tried.size > 0) await this.delay(this.opts.pauseMs ?? 50);
        upper = oldest.slot;
        skippedBy.clear();
        continue;
      }
      await this.delay(this.opts.pauseMs ?? 50);
    }
  }

  /**
   * The blocks that continue the oldest held block downwards, or null when the peer has no block in
   * these slots. The newest block returned must be the parent we wait for: a peer serving another
   * chain, or leaving out the parent, fails here.
   */
  private async checkLinks(blocks: SignedBeaconBlock[], startSlot: number, count: number, parentRoot: Uint8Array): Promise<{blocks: SignedBeaconBlock[]; roots: Uint8Array[]} | null> {
    let checked;
    try {
      checked = checkBatch(blocks, startSlot, count);
    } catch (e) {
      if (!(e instanceof BatchCheckError)) throw e;
      throw new BackfillPeerError(PeerAction.LowTolerance, `bad blocks_by_range response: ${e.message}`);
    }
    if (checked.blocks.length === 0) {
      // No genesis block: a peer without the history (checkpoint-synced itself) answers so too.
      if (startSlot === 0) throw new BackfillPeerError(null, "served no block at slots from genesis: it does not hold the chain's oldest blocks");
      return null;
    }
    const last = checked.roots[checked.roots.length - 1];
    if (!bytesEqual(last, parentRoot)) {
      throw new BackfillPeerError(
        PeerAction.LowTolerance,
        `backfill blocks do not link: the newest served block ${toHex(last)} is not the parent ${toHex(parentRoot)} of the oldest block held`
      );
    }
    return checked;
  }

  private async verifySignatures(blocks: SignedBeaconBlock[]): Promise<void> {
    const sets: SignatureSet[] = [];
    for (const b of blocks) {
      // The genesis block is not signed; its root is fixed by the parent links.
      if (b.message.slot === 0) continue;
      try {
        sets.push(this.opts.proposerSignatureSet(b));
      } catch (e) {
        throw new BackfillPeerError(PeerAction.Fatal, `block at slot ${b.message.slot}: ${(e as Error).message}`);
      }
    }
    if (!(await this.opts.verifier.verifySignatureSets(sets))) {
      throw new BackfillPeerError(PeerAction.Fatal, `a proposer signature in the backfill batch ${blocks[0].message.slot}..${blocks[blocks.length - 1].message.slot} is invalid`);
    }
  }

  private fail(peerId: string, action: PeerAction, reason: string): void {
    this.tried.add(peerId);
    this.opts.network.reportPeer(peerId, action, reason);
    this.opts.logger.debug({peer: peerId, reason}, "backfill: batch refused, asking another peer");
  }

  /**
   * A peer that has not failed the current batch, in turn. When every peer has, null (the loop
   * waits) and they are all asked again after that: peers without the history (checkpoint-synced
   * themselves) are not asked in a tight loop.
   */
  private pickPeer(): SyncPeer | null {
    const peers = this.opts.network.syncPeers();
    const fresh = peers.filter((p) => !this.tried.has(p.peerId));
    if (fresh.length === 0) {
      this.tried.clear();
      return null;
    }
    return fresh[this.rotation++ % fresh.length];
  }

  private delay(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      this.timer = this.opts.time.setTimeout(() => {
        this.timer = null;
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        if (this.timer !== null) this.opts.time.clearTimeout(this.timer);
        this.timer = null;
        this.wake = null;
        resolve();
      };
    });
  }
}
