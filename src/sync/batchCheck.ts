/**
 * Checks a by-range response before anything of it is imported: every block inside the requested
 * slots, slots strictly ascending, and each block the child of the one before it (a response is
 * one chain segment). A response that fails is the serving peer's fault.
 */
import {blockRoot} from "../state-transition/index.ts";
import type {SignedBeaconBlock} from "../types/index.ts";
import {toHex} from "../util/bytes.ts";

export interface CheckedBatch {
  blocks: SignedBeaconBlock[];
  /** hash_tree_root of each block's message, in the same order. */
  roots: Uint8Array[];
}

export class BatchCheckError extends Error {}

export function checkBatch(blocks: SignedBeaconBlock[], startSlot: number, count: number): CheckedBatch {
  const roots: Uint8Array[] = [];
  const end = startSlot + count;
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i].message;
    if (block.slot < startSlot || block.slot >= end) {
      throw new BatchCheckError(`block at slot ${block.slot} is outside the requested slots ${startSlot}..${end - 1}`);
    }
    if (i > 0) {
      const prev = blocks[i - 1].message;
      if (block.slot <= prev.slot) throw new BatchCheckError(`slots not ascending: ${prev.slot} then ${block.slot}`);
      if (toHex(block.parent_root) !== toHex(roots[i - 1])) {
        throw new BatchCheckError(`block at slot ${block.slot} is not the child of the block at slot ${prev.slot}`);
      }
    }
    roots.push(blockRoot(block));
  }
  return {blocks, roots};
}
