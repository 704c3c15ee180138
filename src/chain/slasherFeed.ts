/**
 * Hands a slasher (when one runs) what an imported block carries: its own header, the
 * IndexedAttestations of its attestations, and the evidence inside its slashings, which the
 * state transition verified like the block itself.
 */
import type {CachedBeaconState} from "../state-transition/index.ts";
import {ssz, type SignedBeaconBlock} from "../types/index.ts";
import {GnomonError} from "../util/errors.ts";
import type {SlasherInput} from "./interface.ts";

export function feedBlockToSlasher(input: SlasherInput | null, signed: SignedBeaconBlock, post: CachedBeaconState): void {
  if (input === null) return;
  const block = signed.message;
  input.onValidatedBlockHeader({
    message: {
      slot: block.slot,
      proposer_index: block.proposer_index,
      parent_root: block.parent_root,
      state_root: block.state_root,
      body_root: ssz.BeaconBlockBody.hashTreeRoot(block.body),
    },
    signature: signed.signature,
  });
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
