/**
 * Hands a slasher (when one runs) what an imported block carries: its own header, the
 * IndexedAttestations of its attestations, and the evidence inside its slashings, which the
 * state transition verified like the block itself.
 */
import type {AsyncSignatureVerifier} from "../crypto/index.ts";
import {DOMAIN_BEACON_PROPOSER} from "../params/index.ts";
import {computeEpochAtSlot, computeSigningRoot, getDomain, type CachedBeaconState} from "../state-transition/index.ts";
import {ssz, type SignedBeaconBlock, type SignedBeaconBlockHeader} from "../types/index.ts";
import {GnomonError} from "../util/errors.ts";
import type {SlasherInput} from "./interface.ts";

function headerOf(signed: SignedBeaconBlock): SignedBeaconBlockHeader {
  const block = signed.message;
  return {
    message: {
      slot: block.slot,
      proposer_index: block.proposer_index,
      parent_root: block.parent_root,
      state_root: block.state_root,
      body_root: ssz.BeaconBlockBody.hashTreeRoot(block.body),
    },
    signature: signed.signature,
  };
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

/**
 * A block the state transition refused (a wrong state root, an invalid operation) whose
 * proposer signature is valid is still a header its proposer signed: evidence, as gossip's
 * block validation would have passed it to a slasher before the full import.
 */
export async function feedRejectedBlockHeader(
  input: SlasherInput | null,
  verifier: AsyncSignatureVerifier,
  signed: SignedBeaconBlock,
  pre: CachedBeaconState
): Promise<void> {
  if (input === null) return;
  const block = signed.message;
  if (block.proposer_index >= pre.state.validators.length) return;
  const domain = getDomain(pre.state, DOMAIN_BEACON_PROPOSER, computeEpochAtSlot(block.slot));
  let valid = false;
  try {
    valid = await verifier.verifySignatureSets([
      {type: "single", pubkey: pre.epochCtx.index2pubkey(block.proposer_index), signingRoot: computeSigningRoot(ssz.BeaconBlock, block, domain), signature: signed.signature},
    ]);
  } catch {
    // Signature bytes that are no curve point: no evidence.
  }
  if (valid) input.onValidatedBlockHeader(headerOf(signed));
}
