/**
 * The block import pipeline: cheap checks first (known, finalized, future slot, unknown parent),
 * then the state transition on the cached pre-state with the block's signatures batch-verified on
 * the BLS verifier (the node's worker pool) while process_block and the state root run, then the
 * durable write of the block, fork choice on_block with the block's attestations and attester
 * slashings, and finally head, finalization and events (BeaconChain.afterForkChoiceChange).
 *
 * Callers run it as an exclusive job of the chain's processor: one block at a time changes fork choice.
 */
import {votedUnderShufflingOf} from "./shuffling.ts";
import {
  blockRoot,
  BlockProcessingError,
  StateTransitionError,
  computeEpochAtSlot,
  computeStartSlotAtEpoch,
  computeUnrealizedCheckpoints,
  stateTransitionAsync,
  type CachedBeaconState,
} from "../state-transition/index.ts";
import {ForkChoiceError, ForkChoiceErrorCode} from "../fork-choice/errors.ts";
import {ssz, type SignedBeaconBlock} from "../types/index.ts";
import {toHex} from "../util/bytes.ts";
import {GnomonError} from "../util/errors.ts";
import {BlockErrorCode, BlockImportError} from "./errors.ts";
import type {BeaconChain} from "./chain.ts";
import type {ImportedBlock, ImportSource} from "./interface.ts";
import {feedBlockToSlasher, feedRejectedBlockHeader, feedVerifiedBlockHeader} from "./slasherFeed.ts";
import {intersectSorted} from "./util.ts";

export interface ImportOptions {
  source: ImportSource;
  /**
   * Replaying a stored block at start-up: it was fully verified when first imported, so
   * signatures are skipped, nothing is written and no event is emitted.
   */
  replay?: boolean;
  /** Gossip validation already verified the proposer's signature: the batch leaves it out. */
  proposerVerified?: boolean;
}

/** Every import path (REST, gossip, sync) goes through here, so the import-time metric covers them all; replays are not imports. */
export async function importBlock(chain: BeaconChain, signed: SignedBeaconBlock, opts: ImportOptions): Promise<ImportedBlock> {
  const end = opts.replay === true ? undefined : chain.metrics?.blockImportSeconds.startTimer({source: opts.source});
  const imported = await importBlockUntimed(chain, signed, opts);
  end?.();
  return imported;
}

async function importBlockUntimed(chain: BeaconChain, signed: SignedBeaconBlock, opts: ImportOptions): Promise<ImportedBlock> {
  const replay = opts.replay === true;
  const block = signed.message;
  const root = blockRoot(block);
  const rootHex = toHex(root);
  const parentHex = toHex(block.parent_root);
  const fc = chain.forkChoice;

  if (fc.hasBlock(rootHex)) {
    throw new BlockImportError(BlockErrorCode.ALREADY_KNOWN, `block ${rootHex} at slot ${block.slot} is already known`);
  }
  const finalized = fc.finalizedCheckpoint;
  const finalizedSlot = computeStartSlotAtEpoch(finalized.epoch);
  if (block.slot <= finalizedSlot) {
    throw new BlockImportError(
      BlockErrorCode.WOULD_REVERT_FINALIZED,
      `block slot ${block.slot} is not after the finalized slot ${finalizedSlot}`
    );
  }
  if (!replay) {
    // p2p is_future_slot: later than now plus the clock disparity allowance.
    const slotStartMs = chain.clock.slotStartMs(block.slot);
    const nowMs = chain.clock.nowMs();
    if (nowMs + chain.config.MAXIMUM_GOSSIP_CLOCK_DISPARITY < slotStartMs) {
      throw new BlockImportError(BlockErrorCode.FUTURE_SLOT, `block slot ${block.slot} is in the future (current slot ${chain.clock.currentSlot})`);
    }
    // Within the disparity allowance: fork choice may only take it once its slot has begun.
    if (nowMs < slotStartMs) await chain.sleep(slotStartMs - nowMs);
  }
  const parent = fc.getBlock(parentHex);
  if (parent === undefined) {
    throw new BlockImportError(BlockErrorCode.PARENT_UNKNOWN, `parent block ${parentHex} of block at slot ${block.slot} is unknown`);
  }
  if (block.slot <= parent.slot) {
    throw new BlockImportError(
      BlockErrorCode.NOT_LATER_THAN_PARENT,
      `block slot ${block.slot} is not later than its parent's slot ${parent.slot}`
    );
  }

  if (replay) chain.tickForkChoiceTo(chain.clock.slotStartMs(block.slot));
  else chain.tickForkChoice();
  try {
    fc.validateBlock(block.slot, parentHex);
  } catch (e) {
    throw mapForkChoiceError(e);
  }

  let post: CachedBeaconState;
  let pre: CachedBeaconState | undefined;
  try {
    pre = chain.regen.getPreState(parentHex, block.slot);
    const votedUnderShuffling = votedUnderShufflingOf(fc, pre.state, parentHex);
    post = await stateTransitionAsync(pre, signed, {
      verifier: chain.blsVerifier,
      verifySignatures: !replay,
      verifyStateRoot: true,
      verifyProposer: !replay && opts.proposerVerified !== true,
      // A block at an epoch's first slot starts from the cached checkpoint state.
      preStateMayBeAtBlockSlot: true,
      // The pool builds aggregates only from verified signatures, each under the shuffling of
      // the branch it votes for: known valid here only if this block's state has that shuffling.
      isKnownValidAttestation: (att) =>
        chain.knownAggregates.has(toHex(ssz.AttestationData.hashTreeRoot(att.data)), att.aggregation_bits, att.signature) &&
        votedUnderShuffling(toHex(att.data.beacon_block_root), att.data.target.epoch),
    });
  } catch (e) {
    if (e instanceof BlockProcessingError || e instanceof StateTransitionError) {
      if (!replay && opts.proposerVerified === true) feedVerifiedBlockHeader(chain.slasherInput, signed);
      else if (!replay && pre !== undefined) await feedRejectedBlockHeader(chain.slasherInput, chain.blsVerifier, signed, pre);
      throw new BlockImportError(BlockErrorCode.INVALID, `block at slot ${block.slot} is invalid: ${e.message}`, {
        cause: e,
        reason: e.code,
      });
    }
    throw e;
  }
  const unrealized = computeUnrealizedCheckpoints(post);
  const stateRootHex = toHex(block.state_root);

  if (!replay) {
    await chain.db.batch(chain.db.putBlockOps(root, block.slot, ssz.SignedBeaconBlock.serialize(signed)));
  }

  chain.blocks.set(rootHex, signed);
  chain.regen.addBlockState(stateRootHex, post);
  const state = post.state;
  fc.onBlock({
    slot: block.slot,
    blockRoot: rootHex,
    parentRoot: parentHex,
    stateRoot: stateRootHex,
    proposerIndex: block.proposer_index,
    justified: {epoch: state.current_justified_checkpoint.epoch, root: toHex(state.current_justified_checkpoint.root)},
    finalized: {epoch: state.finalized_checkpoint.epoch, root: toHex(state.finalized_checkpoint.root)},
    unrealizedJustified: {epoch: unrealized.justified.epoch, root: toHex(unrealized.justified.root)},
    unrealizedFinalized: {epoch: unrealized.finalized.epoch, root: toHex(unrealized.finalized.root)},
  });

  applyBlockOperationsToForkChoice(chain, signed, post);

  chain.liveness.markLive(computeEpochAtSlot(block.slot), block.proposer_index);

  if (!replay) {
    chain.events.emit("block", {slot: block.slot, block: root, executionOptimistic: false});
    feedBlockToSlasher(chain.slasherInput, signed, post);
    chain.logger.debug({slot: block.slot, root: rootHex, source: opts.source, msIntoSlot: chain.clock.nowMs() - chain.clock.slotStartMs(block.slot)}, "block imported");
  }
  await chain.afterForkChoiceChange({emitEvents: !replay});
  return {root, slot: block.slot, headRoot: chain.getHead().root};
}

/**
 * on_attestation(is_from_block=True) for each attestation of the block and on_attester_slashing
 * for each attester slashing. The state transition has verified them against the block's
 * pre-state; one that fork choice refuses (e.g. for a block it does not know) is skipped, as the
 * spec's handler would reject it without affecting the block.
 */
function applyBlockOperationsToForkChoice(chain: BeaconChain, signed: SignedBeaconBlock, post: CachedBeaconState): void {
  const fc = chain.forkChoice;
  for (const att of signed.message.body.attestations) {
    const data = att.data;
    try {
      const beaconBlockRoot = toHex(data.beacon_block_root);
      fc.validateOnAttestation(
        {slot: data.slot, beaconBlockRoot, targetEpoch: data.target.epoch, targetRoot: toHex(data.target.root)},
        true
      );
      const indices = post.epochCtx.getAttestingIndices(data, att.aggregation_bits);
      fc.updateLatestMessages(indices, data.target.epoch, beaconBlockRoot);
      chain.liveness.markAllLive(data.target.epoch, indices);
    } catch (e) {
      if (!(e instanceof GnomonError)) throw e;
      chain.logger.debug({slot: data.slot, code: e.code}, "block attestation not applied to fork choice");
    }
  }
  for (const slashing of signed.message.body.attester_slashings) {
    fc.addEquivocatingIndices(intersectSorted(slashing.attestation_1.attesting_indices, slashing.attestation_2.attesting_indices));
  }
}

function mapForkChoiceError(e: unknown): unknown {
  if (!(e instanceof ForkChoiceError)) return e;
  switch (e.code) {
    case ForkChoiceErrorCode.UNKNOWN_PARENT:
      return new BlockImportError(BlockErrorCode.PARENT_UNKNOWN, e.message, {cause: e, reason: e.code});
    case ForkChoiceErrorCode.FUTURE_SLOT:
      return new BlockImportError(BlockErrorCode.FUTURE_SLOT, e.message, {cause: e, reason: e.code});
    case ForkChoiceErrorCode.NOT_AFTER_FINALIZED_SLOT:
    case ForkChoiceErrorCode.NOT_DESCENDANT_OF_FINALIZED:
      return new BlockImportError(BlockErrorCode.WOULD_REVERT_FINALIZED, e.message, {cause: e, reason: e.code});
    default:
      return new BlockImportError(BlockErrorCode.FORK_CHOICE_REJECTED, e.message, {cause: e, reason: e.code});
  }
}
