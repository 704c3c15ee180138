/**
 * The node's sync: watches the peers' statuses (and hints from lookups that a peer is far ahead),
 * runs range sync while some peer is ahead, and owns the lookups by root. It says whether the
 * node is syncing (the API's /node/syncing, the validator client's pause) and how fast blocks
 * arrive (the status line).
 */
import type {TimeSource} from "../clock/index.ts";
import {computeStartSlotAtEpoch} from "../state-transition/index.ts";
import type {INetworkPeers, SyncPeer} from "../network/interface.ts";
import {toHex} from "../util/bytes.ts";
import type {Logger} from "../util/logger.ts";
import {SyncState, type SyncChain} from "./interface.ts";
import {RangeSync, type RangeSyncOptions} from "./rangeSync.ts";
import {RateMeter} from "./rateMeter.ts";
import {chooseSyncTarget, SYNC_TOLERANCE_SLOTS, type SyncTarget} from "./syncTarget.ts";
import {UnknownBlockSync, type UnknownBlockSyncOptions} from "./unknownBlockSync.ts";

export interface SyncServiceOptions {
  chain: SyncChain;
  network: INetworkPeers;
  logger: Logger;
  time: TimeSource;
  /** How often the peers are looked at again without an event (default 6 s). */
  recheckMs?: number;
  /** Wait after a run that could not progress (default 2 s). */
  retryDelayMs?: number;
  range?: RangeSyncOptions;
  lookup?: UnknownBlockSyncOptions;
  toleranceSlots?: number;
}

export interface SyncProgress {
  state: SyncState;
  /** Connected peers that passed the status handshake. */
  peers: number;
  /** The slot range sync is heading for (null when synced). */
  targetSlot: number | null;
  /** Blocks imported by sync per second over the last seconds. */
  blocksPerSecond: number;
}

export class SyncService {
  readonly unknownBlocks: UnknownBlockSync;
  private readonly opts: SyncServiceOptions;
  private readonly rangeSync: RangeSync;
  private readonly rate = new RateMeter();
  /** Heads that peers proved to know (by sending us a block) beyond their last status. */
  private readonly peerHints = new Map<string, {slot: number; root: Uint8Array}>();
  /** Peers set aside until they send a new status: their chain does not continue ours. */
  private readonly ignored = new Set<string>();
  private state: SyncState = SyncState.Synced;
  private targetSlot: number | null = null;
  private loop: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private timer: unknown = null;
  private wake: (() => void) | null = null;
  private readonly onStatus = (peer: SyncPeer): void => {
    this.ignored.delete(peer.peerId);
    this.check();
  };
  private readonly onDisconnect = (peerId: string): void => {
    this.peerHints.delete(peerId);
    this.ignored.delete(peerId);
  };

  constructor(opts: SyncServiceOptions) {
    this.opts = opts;
    const isStopped = () => this.stopped;
    const onImported = (n: number) => this.rate.add(n, opts.time.now());
    const peers = () => this.peersWithHints();
    this.rangeSync = new RangeSync({chain: opts.chain, network: opts.network, logger: opts.logger, onImported, isStopped, peers}, opts.range);
    this.unknownBlocks = new UnknownBlockSync(
      {
        chain: opts.chain,
        network: opts.network,
        logger: opts.logger,
        onImported,
        isStopped,
        onPeerAhead: (peerId, slot, root) => this.onPeerAhead(peerId, slot, root),
      },
      opts.lookup
    );
  }

  start(): void {
    this.opts.network.peerEvents.on("peer:status", this.onStatus);
    this.opts.network.peerEvents.on("peer:disconnected", this.onDisconnect);
    this.schedule();
    this.check();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.opts.network.peerEvents.off("peer:status", this.onStatus);
    this.opts.network.peerEvents.off("peer:disconnected", this.onDisconnect);
    if (this.timer !== null) this.opts.time.clearTimeout(this.timer);
    this.wake?.();
    await this.loop;
    await this.unknownBlocks.idle();
  }

  isSyncing(): boolean {
    return this.state === SyncState.Syncing;
  }

  progress(): SyncProgress {
    return {
      state: this.state,
      peers: this.opts.network.syncPeers().length,
      targetSlot: this.targetSlot,
      blocksPerSecond: this.rate.perSecond(this.opts.time.now()),
    };
  }

  /** Looks at the peers again (after a status, a hint, or the periodic timer). */
  check(): void {
    if (this.stopped) return;
    if (this.loop !== null) {
      this.again = true;
      return;
    }
    this.loop = this.run()
      .catch((e) => this.opts.logger.error({err: e}, "sync failed"))
      .finally(() => {
        this.loop = null;
        this.state = SyncState.Synced;
        this.targetSlot = null;
        // A status that came in while the last run was ending.
        if (this.again) this.check();
      });
  }

  /** Resolves once no range sync is running (tests). */
  async idle(): Promise<void> {
    while (this.loop !== null) await this.loop;
  }

  private schedule(): void {
    const ms = this.opts.recheckMs ?? 6000;
    this.timer = this.opts.time.setTimeout(() => {
      if (this.stopped) return;
      this.schedule();
      this.check();
    }, ms);
  }

  private onPeerAhead(peerId: string, slot: number, root: Uint8Array): void {
    const known = this.peerHints.get(peerId);
    if (known !== undefined && known.slot >= slot) return;
    this.peerHints.set(peerId, {slot, root});
    this.ignored.delete(peerId);
    this.check();
  }

  /** The connected peers, each with the best head we know it has. */
  private peersWithHints(): SyncPeer[] {
    return this.opts.network
      .syncPeers()
      .filter((p) => !this.ignored.has(p.peerId))
      .map((p) => {
        const hint = this.peerHints.get(p.peerId);
        if (hint === undefined || hint.slot <= p.status.head_slot) return p;
        return {peerId: p.peerId, status: {...p.status, head_slot: hint.slot, head_root: hint.root}};
      });
  }

  private chooseTarget(): SyncTarget | null {
    const {chain} = this.opts;
    const head = chain.getHead();
    // The tolerance decides when to start; once syncing, the run goes all the way to the peers' head.
    const tolerance = this.state === SyncState.Syncing ? 0 : (this.opts.toleranceSlots ?? SYNC_TOLERANCE_SLOTS);
    return chooseSyncTarget(this.peersWithHints(), {headSlot: head.slot, hasBlock: (r) => chain.hasBlock(r)}, tolerance);
  }

  private async run(): Promise<void> {
    const {chain, logger} = this.opts;
    let startedAt: {slot: number; at: number} | null = null;
    for (;;) {
      this.again = false;
      if (this.stopped) return;
      const target = this.chooseTarget();
      if (target === null) break;
      const head = chain.getHead();
      if (this.state !== SyncState.Syncing) {
        startedAt = {slot: head.slot, at: this.opts.time.now()};
        logger.info({headSlot: head.slot, targetSlot: target.slot, peers: target.peers.length}, "range sync started");
      }
      this.state = SyncState.Syncing;
      this.targetSlot = target.slot;
      let result = await this.rangeSync.run(target, head.slot + 1);
      if (result.outcome === "fork") {
        // The peers' chain branches off before our head: sync again from our finalized checkpoint.
        const finalizedSlot = computeStartSlotAtEpoch(chain.getFinalizedCheckpoint().epoch);
        logger.info({headSlot: head.slot, fromSlot: finalizedSlot + 1}, "range sync: peers are on another branch, syncing from the finalized slot");
        result = await this.rangeSync.run(target, finalizedSlot + 1);
        if (result.outcome === "fork") {
          for (const p of target.peers) this.ignored.add(p.peerId);
          logger.warn({peers: target.peers.map((p) => p.peerId)}, "range sync: the peers' chain does not descend from our finalized checkpoint");
        }
      }
      if (result.outcome === "stopped") return;
      if (result.outcome === "done" && result.imported === 0 && !chain.hasBlock(target.peers[0].status.head_root)) {
        // The peers served nothing towards the head they announced (a stale status, or a head
        // they no longer have): set them aside until they announce another.
        for (const p of target.peers) {
          this.ignored.add(p.peerId);
          this.peerHints.delete(p.peerId);
        }
        logger.debug({peers: target.peers.map((p) => p.peerId), targetSlot: target.slot}, "range sync: no progress towards the announced head");
      }
      if (result.outcome === "stalled" && result.imported === 0) await this.delay(this.opts.retryDelayMs ?? 2000);
    }
    if (this.state === SyncState.Syncing && startedAt !== null) {
      const head = chain.getHead();
      const seconds = Math.max(0.001, (this.opts.time.now() - startedAt.at) / 1000);
      logger.info({headSlot: head.slot, headRoot: toHex(head.root), slots: head.slot - startedAt.slot, seconds: Number(seconds.toFixed(1))}, "range sync done");
    }
    for (const [peerId, hint] of this.peerHints) if (chain.hasBlock(hint.root)) this.peerHints.delete(peerId);
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.opts.time.setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        this.opts.time.clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }
}
