/**
 * Hands a slasher (when one runs) what the node validated: an imported block's header, the
 * IndexedAttestations of its attestations and the evidence inside its slashings (the state
 * transition verified them like the block itself); the votes the pools and gossip accept; and
 * what they refuse but its signer did sign: a second vote for a target epoch with other data,
 * a second block of a proposer for a slot, a block the state transition refuses. A slasher
 * finds equivocations precisely in what the chain refuses as conflicting.
 */
import type {AsyncSignatureVerifier} from "../crypto/index.ts";
import {DOMAIN_BEACON_PROPOSER} from "../params/index.ts";
import {bodyRoot, computeEpochAtSlot, computeSigningRoot, getDomain, type CachedBeaconState} from "../state-transition/index.ts";
import {ssz, type IndexedAttestation, type SignedBeaconBlock, type SignedBeaconBlockHeader} from "../types/index.ts";
import {GnomonError} from "../util/errors.ts";
import {BlockErrorCode} from "./errors.ts";
import type {SlasherInput} from "./interface.ts";
import type {ValidatedAggregate} from "./validation/aggregateAndProof.ts";
import type {Outcome, ValidatedAttestation} from "./validation/attestation.ts";
import {verifySameMessageSets} from "./validation/batchVerify.ts";
import type {ValidationContext} from "./validation/context.ts";

function headerOf(signed: SignedBeaconBlock): SignedBeaconBlockHeader {
  const block = signed.message;
  return {
    message: {
      slot: block.slot,
      proposer_index: block.proposer_index,
      parent_root: block.parent_root,
      state_root: block.state_root,
      body_root: bodyRoot(block.body),
    },
    signature: signed.signature,
  };
}

/** An unaggregated vote as the slasher takes it. */
export function indexedVote(v: ValidatedAttestation): IndexedAttestation {
  return {attesting_indices: [v.validatorIndex], data: v.attestation.data, signature: v.attestation.signature};
}

/** An aggregate as the slasher takes it (attesting indices sorted, as an IndexedAttestation's are). */
export function indexedAggregate(v: ValidatedAggregate): IndexedAttestation {
  const aggregate = v.signed.message.aggregate;
  return {attesting_indices: [...v.attestingIndices].sort((a, b) => a - b), data: aggregate.data, signature: aggregate.signature};
}

export function feedBlockToSlasher(input: SlasherInput | null, signed: SignedBeaconBlock, post: CachedBeaconState): void {
  if (input === null) return;
  const block = signed.message;
  input.onValidatedBlockHeader(headerOf(signed));
  for (const att of block.body.attestations) {
    try {
      input.onValidatedAttestation(post.epochCtx.getIndexedAttestation(att));
    } catch (e) {
      // The committee of an attestation two epochs back is beyond the post-state's shuffling window.
      if (!(e instanceof GnomonError)) throw e;
    }
  }
  for (const s of block.body.attester_slashings) {
    input.onValidatedAttestation(s.attestation_1);
    input.onValidatedAttestation(s.attestation_2);
  }
  for (const s of block.body.proposer_slashings) {
    input.onValidatedBlockHeader(s.signed_header_1);
    input.onValidatedBlockHeader(s.signed_header_2);
  }
}

/** The header of a refused block whose proposer signature was already verified (by gossip validation). */
export function feedVerifiedBlockHeader(input: SlasherInput | null, signed: SignedBeaconBlock): void {
  input?.onValidatedBlockHeader(headerOf(signed));
}

/**
 * A block the node refuses (the state transition fails it, or it repeats a proposal) whose
 * proposer signature is valid is still a header its proposer signed: evidence. `state` gives the
 * proposer's key and the domain (a pre-state, or the head state as a slashing is verified on).
 */
export async function feedRejectedBlockHeader(
  input: SlasherInput | null,
  verifier: AsyncSignatureVerifier,
  signed: SignedBeaconBlock,
  state: CachedBeaconState
): Promise<void> {
  if (input === null) return;
  const block = signed.message;
  if (block.proposer_index >= state.state.validators.length) return;
  const domain = getDomain(state.state, DOMAIN_BEACON_PROPOSER, computeEpochAtSlot(block.slot));
  let valid = false;
  try {
    valid = await verifier.verifySignatureSets([
      {type: "single", pubkey: state.epochCtx.index2pubkey(block.proposer_index), signingRoot: computeSigningRoot(ssz.BeaconBlock, block, domain), signature: signed.signature},
    ]);
  } catch {
    // Signature bytes that are no curve point: no evidence.
  }
  if (valid) input.onValidatedBlockHeader(headerOf(signed));
}

/**
 * Gossip validation refuses a second block of a proposer for a slot before its signature is
 * checked (IGNORE on gossip, 400 on REST); signed by its proposer it is a double proposal.
 * Called with the error the block was refused with; other errors feed nothing.
 */
export async function feedRepeatProposal(
  input: SlasherInput | null,
  ctx: Pick<ValidationContext, "blsVerifier" | "headState">,
  signed: SignedBeaconBlock,
  error: unknown
): Promise<void> {
  if (input === null || !(error instanceof GnomonError) || error.code !== BlockErrorCode.REPEAT_PROPOSAL) return;
  await feedRejectedBlockHeader(input, ctx.blsVerifier, signed, ctx.headState());
}

/**
 * The votes a batch refused as conflicting with a prior vote of their validator: those whose
 * signature verifies are double or surround votes for the slasher.
 */
export async function feedConflictingVotes(
  input: SlasherInput | null,
  verifier: AsyncSignatureVerifier,
  outcomes: Outcome<ValidatedAttestation>[]
): Promise<void> {
  if (input === null) return;
  const votes: ValidatedAttestation[] = [];
  for (const o of outcomes) if (!o.ok && o.conflicting !== undefined) votes.push(o.conflicting);
  if (votes.length === 0) return;
  const valid = await verifySameMessageSets(verifier, votes.map((v) => v.signatureSet));
  votes.forEach((v, i) => {
    if (valid[i]) input.onValidatedAttestation(indexedVote(v));
  });
}
