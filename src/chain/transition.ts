/**
 * state_transition as the chain runs it, from the state transition's own pieces
 * (process_slots, process_block, the block's signature sets, one batch verification, the state
 * root check). Two differences from stateTransition, both about work already done:
 * - the pre-state may already be at the block's slot: the chain caches checkpoint states (the
 *   parent's state through the epoch transition), and a block at an epoch's first slot starts
 *   from one, leaving process_slots nothing to do;
 * - an attestation whose exact aggregate (data, bits, signature) the node has already verified
 *   (the pool builds aggregates only from verified signatures) is not verified again.
 */
import {findInvalidSignatureSet, verifySignatureSets, type SignatureSet} from "../crypto/index.ts";
import {
  BlockProcessingError,
  cloneCachedBeaconState,
  getAttestationSignatureSet,
  getAttesterSlashingSignatureSets,
  getBlockProposerSignatureSet,
  getProposerSlashingSignatureSets,
  getRandaoRevealSignatureSet,
  getVoluntaryExitSignatureSet,
  processBlock,
  processSlots,
  StateTransitionError,
  type CachedBeaconState,
  type StateTransitionOpts,
} from "../state-transition/index.ts";
import type {Attestation, SignedBeaconBlock} from "../types/index.ts";
import {bytesEqual, toHex} from "../util/bytes.ts";

export interface ChainTransitionOpts extends StateTransitionOpts {
  /** True for an attestation whose aggregate signature is known to be valid. */
  isKnownValidAttestation?: (attestation: Attestation) => boolean;
}

export function runStateTransition(pre: CachedBeaconState, signed: SignedBeaconBlock, opts: ChainTransitionOpts): CachedBeaconState {
  const block = signed.message;
  const post = cloneCachedBeaconState(pre);
  try {
    if (post.state.slot !== block.slot) processSlots(post, block.slot);
    // Conditions first (their errors name the failed check), then every signature in one batch.
    processBlock(post, block, {verifySignatures: false});
    const sets = blockSignatureSets(post, signed, opts);
    if (!verifySignatureSets(sets)) {
      const bad = findInvalidSignatureSet(sets);
      const which = opts.verifyProposer !== false && bad === 0 ? "the proposer's block signature" : `signature set ${bad}`;
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

/** The sets to verify, proposer's first (getBlockSignatureSets' order), known-valid attestations left out. */
function blockSignatureSets(s: CachedBeaconState, signed: SignedBeaconBlock, opts: ChainTransitionOpts): SignatureSet[] {
  const sets: SignatureSet[] = [];
  if (opts.verifyProposer !== false) sets.push(getBlockProposerSignatureSet(s, signed));
  if (opts.verifySignatures === false) return sets;
  const body = signed.message.body;
  sets.push(getRandaoRevealSignatureSet(s, body));
  for (const op of body.proposer_slashings) sets.push(...getProposerSlashingSignatureSets(s, op));
  for (const op of body.attester_slashings) sets.push(...getAttesterSlashingSignatureSets(s, op));
  for (const op of body.attestations) {
    if (opts.isKnownValidAttestation?.(op)) continue;
    sets.push(getAttestationSignatureSet(s, op));
  }
  for (const op of body.voluntary_exits) sets.push(getVoluntaryExitSignatureSet(s, op));
  return sets;
}
