/**
 * beacon-chain.md state_transition on a clone of the pre-state: process_slots, process_block,
 * every block signature verified in one batch, and the state root checked. The caller's
 * pre-state is never modified; any failure throws a BlockProcessingError naming the condition.
 *
 * Two entry points share every step (applyBlock) and read the verdicts in the same order:
 * process_block's conditions first (their errors are the precise ones), then the signatures,
 * then the state root. `stateTransition` verifies the signatures on the calling thread after
 * process_block; `stateTransitionAsync` hands them to an AsyncSignatureVerifier (a BLS worker
 * pool) before process_block and hashes the post-state while they are verified.
 *
 * The signature sets are built after process_slots and before process_block: none of them
 * depends on what the block's operations change (the registry only grows, by deposits, which
 * come after the slashings and attestations, and the exits they could precede are refused by
 * process_block). A set that cannot be built (an index out of range, ...) is reported only if
 * process_block passes.
 */
import {
  findInvalidSignatureSet,
  verifySignatureSets,
  type AsyncSignatureVerifier,
  type SignatureSet,
} from "../crypto/index.ts";
import type {Attestation, BeaconBlock, SignedBeaconBlock} from "../types/index.ts";
import {bytesEqual, toHex} from "../util/bytes.ts";
import {processBlock} from "./block/processBlock.ts";
import {cloneCachedBeaconState, type CachedBeaconState} from "./cache/cachedBeaconState.ts";
import {BlockProcessingError, StateTransitionError} from "./errors.ts";
import {getBlockProposerSignatureSet, getBlockSignatureSets} from "./signatureSets/index.ts";
import {processSlots} from "./slot/processSlots.ts";

export interface StateTransitionOpts {
  /** Check block.state_root against the post-state root (default true). */
  verifyStateRoot?: boolean;
  /** Check the proposer's block signature (default true). */
  verifyProposer?: boolean;
  /** Check every other signature of the block (default true). */
  verifySignatures?: boolean;
  /**
   * Accept a pre-state already at the block's slot, and skip process_slots for it: a chain's
   * cached checkpoint state (the parent's post-state advanced to the first slot of the block's
   * epoch) has had those slots processed. Off by default: process_slots then asserts, as the
   * spec does, that the state is before the block's slot.
   */
  preStateMayBeAtBlockSlot?: boolean;
  /**
   * True for an attestation whose exact aggregate (data, bits, signature) the caller has
   * already verified: its signature set is left out of the batch.
   */
  isKnownValidAttestation?: (attestation: Attestation) => boolean;
}

export interface StateTransitionAsyncOpts extends StateTransitionOpts {
  /** Where the signatures are verified (a BLS worker pool). */
  verifier: AsyncSignatureVerifier;
}

export function stateTransition(pre: CachedBeaconState, signedBlock: SignedBeaconBlock, opts: StateTransitionOpts = {}): CachedBeaconState {
  try {
    const {post, sets} = applyBlock(pre, signedBlock, opts, null);
    if (!verifySignatureSets(sets)) throw invalidSignature(sets, opts);
    if (opts.verifyStateRoot !== false) checkStateRoot(post.state.batchHashTreeRoot(), signedBlock.message);
    return post;
  } catch (e) {
    throw asBlockProcessingError(e);
  }
}

/** stateTransition with the signatures verified by `opts.verifier`, concurrently with process_block and the state root. */
export async function stateTransitionAsync(
  pre: CachedBeaconState,
  signedBlock: SignedBeaconBlock,
  opts: StateTransitionAsyncOpts
): Promise<CachedBeaconState> {
  try {
    const {post, sets, verification} = applyBlock(pre, signedBlock, opts, opts.verifier);
    // Hashed while the signatures are verified; compared after them, as stateTransition does.
    const root = opts.verifyStateRoot !== false ? post.state.batchHashTreeRoot() : null;
    if (verification !== null && !(await verification)) throw invalidSignature(sets, opts);
    if (root !== null) checkStateRoot(root, signedBlock.message);
    return post;
  } catch (e) {
    throw asBlockProcessingError(e);
  }
}

interface AppliedBlock {
  post: CachedBeaconState;
  /** The sets to verify, proposer's first when it is checked. */
  sets: SignatureSet[];
  /** The verifier's verdict on `sets`, when one was given and there are sets. */
  verification: Promise<boolean> | null;
}

/** process_slots, the signature sets (handed to `verifier` at once, if any), process_block. */
function applyBlock(
  pre: CachedBeaconState,
  signedBlock: SignedBeaconBlock,
  opts: StateTransitionOpts,
  verifier: AsyncSignatureVerifier | null
): AppliedBlock {
  const block = signedBlock.message;
  const post = cloneCachedBeaconState(pre);
  if (!(opts.preStateMayBeAtBlockSlot === true && post.state.slot === block.slot)) processSlots(post, block.slot);
  let sets: SignatureSet[] = [];
  let verification: Promise<boolean> | null = null;
  let setsError: unknown = null;
  try {
    sets = wantedSignatureSets(post, signedBlock, opts);
    if (verifier !== null && sets.length > 0) verification = verifier.verifySignatureSets(sets);
  } catch (e) {
    setsError = e;
  }
  processBlock(post, block, {verifySignatures: false});
  if (setsError !== null) throw setsError;
  return {post, sets, verification};
}

/** The sets these options ask to verify, proposer's first (getBlockSignatureSets' order). */
function wantedSignatureSets(post: CachedBeaconState, signedBlock: SignedBeaconBlock, opts: StateTransitionOpts): SignatureSet[] {
  const verifyProposer = opts.verifyProposer !== false;
  if (opts.verifySignatures === false) return verifyProposer ? [getBlockProposerSignatureSet(post, signedBlock)] : [];
  return getBlockSignatureSets(post, signedBlock, {
    skipProposerSignature: !verifyProposer,
    skipAttestation: opts.isKnownValidAttestation,
  });
}

function invalidSignature(sets: SignatureSet[], opts: StateTransitionOpts): BlockProcessingError {
  const bad = findInvalidSignatureSet(sets);
  const which = opts.verifyProposer !== false && bad === 0 ? "the proposer's block signature" : `signature set ${bad}`;
  return new BlockProcessingError("INVALID_SIGNATURE", `${which} does not verify`);
}

function checkStateRoot(root: Uint8Array, block: BeaconBlock): void {
  if (!bytesEqual(root, block.state_root)) {
    throw new BlockProcessingError(
      "INVALID_STATE_ROOT",
      `block state_root ${toHex(block.state_root)} is not the post-state root ${toHex(root)}`
    );
  }
}

function asBlockProcessingError(e: unknown): unknown {
  if (e instanceof StateTransitionError && !(e instanceof BlockProcessingError)) {
    return new BlockProcessingError(e.code, e.message, {cause: e});
  }
  return e;
}
