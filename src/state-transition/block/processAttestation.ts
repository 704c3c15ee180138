/** beacon-chain.md process_attestation. */
import {MIN_ATTESTATION_INCLUSION_DELAY, SLOTS_PER_EPOCH} from "../../params/index.ts";
import {verifySignatureSet} from "../../crypto/index.ts";
import {ssz, type Attestation, type Checkpoint} from "../../types/index.ts";
import {bytesEqual} from "../../util/bytes.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";
import {BlockProcessingError} from "../errors.ts";
import {getIndexedAttestationSignatureSet, indexedAttestationStructureError} from "../util/attestation.ts";
import {computeEpochAtSlot} from "../util/epoch.ts";
import type {BlockProcessingOpts} from "./types.ts";

export function processAttestation(s: CachedBeaconState, attestation: Attestation, opts: BlockProcessingOpts = {}): void {
  const {state, epochCtx} = s;
  const data = attestation.data;
  const slot = state.slot;
  const currentEpoch = computeEpochAtSlot(slot);
  const previousEpoch = currentEpoch === 0 ? 0 : currentEpoch - 1;
  const targetEpoch = data.target.epoch;
  if (targetEpoch !== previousEpoch && targetEpoch !== currentEpoch) {
    throw new BlockProcessingError(
      "ATTESTATION_INVALID_TARGET_EPOCH",
      `target epoch ${targetEpoch} is neither the previous (${previousEpoch}) nor the current (${currentEpoch}) epoch`
    );
  }
  if (targetEpoch !== computeEpochAtSlot(data.slot)) {
    throw new BlockProcessingError("ATTESTATION_TARGET_EPOCH_MISMATCH", `target epoch ${targetEpoch} is not the epoch of slot ${data.slot}`);
  }
  // data.slot is within two epochs of the state's slot here, so these sums are exact.
  if (!(data.slot + MIN_ATTESTATION_INCLUSION_DELAY <= slot)) {
    throw new BlockProcessingError("ATTESTATION_INCLUDED_TOO_EARLY", `attestation of slot ${data.slot} included at slot ${slot}`);
  }
  if (!(slot <= data.slot + SLOTS_PER_EPOCH)) {
    throw new BlockProcessingError("ATTESTATION_INCLUDED_TOO_LATE", `attestation of slot ${data.slot} included at slot ${slot}`);
  }
  const committeeCount = epochCtx.getCommitteeCountPerSlot(targetEpoch);
  if (!(data.index < committeeCount)) {
    throw new BlockProcessingError(
      "ATTESTATION_INVALID_COMMITTEE_INDEX",
      `committee index ${data.index} is not below the committee count ${committeeCount}`
    );
  }
  const committee = epochCtx.getBeaconCommittee(data.slot, data.index);
  if (attestation.aggregation_bits.bitLen !== committee.length) {
    throw new BlockProcessingError(
      "ATTESTATION_INVALID_AGGREGATION_BITS_LENGTH",
      `aggregation bits length ${attestation.aggregation_bits.bitLen} differs from the committee size ${committee.length}`
    );
  }
  const pending = {
    aggregation_bits: attestation.aggregation_bits,
    data,
    inclusion_delay: slot - data.slot,
    proposer_index: epochCtx.getBeaconProposer(slot),
  };
  if (targetEpoch === currentEpoch) {
    if (!checkpointEquals(data.source, state.current_justified_checkpoint)) {
      throw new BlockProcessingError("ATTESTATION_INVALID_SOURCE", "source is not the current justified checkpoint");
    }
    state.current_epoch_attestations.push(ssz.PendingAttestation.toViewDU(pending));
    epochCtx.currentEpochAttestations?.push(pending);
  } else {
    if (!checkpointEquals(data.source, state.previous_justified_checkpoint)) {
      throw new BlockProcessingError("ATTESTATION_INVALID_SOURCE", "source is not the previous justified checkpoint");
    }
    state.previous_epoch_attestations.push(ssz.PendingAttestation.toViewDU(pending));
    epochCtx.previousEpochAttestations?.push(pending);
  }
  const indexed = epochCtx.getIndexedAttestation(attestation);
  const structureError = indexedAttestationStructureError(s, indexed);
  if (structureError !== null) {
    throw new BlockProcessingError("ATTESTATION_INVALID_INDEXED_ATTESTATION", `indexed attestation: ${structureError}`);
  }
  if (opts.verifySignatures !== false && !verifySignatureSet(getIndexedAttestationSignatureSet(s, indexed))) {
    throw new BlockProcessingError("ATTESTATION_INVALID_SIGNATURE", "the aggregate signature does not verify");
  }
}

function checkpointEquals(a: Checkpoint, b: {epoch: number; root: Uint8Array}): boolean {
  return a.epoch === b.epoch && bytesEqual(a.root, b.root);
}
