/**
 * Which peers are ahead of us, and how far to sync. A peer is ahead when its status announces a
 * head slot beyond ours (by more than a small tolerance, which gossip and block lookups cover)
 * and a head root we do not know. Statuses can be stale: a head root we have since imported
 * stops counting.
 */
import type {SyncPeer} from "../network/interface.ts";

export interface SyncTarget {
  /** The highest head slot announced by a peer ahead. */
  slot: number;
  /** Peers ahead, by descending head slot. */
  peers: SyncPeer[];
}

export interface LocalView {
  headSlot: number;
  hasBlock(root: Uint8Array): boolean;
}

/** Gaps this small are closed by gossip and unknown-parent lookups, without range sync. */
export const SYNC_TOLERANCE_SLOTS = 2;

export function chooseSyncTarget(peers: readonly SyncPeer[], local: LocalView, toleranceSlots = SYNC_TOLERANCE_SLOTS): SyncTarget | null {
  const ahead = peers.filter((p) => p.status.head_slot > local.headSlot + toleranceSlots && !local.hasBlock(p.status.head_root));
  if (ahead.length === 0) return null;
  ahead.sort((a, b) => b.status.head_slot - a.status.head_slot);
  return {slot: ahead[0].status.head_slot, peers: ahead};
}
