/**
 * p2p-interface.md beacon_block: the gossip conditions of a SignedBeaconBlock, cheap ones first,
 * the proposer signature last (on the BLS verifier). Deciding only: the seen proposer/slot entry
 * is written by the import step once the block is accepted.
 */
import {blockRoot, computeStartSlotAtEpoch, getBlockProposerSignatureSet} from "../../state-transition/index.ts";
import type {SignedBeaconBlock} from "../../types/index.ts";
import {toHex} from "../../util/bytes.ts";
import {BlockErrorCode, BlockImportError} from "../errors.ts";
import type {ValidationContext} from "./context.ts";
import {isFutureSlot} from "./timing.ts";

export interface GossipValidatedBlock {
  signed: SignedBeaconBlock;
  root: Uint8Array;
  rootHex: string;
  parentRootHex: string;
}

export async function validateGossipBlock(ctx: ValidationContext, signed: SignedBeaconBlock, nowMs: number): Promise<GossipValidatedBlock> {
  const block = signed.message;
  const slot = block.slot;

  if (isFutureSlot(ctx.config, ctx.clock, slot, nowMs)) {
    throw new BlockImportError(BlockErrorCode.FUTURE_SLOT, `block slot ${slot} is in the future`);
  }
  const finalized = ctx.finalizedCheckpoint();
  const finalizedSlot = computeStartSlotAtEpoch(finalized.epoch);
  if (slot <= finalizedSlot) {
    throw new BlockImportError(BlockErrorCode.WOULD_REVERT_FINALIZED, `block slot ${slot} is not after the finalized slot ${finalizedSlot}`);
  }
  if (ctx.seen.blockProposers.has(slot, block.proposer_index)) {
    throw new BlockImportError(BlockErrorCode.REPEAT_PROPOSAL, `a block of proposer ${block.proposer_index} at slot ${slot} was already seen`);
  }
  const head = ctx.headState();
  if (!(block.proposer_index < head.state.validators.length)) {
    throw new BlockImportError(BlockErrorCode.PROPOSER_INDEX_OUT_OF_RANGE, `proposer index ${block.proposer_index} is not a validator`);
  }
  const parentRootHex = toHex(block.parent_root);
  if (ctx.seen.invalidBlocks.has(parentRootHex)) {
    throw new BlockImportError(BlockErrorCode.PARENT_INVALID, `parent block ${parentRootHex} failed validation`);
  }
  const parent = ctx.forkChoice.getBlock(parentRootHex);
  if (parent === undefined) {
    throw new BlockImportError(BlockErrorCode.PARENT_UNKNOWN, `parent block ${parentRootHex} of block at slot ${slot} is unknown`);
  }
  if (!(slot > parent.slot)) {
    throw new BlockImportError(BlockErrorCode.NOT_LATER_THAN_PARENT, `block slot ${slot} is not later than its parent's slot ${parent.slot}`);
  }
  if (ctx.forkChoice.getCheckpointBlock(parentRootHex, finalized.epoch) !== finalized.root) {
    throw new BlockImportError(BlockErrorCode.FINALIZED_NOT_ANCESTOR, `the finalized checkpoint is not an ancestor of block at slot ${slot}`);
  }
  // The parent's state advanced to the block's epoch: the proposer shuffling of the block's own branch.
  const pre = ctx.regen.getPreState(parentRootHex, slot);
  const expected = pre.epochCtx.getBeaconProposer(slot);
  if (block.proposer_index !== expected) {
    throw new BlockImportError(
      BlockErrorCode.INCORRECT_PROPOSER,
      `block proposer ${block.proposer_index} is not the expected proposer ${expected} of slot ${slot}`
    );
  }
  if (!(await ctx.blsVerifier.verifySignatureSets([getBlockProposerSignatureSet(pre, signed)]))) {
    throw new BlockImportError(BlockErrorCode.INVALID_PROPOSER_SIGNATURE, `the proposer signature of block at slot ${slot} does not verify`);
  }
  const root = blockRoot(block);
  return {signed, root, rootHex: toHex(root), parentRootHex};
}
