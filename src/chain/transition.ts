/**
 * state_transition from a pre-state the chain may already have advanced. The chain caches
 * checkpoint states (the parent's state through the epoch transition to the first slot of an
 * epoch); a block at exactly that slot starts from it, and process_slots, which the spec asserts
 * only moves forward, has nothing left to do. Every other case is the state transition's own
 * stateTransition.
 */
import {findInvalidSignatureSet, verifySignatureSets} from "../crypto/index.ts";
import {
  BlockProcessingError,
  cloneCachedBeaconState,
  getBlockSignatureSets,
  processBlock,
  stateTransition,
  StateTransitionError,
  type CachedBeaconState,
  type StateTransitionOpts,
} from "../state-transition/index.ts";
import type {SignedBeaconBlock} from "../types/index.ts";
import {bytesEqual, toHex} from "../util/bytes.ts";

export function runStateTransition(pre: CachedBeaconState, signed: SignedBeaconBlock, opts: StateTransitionOpts): CachedBeaconState {
  const block = signed.message;
  if (pre.state.slot !== block.slot) return stateTransition(pre, signed, opts);
  const post = cloneCachedBeaconState(pre);
  try {
    const verifyProposer = opts.verifyProposer !== false;
    const verifySignatures = opts.verifySignatures !== false;
    const sets = verifyProposer || verifySignatures ? getBlockSignatureSets(post, signed, {skipProposerSignature: !verifyProposer}) : [];
    processBlock(post, block, {verifySignatures: false});
    const wanted = verifySignatures ? sets : sets.slice(0, 1);
    if (!verifySignatureSets(wanted)) {
      const bad = findInvalidSignatureSet(wanted);
      const which = verifyProposer && bad === 0 ? "the proposer's block signature" : `signature set ${bad}`;
      throw new BlockProcessingError("INVALID_SIGNATURE", `${which} does not verify`);
    }
    if (opts.verifyStateRoot !== false) {
      const root = post.state.batchHashTreeRoot();
      if (!bytesEqual(root, block.state_root)) {
        throw new BlockProcessingError("INVALID_STATE_ROOT", `block state_root ${toHex(block.state_root)} is not the post-state root ${toHex(root)}`);
      }
    }
  } catch (e) {
    if (e instanceof StateTransitionError && !(e instanceof BlockProcessingError)) {
      throw new BlockProcessingError(e.code, e.message, {cause: e});
    }
    throw e;
  }
  return post;
}
