/** beacon-chain.md process_justification_and_finalization, weigh_justification_and_finalization. */
import {GENESIS_EPOCH, JUSTIFICATION_BITS_LENGTH} from "../../params/index.ts";
import {ssz, type Checkpoint} from "../../types/index.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";
import {getBlockRoot} from "../util/blockRoot.ts";
import {computeEpochAtSlot} from "../util/epoch.ts";
import {beforeProcessEpoch, type EpochTransitionCache} from "./epochTransitionCache.ts";

export interface JustificationState {
  previousJustified: Checkpoint;
  currentJustified: Checkpoint;
  finalized: Checkpoint;
  /** justification_bits, index 0 = most recent epoch. */
  bits: boolean[];
}

export function processJustificationAndFinalization(s: CachedBeaconState, cache?: EpochTransitionCache): void {
  const {state} = s;
  if (computeEpochAtSlot(state.slot) <= GENESIS_EPOCH + 1) return;
  const c = cache ?? beforeProcessEpoch(s);
  const next = weighJustificationAndFinalization(
    s,
    readJustificationState(s),
    c.totalActiveBalance,
    c.prevTargetBalance,
    c.currTargetBalance
  );
  writeJustificationState(s, next);
}

export function readJustificationState(s: CachedBeaconState): JustificationState {
  const {state} = s;
  return {
    previousJustified: ssz.Checkpoint.clone(state.previous_justified_checkpoint.toValue()),
    currentJustified: ssz.Checkpoint.clone(state.current_justified_checkpoint.toValue()),
    finalized: ssz.Checkpoint.clone(state.finalized_checkpoint.toValue()),
    bits: state.justification_bits.toBoolArray(),
  };
}

function writeJustificationState(s: CachedBeaconState, j: JustificationState): void {
  const {state} = s;
  state.previous_justified_checkpoint = ssz.Checkpoint.toViewDU(j.previousJustified);
  state.current_justified_checkpoint = ssz.Checkpoint.toViewDU(j.currentJustified);
  state.finalized_checkpoint = ssz.Checkpoint.toViewDU(j.finalized);
  // The field view is tracked by the state view: setting its bits is committed with the state.
  const bits = state.justification_bits;
  for (let i = 0; i < JUSTIFICATION_BITS_LENGTH; i++) bits.set(i, j.bits[i]);
}

/**
 * weigh_justification_and_finalization on a copy of the FFG fields: returns the new fields and
 * leaves the state alone (computeUnrealizedCheckpoints uses it on a state it must not touch).
 */
export function weighJustificationAndFinalization(
  s: CachedBeaconState,
  old: JustificationState,
  totalActiveBalance: bigint,
  previousEpochTargetBalance: bigint,
  currentEpochTargetBalance: bigint
): JustificationState {
  const {state} = s;
  const currentEpoch = computeEpochAtSlot(state.slot);
  const previousEpoch = currentEpoch === GENESIS_EPOCH ? GENESIS_EPOCH : currentEpoch - 1;
  const oldPrevious = old.previousJustified;
  const oldCurrent = old.currentJustified;

  let currentJustified = oldCurrent;
  const bits = [false, ...old.bits.slice(0, JUSTIFICATION_BITS_LENGTH - 1)];
  if (previousEpochTargetBalance * 3n >= totalActiveBalance * 2n) {
    currentJustified = {epoch: previousEpoch, root: getBlockRoot(state, previousEpoch)};
    bits[1] = true;
  }
  if (currentEpochTargetBalance * 3n >= totalActiveBalance * 2n) {
    currentJustified = {epoch: currentEpoch, root: getBlockRoot(state, currentEpoch)};
    bits[0] = true;
  }

  let finalized = old.finalized;
  // The 2nd/3rd/4th most recent epochs are justified, the 2nd using the 4th as source
  if (bits[1] && bits[2] && bits[3] && oldPrevious.epoch + 3 === currentEpoch) finalized = oldPrevious;
  // The 2nd/3rd most recent epochs are justified, the 2nd using the 3rd as source
  if (bits[1] && bits[2] && oldPrevious.epoch + 2 === currentEpoch) finalized = oldPrevious;
  // The 1st/2nd/3rd most recent epochs are justified, the 1st using the 3rd as source
  if (bits[0] && bits[1] && bits[2] && oldCurrent.epoch + 2 === currentEpoch) finalized = oldCurrent;
  // The 1st/2nd most recent epochs are justified, the 1st using the 2nd as source
  if (bits[0] && bits[1] && oldCurrent.epoch + 1 === currentEpoch) finalized = oldCurrent;

  return {previousJustified: oldCurrent, currentJustified, finalized, bits};
}
