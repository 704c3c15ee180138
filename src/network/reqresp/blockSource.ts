/**
 * The blocks req/resp serves: canonical blocks by slot range (fork choice for the unfinalized part,
 * the finalized slot index below it) and known blocks by root, as SSZ bytes. Reads only.
 */
import type {BeaconChain} from "../../chain/index.ts";
import {ssz} from "../../types/index.ts";
import {fromHex, toHex} from "../../util/bytes.ts";

/** What block serving needs of the chain. */
export type BlockChainView = Pick<BeaconChain, "forkChoice" | "headRoot" | "anchorSlot" | "db" | "blocks" | "getHead">;

export interface BlockSource {
  /** Canonical block roots with slot in [startSlot, startSlot + count), ascending. */
  canonicalRootsInRange(startSlot: number, count: number): Promise<Uint8Array[]>;
  /** A known block's SSZ bytes (canonical or not), or null. */
  blockBytes(root: Uint8Array): Promise<Uint8Array | null>;
}

export function chainBlockSource(chain: BlockChainView): BlockSource {
  return {
    async canonicalRootsInRange(startSlot, count) {
      const headSlot = chain.getHead().slot;
      const endSlot = Math.min(startSlot + count - 1, headSlot);
      if (endSlot < startSlot) return [];
      const fc = chain.forkChoice;
      // Unfinalized part: walk parents from the head's ancestor at the range's end.
      const fromForkChoice: Uint8Array[] = [];
      // Below the anchor fork choice has nothing (get_ancestor would answer with the anchor itself).
      let root: string | null = endSlot >= chain.anchorSlot ? fc.getAncestor(chain.headRoot, endSlot) : null;
      while (root !== null) {
        const node = fc.getBlock(root);
        if (node === undefined || node.slot < startSlot || node.slot > endSlot) break;
        fromForkChoice.push(fromHex(root));
        if (node.slot <= chain.anchorSlot) break;
        root = node.parentRoot;
      }
      fromForkChoice.reverse();
      // Finalized part below the fork-choice anchor: the finalized slot index.
      const fromDb: Uint8Array[] = [];
      for (let slot = startSlot; slot <= Math.min(endSlot, chain.anchorSlot - 1); slot++) {
        const r = await chain.db.getFinalizedRootAtSlot(slot);
        if (r !== undefined) fromDb.push(r);
      }
      return [...fromDb, ...fromForkChoice];
    },

    async blockBytes(root) {
      const hex = toHex(root);
      const inMemory = chain.blocks.get(hex);
      if (inMemory !== undefined) return ssz.SignedBeaconBlock.serialize(inMemory);
      return (await chain.db.getBlock(root)) ?? null;
    },
  };
}
