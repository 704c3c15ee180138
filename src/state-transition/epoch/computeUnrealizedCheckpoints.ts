/**
 * The FFG checkpoints a state would have if its epoch ended now (fork choice's pulled-up tip):
 * process_justification_and_finalization on the current participation, computed without cloning
 * or mutating the state. Reads only the pending attestations and the cached total active balance.
 */
import {EFFECTIVE_BALANCE_INCREMENT, GENESIS_EPOCH} from "../../params/index.ts";
import type {Checkpoint, PendingAttestation} from "../../types/index.ts";
import {bytesEqual} from "../../util/bytes.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";
import {getBlockRoot} from "../util/blockRoot.ts";
import {computeEpochAtSlot} from "../util/epoch.ts";
import {GweiSum} from "../util/math.ts";
import {CommitteeSource, readPendingAttestations} from "./epochTransitionCache.ts";
import {readJustificationState, weighJustificationAndFinalization} from "./processJustificationAndFinalization.ts";

export function computeUnrealizedCheckpoints(s: CachedBeaconState): {justified: Checkpoint; finalized: Checkpoint} {
  const {state, epochCtx} = s;
  const current = readJustificationState(s);
  const currentEpoch = computeEpochAtSlot(state.slot);
  if (currentEpoch <= GENESIS_EPOCH + 1) return {justified: current.currentJustified, finalized: current.finalized};
  state.commit();
  const previousEpoch = currentEpoch - 1;
  const validators = state.validators;
  const n = validators.length;
  const seen = new Uint8Array(n);
  const committees = new CommitteeSource(s);
  // The registry snapshot, except for validators a block changed since the epoch started.
  const {registry, dirtyValidators} = epochCtx;

  const targetBalance = (attestations: PendingAttestation[], epoch: number): bigint => {
    const sum = new GweiSum(EFFECTIVE_BALANCE_INCREMENT);
    if (attestations.length > 0) {
      seen.fill(0);
      const root = getBlockRoot(state, epoch);
      for (const att of attestations) {
        if (!bytesEqual(att.data.target.root, root)) continue;
        const committee = committees.get(att.data.slot, att.data.index);
        const bytes = att.aggregation_bits.uint8Array;
        for (let k = 0; k < committee.length; k++) {
          if (((bytes[k >> 3] >> (k & 7)) & 1) === 0) continue;
          const index = committee[k];
          if (seen[index]) continue;
          seen[index] = 1;
          if (index < registry.length && !dirtyValidators.has(index)) {
            if (registry.slashed[index] === 0) sum.add(registry.effectiveBalance[index]);
          } else {
            const v = validators.getReadonly(index);
            if (!v.slashed) sum.add(v.effective_balance);
          }
        }
      }
    }
    const total = sum.toBigInt();
    const minimum = BigInt(EFFECTIVE_BALANCE_INCREMENT);
    return total > minimum ? total : minimum;
  };

  const previousTarget = targetBalance(readPendingAttestations(s, "previous"), previousEpoch);
  const currentTarget = targetBalance(readPendingAttestations(s, "current"), currentEpoch);
  const next = weighJustificationAndFinalization(s, current, epochCtx.totalActiveBalance, previousTarget, currentTarget);
  return {justified: next.currentJustified, finalized: next.finalized};
}
