/**
 * Finalization: the finalized block's post-state becomes the new anchor. One atomic, synced batch
 * writes the anchor state, its root and the finalized checkpoint (meta), the finalized slot index
 * of every canonical block since the previous anchor, an archived copy of the state every
 * STATE_ARCHIVE_EPOCHS, and the deletion of blocks that finalization orphaned. Memory follows:
 * the new anchor is pinned, older states and blocks are released, the pools pruned.
 */
import {FAR_FUTURE_EPOCH, SLOTS_PER_EPOCH} from "../params/index.ts";
import type {DbOp} from "../db/index.ts";
import type {Checkpoint} from "../types/index.ts";
import {fromHex, toHex} from "../util/bytes.ts";
import type {BeaconChain} from "./chain.ts";
import {putAnchorOps} from "./persist.ts";

/** Finalized states are archived (for historical state queries) at most once per this many epochs. */
export const STATE_ARCHIVE_EPOCHS = 32;

export async function persistFinalized(chain: BeaconChain, cp: Checkpoint): Promise<void> {
  const fc = chain.forkChoice;
  const db = chain.db;
  const rootHex = toHex(cp.root);
  const node = fc.getBlock(rootHex);
  if (node === undefined) throw new Error(`finalized block ${rootHex} is not in fork choice`);
  const anchor = chain.regen.getBlockState(rootHex);
  const stateBytes = anchor.state.serialize();
  const ops: DbOp[] = putAnchorOps(db, stateBytes, cp.root, cp);

  // The canonical chain from the new finalized block down to the previous anchor, followed through
  // the blocks themselves: fork choice may already have pruned the ancestors of its finalized node
  // (it does once enough nodes precede it), and they must still be indexed, not deleted as orphans.
  const canonical = new Set<string>([rootHex]);
  for (let cur = rootHex; cur !== chain.anchorBlockRoot; ) {
    const signed = chain.blocks.get(cur);
    if (signed === undefined) break;
    ops.push(db.putFinalizedSlotOp(signed.message.slot, fromHex(cur)));
    canonical.add(cur);
    cur = toHex(signed.message.parent_root);
  }
  const archiveSlots = STATE_ARCHIVE_EPOCHS * SLOTS_PER_EPOCH;
  if (Math.floor(node.slot / archiveSlots) > Math.floor(chain.anchorSlot / archiveSlots)) {
    ops.push(db.putArchivedStateOp(node.slot, stateBytes));
  }

  // Blocks that neither lead to nor descend from the finalized block can never be canonical.
  const orphaned: string[] = [];
  for (const [root, signed] of chain.blocks) {
    if (canonical.has(root) || root === chain.anchorBlockRoot) continue;
    if (fc.hasBlock(root) && fc.isAncestor(root, rootHex)) continue;
    orphaned.push(root);
    ops.push(...db.deleteBlockOps(fromHex(root), signed.message.slot));
  }

  await db.batch(ops, true);

  for (const root of canonical) if (root !== rootHex) chain.blocks.delete(root);
  if (chain.anchorBlockRoot !== rootHex) chain.blocks.delete(chain.anchorBlockRoot);
  for (const root of orphaned) chain.blocks.delete(root);
  chain.anchorBlockRoot = rootHex;
  chain.anchorSlot = node.slot;
  chain.persistedFinalized = {epoch: cp.epoch, root: cp.root};
  chain.regen.pin("anchor", node.stateRoot, anchor);
  chain.regen.prune((s) => s.state.slot >= node.slot);

  const state = anchor.state;
  chain.opPool.prune(
    (i) => i < state.validators.length && state.validators.getReadonly(i).slashed,
    (i) => i < state.validators.length && state.validators.getReadonly(i).exit_epoch !== FAR_FUTURE_EPOCH
  );
  chain.logger.info({epoch: cp.epoch, root: rootHex, slot: node.slot, orphaned: orphaned.length}, "finalized");
}
