/** beacon-chain.md process_proposer_slashing. */
import {verifySignatureSet} from "../../crypto/index.ts";
import {ssz, type ProposerSlashing} from "../../types/index.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";
import {BlockProcessingError} from "../errors.ts";
import {getProposerSlashingSignatureSets} from "../signatureSets/operations.ts";
import {computeEpochAtSlot} from "../util/epoch.ts";
import {isSlashableValidator} from "../util/validator.ts";
import {slashValidator} from "./slashValidator.ts";
import type {BlockProcessingOpts} from "./types.ts";

export function processProposerSlashing(s: CachedBeaconState, slashing: ProposerSlashing, opts: BlockProcessingOpts = {}): void {
  const {state} = s;
  const header1 = slashing.signed_header_1.message;
  const header2 = slashing.signed_header_2.message;
  if (header1.slot !== header2.slot) {
    throw new BlockProcessingError("PROPOSER_SLASHING_SLOT_MISMATCH", `header slots differ: ${header1.slot} and ${header2.slot}`);
  }
  if (header1.proposer_index !== header2.proposer_index) {
    throw new BlockProcessingError(
      "PROPOSER_SLASHING_PROPOSER_MISMATCH",
      `header proposers differ: ${header1.proposer_index} and ${header2.proposer_index}`
    );
  }
  if (ssz.BeaconBlockHeader.equals(header1, header2)) {
    throw new BlockProcessingError("PROPOSER_SLASHING_HEADERS_EQUAL", "the two headers are the same");
  }
  const index = header1.proposer_index;
  if (!(index < state.validators.length)) {
    throw new BlockProcessingError("PROPOSER_SLASHING_INVALID_PROPOSER_INDEX", `proposer index ${index} is not a validator`);
  }
  if (!isSlashableValidator(state.validators.getReadonly(index), computeEpochAtSlot(state.slot))) {
    throw new BlockProcessingError("PROPOSER_SLASHING_NOT_SLASHABLE", `proposer ${index} is not slashable`);
  }
  if (opts.verifySignatures !== false) {
    for (const set of getProposerSlashingSignatureSets(s, slashing)) {
      if (!verifySignatureSet(set)) {
        throw new BlockProcessingError("PROPOSER_SLASHING_INVALID_SIGNATURE", "a header signature is not the proposer's");
      }
    }
  }
  slashValidator(s, index);
}
