/**
 * Gossip blocks whose parent is unknown, held (bounded) until the parent is imported: the sink
 * IGNOREs them and asks for the parent (`unknown_block_root`); when sync brings the parent in,
 * the held children are validated again as if they had just arrived.
 */
import type {SignedBeaconBlock} from "../../types/index.ts";

export interface PendingBlock {
  signed: SignedBeaconBlock;
  peerId?: string;
}

export class PendingBlocks {
  private readonly byParent = new Map<string, PendingBlock[]>();
  private count = 0;
  readonly max: number;

  constructor(max = 64) {
    this.max = max;
  }

  get size(): number {
    return this.count;
  }

  /** False when full (the block is not held). */
  add(parentRootHex: string, block: PendingBlock): boolean {
    if (this.count >= this.max) return false;
    const list = this.byParent.get(parentRootHex);
    if (list === undefined) this.byParent.set(parentRootHex, [block]);
    else {
      if (list.some((b) => b.signed.message.slot === block.signed.message.slot && b.signed.message.proposer_index === block.signed.message.proposer_index)) return true;
      list.push(block);
    }
    this.count++;
    return true;
  }

  /** Removes and returns the blocks waiting for this parent. */
  takeChildren(parentRootHex: string): PendingBlock[] {
    const list = this.byParent.get(parentRootHex);
    if (list === undefined) return [];
    this.byParent.delete(parentRootHex);
    this.count -= list.length;
    return list;
  }

  /** Forgets blocks at or before `slot` (they can no longer be imported). */
  pruneUpTo(slot: number): void {
    for (const [parent, list] of this.byParent) {
      const keep = list.filter((b) => b.signed.message.slot > slot);
      this.count -= list.length - keep.length;
      if (keep.length === 0) this.byParent.delete(parent);
      else this.byParent.set(parent, keep);
    }
  }
}
