/** beacon-chain.md process_participation_record_updates. */
import {ssz} from "../../types/index.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";

export function processParticipationRecordUpdates(s: CachedBeaconState): void {
  const {state, epochCtx} = s;
  const type = ssz.BeaconState.fields.previous_epoch_attestations;
  const current = state.current_epoch_attestations;
  current.commit();
  // The current list's tree becomes the previous list as is: no copy, no rehash.
  state.previous_epoch_attestations = type.getViewDU(current.node);
  state.current_epoch_attestations = type.defaultViewDU();
  epochCtx.previousEpochAttestations = epochCtx.currentEpochAttestations;
  epochCtx.currentEpochAttestations = [];
}
