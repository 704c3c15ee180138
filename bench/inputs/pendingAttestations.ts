/**
 * The pending attestations of INPUTS.md: one per (slot, committee) of the previous epoch and of
 * the current epoch up to slot-1, every committee member participating, included one slot later
 * by that slot's proposer. Committees come from the state's own EpochContext.
 */
import {BitArray} from "@chainsafe/ssz";
import type {EpochContext} from "../../src/state-transition/cache/epochContext.ts";
import {computeEpochAtSlot, computeStartSlotAtEpoch} from "../../src/state-transition/util/epoch.ts";
import {ssz, type BeaconStateView, type PendingAttestation} from "../../src/types/index.ts";
import {benchAttestationData, committeePairs} from "./attestationData.ts";

/** get_beacon_proposer_index as of `slot` (the inclusion slot of an attestation). */
export type ProposerAt = (slot: number) => number;

export function fullAggregationBits(size: number): BitArray {
  const bits = BitArray.fromBitLen(size);
  for (let i = 0; i < size; i++) bits.set(i, true);
  return bits;
}

function pendingAttestationsOf(
  fromSlot: number,
  toSlot: number,
  stateEpoch: number,
  epochCtx: EpochContext,
  proposerAt: ProposerAt
): PendingAttestation[] {
  return committeePairs(fromSlot, toSlot, (slot) => epochCtx.getCommitteeCountPerSlot(computeEpochAtSlot(slot))).map(
    ({slot, index}) => ({
      aggregation_bits: fullAggregationBits(epochCtx.getBeaconCommittee(slot, index).length),
      data: benchAttestationData(slot, index, stateEpoch),
      inclusion_delay: 1,
      proposer_index: proposerAt(slot + 1),
    })
  );
}

/**
 * Sets previous_epoch_attestations (every slot of E-1) and current_epoch_attestations (start(E)
 * to slot-1) of `state`, whose EpochContext is `epochCtx`.
 */
export function setPendingAttestations(state: BeaconStateView, epochCtx: EpochContext, proposerAt: ProposerAt): void {
  const slot = state.slot;
  const epoch = computeEpochAtSlot(slot);
  const start = computeStartSlotAtEpoch(epoch);
  const T = ssz.BeaconState.fields;
  state.previous_epoch_attestations = T.previous_epoch_attestations.toViewDU(
    pendingAttestationsOf(computeStartSlotAtEpoch(epoch - 1), start - 1, epoch, epochCtx, proposerAt)
  );
  state.current_epoch_attestations = T.current_epoch_attestations.toViewDU(
    pendingAttestationsOf(start, slot - 1, epoch, epochCtx, proposerAt)
  );
  state.commit();
}
