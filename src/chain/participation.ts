/**
 * The previous epoch's target participation as a state records it: the effective balance of the
 * unslashed validators whose included attestations of the previous epoch voted for its epoch
 * boundary block (get_matching_target_attestations), over the total active balance. What
 * process_justification_and_finalization weighs for the previous epoch.
 */
import {computeEpochAtSlot, getBlockRoot, type CachedBeaconState} from "../state-transition/index.ts";
import {bytesEqual} from "../util/bytes.ts";

const byState = new WeakMap<CachedBeaconState, number | null>();

/** A fraction in [0, 1], or null in epoch 0 (there is no previous epoch). */
export function previousEpochTargetParticipation(s: CachedBeaconState): number | null {
  const cached = byState.get(s);
  if (cached !== undefined) return cached;
  const {state, epochCtx} = s;
  const currentEpoch = computeEpochAtSlot(state.slot);
  let result: number | null = null;
  if (currentEpoch > 0) {
    const previousEpoch = currentEpoch - 1;
    const targetRoot = getBlockRoot(state, previousEpoch);
    const attesters = new Set<number>();
    for (const pending of state.previous_epoch_attestations.getAllReadonlyValues()) {
      if (pending.data.target.epoch !== previousEpoch || !bytesEqual(pending.data.target.root, targetRoot)) continue;
      for (const i of epochCtx.getAttestingIndices(pending.data, pending.aggregation_bits)) attesters.add(i);
    }
    let increments = 0;
    for (const i of attesters) if (!state.validators.getReadonly(i).slashed) increments += epochCtx.effectiveBalanceIncrements[i];
    const total = epochCtx.totalActiveBalanceIncrements;
    result = total > 0 ? increments / total : 0;
  }
  byState.set(s, result);
  return result;
}
