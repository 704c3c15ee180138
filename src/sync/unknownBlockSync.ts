/**
 * Lookups by root. A block whose parent is unknown (from gossip, or a block an attestation votes
 * for that we never saw) is fetched with beacon_blocks_by_root, then its parent, and so on up to a
 * known ancestor or `maxAncestors` blocks; the chain found is imported from the oldest block down.
 * A block too far ahead of our head for a lookup is handed to range sync as a hint that its
 * sender is ahead. A peer that answers with a block we did not ask for, or a block the chain
 * refuses as invalid, is reported.
 */
import {blockRoot} from "../state-transition/index.ts";
import {BlockErrorCode, BlockImportError} from "../chain/index.ts";
import {PeerAction, type INetworkPeers} from "../network/interface.ts";
import type {SignedBeaconBlock} from "../types/index.ts";
import {toHex} from "../util/bytes.ts";
import type {Logger} from "../util/logger.ts";
import type {SyncChain} from "./interface.ts";

export interface UnknownBlockSyncOptions {
  /** Unknown ancestors fetched above the first block before the lookup is given up (default 32). */
  maxAncestors?: number;
  /** Blocks pending at once; new lookups beyond it are dropped (default 256). */
  maxPending?: number;
  /** Fetches of one root before it is given up (default 3). */
  maxAttempts?: number;
}

export interface UnknownBlockSyncDeps {
  chain: SyncChain;
  network: INetworkPeers;
  logger: Logger;
  /** A peer knows a block at `slot`, too far ahead for a lookup (range sync takes it from there). */
  onPeerAhead: (peerId: string, slot: number, root: Uint8Array) => void;
  onImported?: (count: number) => void;
  isStopped: () => boolean;
}

interface Pending {
  root: Uint8Array;
  /** null until fetched. */
  block: SignedBeaconBlock | null;
  /** Peers that should have it (the sender of its child or of the vote). */
  peers: Set<string>;
  /** Who served it (reported if it proves invalid). */
  servedBy: string | null;
  attempts: number;
  /** How many unknown blocks below it led to it (0 for the block that started the lookup). */
  depth: number;
}

export class UnknownBlockSync {
  private readonly deps: UnknownBlockSyncDeps;
  private readonly maxAncestors: number;
  private readonly maxPending: number;
  private readonly maxAttempts: number;
  private readonly pending = new Map<string, Pending>();
  private draining: Promise<void> | null = null;
  private again = false;
  /** Lookups that ended with the block imported / given up (for tests and logs). */
  readonly stats = {imported: 0, dropped: 0};

  constructor(deps: UnknownBlockSyncDeps, opts: UnknownBlockSyncOptions = {}) {
    this.deps = deps;
    this.maxAncestors = opts.maxAncestors ?? 32;
    this.maxPending = opts.maxPending ?? 256;
    this.maxAttempts = opts.maxAttempts ?? 3;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** A valid-looking block whose parent the chain does not know. */
  onUnknownParent(block: SignedBeaconBlock, peerId?: string): void {
    const root = blockRoot(block.message);
    if (this.deps.chain.hasBlock(root)) return;
    const head = this.deps.chain.getHead();
    if (block.message.slot > head.slot + this.maxAncestors) {
      if (peerId !== undefined) this.deps.onPeerAhead(peerId, block.message.slot, root);
      return;
    }
    const entry = this.add(root, 0, peerId);
    if (entry !== null && entry.block === null) {
      entry.block = block;
      entry.servedBy = null;
      this.onFetched(entry, peerId);
    }
    this.kick();
  }

  /**
   * A block root the chain does not know: voted for by an attestation, or the parent of a block
   * at `childSlot` (which the gossip sink holds until the parent is imported).
   */
  onUnknownBlockRoot(root: Uint8Array, peerId?: string, childSlot?: number): void {
    if (this.deps.chain.hasBlock(root)) return;
    if (childSlot !== undefined && childSlot > this.deps.chain.getHead().slot + this.maxAncestors) {
      if (peerId !== undefined) this.deps.onPeerAhead(peerId, childSlot - 1, root);
      return;
    }
    this.add(root, 0, peerId);
    this.kick();
  }

  /** Resolves when no lookup is running. */
  async idle(): Promise<void> {
    while (this.draining !== null) await this.draining;
  }

  private add(root: Uint8Array, depth: number, peerId: string | undefined): Pending | null {
    const key = toHex(root);
    let entry = this.pending.get(key);
    if (entry === undefined) {
      if (this.pending.size >= this.maxPending) {
        this.deps.logger.debug({root: key}, "block lookup dropped: too many pending");
        return null;
      }
      entry = {root, block: null, peers: new Set(), servedBy: null, attempts: 0, depth};
      this.pending.set(key, entry);
    }
    if (peerId !== undefined) entry.peers.add(peerId);
    return entry;
  }

  private kick(): void {
    if (this.draining !== null) {
      this.again = true;
      return;
    }
    this.draining = (async () => {
      try {
        do {
          this.again = false;
          await this.drainOnce();
        } while ((this.again || this.hasWork()) && !this.deps.isStopped());
      } catch (e) {
        this.deps.logger.error({err: e}, "block lookup failed");
      } finally {
        this.draining = null;
      }
    })();
  }

  private hasWork(): boolean {
    for (const e of this.pending.values()) {
      if (e.block === null || this.deps.chain.hasBlock(e.block.message.parent_root)) return true;
    }
    return false;
  }

  private async drainOnce(): Promise<void> {
    await this.importReady();
    for (const [key, e] of this.pending) if (e.block === null && this.deps.chain.hasBlock(e.root)) this.pending.delete(key);
    const toFetch = [...this.pending.values()].filter((e) => e.block === null);
    if (toFetch.length === 0) return;
    // One request per peer, with every root that peer is asked for.
    const byPeer = new Map<string, Pending[]>();
    const connected = this.deps.network.syncPeers().map((p) => p.peerId);
    for (const entry of toFetch) {
      const peer = this.pickPeer(entry, connected);
      if (peer === null) {
        this.drop(entry, "no peer to ask");
        continue;
      }
      entry.attempts++;
      let list = byPeer.get(peer);
      if (list === undefined) byPeer.set(peer, (list = []));
      list.push(entry);
    }
    await Promise.all([...byPeer].map(([peer, entries]) => this.fetch(peer, entries)));
  }

  /** A peer named for the root, else any connected peer; rotated across attempts. */
  private pickPeer(entry: Pending, connected: string[]): string | null {
    const live = new Set(connected);
    const named = [...entry.peers].filter((p) => live.has(p));
    const pool = named.length > 0 && entry.attempts < named.length ? named : connected;
    if (pool.length === 0) return null;
    return pool[entry.attempts % pool.length];
  }

  private async fetch(peerId: string, entries: Pending[]): Promise<void> {
    let blocks: SignedBeaconBlock[];
    try {
      blocks = await this.deps.network.beaconBlocksByRoot(peerId, entries.map((e) => e.root));
    } catch (e) {
      this.deps.network.reportPeer(peerId, PeerAction.HighTolerance, `blocks_by_root failed: ${(e as Error).message}`);
      for (const entry of entries) this.failedAttempt(entry);
      return;
    }
    const asked = new Map(entries.map((e) => [toHex(e.root), e]));
    for (const block of blocks) {
      const key = toHex(blockRoot(block.message));
      const entry = asked.get(key);
      if (entry === undefined) {
        this.deps.network.reportPeer(peerId, PeerAction.LowTolerance, `blocks_by_root answered a block not asked for (${key})`);
        continue;
      }
      asked.delete(key);
      entry.block = block;
      entry.servedBy = peerId;
      this.onFetched(entry, peerId);
    }
    // Not having a block is no fault (it may be on a branch the peer pruned): ask another peer.
    for (const entry of asked.values()) this.failedAttempt(entry);
  }

  /** Queues the parent of a block just obtained, unless it is known or queued already. */
  private onFetched(entry: Pending, peerId: string | undefined): void {
    const parent = entry.block!.message.parent_root;
    if (this.deps.chain.hasBlock(parent) || this.pending.has(toHex(parent))) return;
    if (entry.depth + 1 > this.maxAncestors) {
      // Deeper than a lookup goes: the peer is well ahead of us; range sync takes over.
      if (peerId !== undefined) this.deps.onPeerAhead(peerId, entry.block!.message.slot, entry.root);
      this.drop(entry, "too many unknown ancestors");
      return;
    }
    if (this.add(parent, entry.depth + 1, peerId) === null) this.drop(entry, "too many pending lookups");
  }

  private failedAttempt(entry: Pending): void {
    if (entry.attempts >= this.maxAttempts) this.drop(entry, "no peer served it");
  }

  /** Imports every fetched block whose parent is known, oldest first, until none is left. */
  private async importReady(): Promise<void> {
    for (;;) {
      if (this.deps.isStopped()) return;
      const ready = [...this.pending.values()]
        .filter((e) => e.block !== null && this.deps.chain.hasBlock(e.block.message.parent_root))
        .sort((a, b) => a.block!.message.slot - b.block!.message.slot);
      if (ready.length === 0) return;
      for (const entry of ready) {
        this.pending.delete(toHex(entry.root));
        try {
          await this.deps.chain.processBlock(entry.block!, "sync");
          this.stats.imported++;
          this.deps.onImported?.(1);
        } catch (e) {
          if (!(e instanceof BlockImportError)) throw e;
          if (e.code === BlockErrorCode.ALREADY_KNOWN) continue;
          if (e.code === BlockErrorCode.INVALID && entry.servedBy !== null) {
            this.deps.network.reportPeer(entry.servedBy, PeerAction.Fatal, `served an invalid block: ${e.message}`);
          }
          this.deps.logger.debug({root: toHex(entry.root), code: e.code}, "looked-up block refused");
          this.pending.set(toHex(entry.root), entry);
          this.drop(entry, e.code);
        }
      }
    }
  }

  /** Forgets a lookup and every pending block that descends from it. */
  private drop(entry: Pending, reason: string): void {
    const gone = new Set([toHex(entry.root)]);
    this.pending.delete(toHex(entry.root));
    this.stats.dropped++;
    let changed = true;
    while (changed) {
      changed = false;
      for (const [key, e] of this.pending) {
        if (e.block !== null && gone.has(toHex(e.block.message.parent_root))) {
          gone.add(key);
          this.pending.delete(key);
          this.stats.dropped++;
          changed = true;
        }
      }
    }
    this.deps.logger.debug({root: toHex(entry.root), reason, dropped: gone.size}, "block lookup given up");
  }
}

