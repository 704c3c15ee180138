/** beacon-chain.md process_attester_slashing. */
import type {AttesterSlashing} from "../../types/index.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";
import {BlockProcessingError} from "../errors.ts";
import {isSlashableAttestationData, isValidIndexedAttestation} from "../util/attestation.ts";
import {computeEpochAtSlot} from "../util/epoch.ts";
import {isSlashableValidator} from "../util/validator.ts";
import {slashValidator} from "./slashValidator.ts";
import type {BlockProcessingOpts} from "./types.ts";

export function processAttesterSlashing(s: CachedBeaconState, slashing: AttesterSlashing, opts: BlockProcessingOpts = {}): void {
  const {state} = s;
  const att1 = slashing.attestation_1;
  const att2 = slashing.attestation_2;
  if (!isSlashableAttestationData(att1.data, att2.data)) {
    throw new BlockProcessingError("ATTESTER_SLASHING_NOT_SLASHABLE", "the attestations are neither a double nor a surround vote");
  }
  const verify = opts.verifySignatures !== false;
  if (!isValidIndexedAttestation(s, att1, verify)) {
    throw new BlockProcessingError("ATTESTER_SLASHING_INVALID_ATTESTATION_1", "attestation_1 is not a valid indexed attestation");
  }
  if (!isValidIndexedAttestation(s, att2, verify)) {
    throw new BlockProcessingError("ATTESTER_SLASHING_INVALID_ATTESTATION_2", "attestation_2 is not a valid indexed attestation");
  }
  // Both index lists are sorted and unique (checked above): intersect by merging.
  const a = att1.attesting_indices;
  const b = att2.attesting_indices;
  const epoch = computeEpochAtSlot(state.slot);
  let slashedAny = false;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] < b[j]) i++;
    else if (a[i] > b[j]) j++;
    else {
      const index = a[i];
      if (isSlashableValidator(state.validators.getReadonly(index), epoch)) {
        slashValidator(s, index);
        slashedAny = true;
      }
      i++;
      j++;
    }
  }
  if (!slashedAny) {
    throw new BlockProcessingError("ATTESTER_SLASHING_NO_SLASHABLE_INDICES", "no validator in both attestations is slashable");
  }
}
