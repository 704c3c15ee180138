/**
 * beacon-chain.md state_transition on a clone of the pre-state: process_slots, process_block,
 * every block signature verified in one batch, and the state root checked. The caller's
 * pre-state is never modified; any failure throws a BlockProcessingError naming the condition.
 */
import {verifySignatureSets, findInvalidSignatureSet} from "../crypto/index.ts";
import type {SignedBeaconBlock} from "../types/index.ts";
import {bytesEqual, toHex} from "../util/bytes.ts";
import {processBlock} from "./block/processBlock.ts";
import {cloneCachedBeaconState, type CachedBeaconState} from "./cache/cachedBeaconState.ts";
import {BlockProcessingError, StateTransitionError} from "./errors.ts";
import {getBlockSignatureSets} from "./signatureSets/index.ts";
import {processSlots} from "./slot/processSlots.ts";

export interface StateTransitionOpts {
  /** Check block.state_root against the post-state root (default true). */
  verifyStateRoot?: boolean;
  /** Check the proposer's block signature (default true). */
  verifyProposer?: boolean;
  /** Check every other signature of the block (default true). */
  verifySignatures?: boolean;
}

export function stateTransition(pre: CachedBeaconState, signedBlock: SignedBeaconBlock, opts: StateTransitionOpts = {}): CachedBeaconState {
  const verifyStateRoot = opts.verifyStateRoot !== false;
  const verifyProposer = opts.verifyProposer !== false;
  const verifySignatures = opts.verifySignatures !== false;
  const block = signedBlock.message;
  const post = cloneCachedBeaconState(pre);
  try {
    processSlots(post, block.slot);
    // Conditions first (their errors are the precise ones), signatures after, all in one batch.
    processBlock(post, block, {verifySignatures: false});
    if (verifyProposer || verifySignatures) {
      const sets = getBlockSignatureSets(post, signedBlock);
      // The proposer's set is first; the others follow (see getBlockSignatureSets).
      const wanted = verifySignatures ? (verifyProposer ? sets : sets.slice(1)) : sets.slice(0, 1);
      if (!verifySignatureSets(wanted)) {
        const bad = findInvalidSignatureSet(wanted);
        const which = verifyProposer && bad === 0 ? "the proposer's block signature" : `signature set ${bad}`;
        throw new BlockProcessingError("INVALID_SIGNATURE", `${which} does not verify`);
      }
    }
    if (verifyStateRoot) {
      const root = post.state.batchHashTreeRoot();
      if (!bytesEqual(root, block.state_root)) {
        throw new BlockProcessingError(
          "INVALID_STATE_ROOT",
          `block state_root ${toHex(block.state_root)} is not the post-state root ${toHex(root)}`
        );
      }
    }
  } catch (e) {
    if (e instanceof BlockProcessingError) throw e;
    if (e instanceof StateTransitionError) throw new BlockProcessingError(e.code, e.message, {cause: e});
    throw e;
  }
  return post;
}
