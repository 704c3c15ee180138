/**
 * stateTransition with the block's signatures verified off the calling thread, concurrently with
 * process_block and the state root: the same checks, the same result and the same error for
 * every block.
 *
 * The signature sets are built after process_slots and before process_block (none of them depends
 * on what the block's operations change: the registry only grows, by deposits, which come after
 * the slashings and attestations, and the exits they could precede are refused by process_block).
 * The verdicts are then read in the synchronous order: process_block's conditions first, then the
 * signatures, then the state root. A set that cannot be built (an index out of range, ...) is
 * reported only if process_block passes, as the synchronous transition would.
 */
import {findInvalidSignatureSet, getBlsWorkerPool, type AsyncSignatureVerifier, type SignatureSet} from "../crypto/index.ts";
import type {SignedBeaconBlock} from "../types/index.ts";
import {bytesEqual, toHex} from "../util/bytes.ts";
import {processBlock} from "./block/processBlock.ts";
import {cloneCachedBeaconState, type CachedBeaconState} from "./cache/cachedBeaconState.ts";
import {BlockProcessingError, StateTransitionError} from "./errors.ts";
import {getBlockProposerSignatureSet, getBlockSignatureSets} from "./signatureSets/index.ts";
import {processSlots} from "./slot/processSlots.ts";
import type {StateTransitionOpts} from "./stateTransition.ts";

export interface StateTransitionAsyncOpts extends StateTransitionOpts {
  /** Where the signatures are verified (default: the process-wide BLS worker pool). */
  verifier?: AsyncSignatureVerifier;
}

/** The sets stateTransition verifies for these options, proposer's first. */
function wantedSets(post: CachedBeaconState, signedBlock: SignedBeaconBlock, verifyProposer: boolean, verifySignatures: boolean): SignatureSet[] {
  if (!verifySignatures) return [getBlockProposerSignatureSet(post, signedBlock)];
  return getBlockSignatureSets(post, signedBlock, {skipProposerSignature: !verifyProposer});
}

export async function stateTransitionAsync(
  pre: CachedBeaconState,
  signedBlock: SignedBeaconBlock,
  opts: StateTransitionAsyncOpts = {}
): Promise<CachedBeaconState> {
  const verifyStateRoot = opts.verifyStateRoot !== false;
  const verifyProposer = opts.verifyProposer !== false;
  const verifySignatures = opts.verifySignatures !== false;
  const block = signedBlock.message;
  const post = cloneCachedBeaconState(pre);
  try {
    processSlots(post, block.slot);
    let sets: SignatureSet[] = [];
    let verification: Promise<boolean> | null = null;
    let setsError: unknown = null;
    if (verifyProposer || verifySignatures) {
      try {
        sets = wantedSets(post, signedBlock, verifyProposer, verifySignatures);
        verification = (opts.verifier ?? getBlsWorkerPool()).verifySignatureSets(sets);
      } catch (e) {
        setsError = e;
      }
    }
    processBlock(post, block, {verifySignatures: false});
    if (setsError !== null) throw setsError;
    // Hashed while the signatures are verified; compared after them, as stateTransition does.
    const root = verifyStateRoot ? post.state.batchHashTreeRoot() : null;
    if (verification !== null && !(await verification)) {
      const bad = findInvalidSignatureSet(sets);
      const which = verifyProposer && bad === 0 ? "the proposer's block signature" : `signature set ${bad}`;
      throw new BlockProcessingError("INVALID_SIGNATURE", `${which} does not verify`);
    }
    if (root !== null && !bytesEqual(root, block.state_root)) {
      throw new BlockProcessingError(
        "INVALID_STATE_ROOT",
        `block state_root ${toHex(block.state_root)} is not the post-state root ${toHex(root)}`
      );
    }
  } catch (e) {
    if (e instanceof BlockProcessingError) throw e;
    if (e instanceof StateTransitionError) throw new BlockProcessingError(e.code, e.message, {cause: e});
    throw e;
  }
  return post;
}
