/**
 * beacon-chain.md process_epoch: the spec's sub-transitions in order, sharing one gathered view
 * of the registry and participation (beforeProcessEpoch), with balances written back once; then
 * the epoch caches move on to the next epoch.
 */
import {EFFECTIVE_BALANCE_INCREMENT} from "../../params/index.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";
import type {NextEpochData} from "../cache/epochContext.ts";
import {beforeProcessEpoch, ExactSum, FLAG_ACTIVE_NEXT, type EpochTransitionCache} from "./epochTransitionCache.ts";
import {processEffectiveBalanceUpdates} from "./processEffectiveBalanceUpdates.ts";
import {processEth1DataReset} from "./processEth1DataReset.ts";
import {processHistoricalRootsUpdate} from "./processHistoricalRootsUpdate.ts";
import {processJustificationAndFinalization} from "./processJustificationAndFinalization.ts";
import {processParticipationRecordUpdates} from "./processParticipationRecordUpdates.ts";
import {processRandaoMixesReset} from "./processRandaoMixesReset.ts";
import {processRegistryUpdates} from "./processRegistryUpdates.ts";
import {applyRewardsAndPenalties} from "./processRewardsAndPenalties.ts";
import {applySlashings} from "./processSlashings.ts";
import {processSlashingsReset} from "./processSlashingsReset.ts";
import {writeBalances} from "./writeBalances.ts";

export function processEpoch(s: CachedBeaconState): void {
  const c = beforeProcessEpoch(s);
  processJustificationAndFinalization(s, c);
  let balancesChanged = applyRewardsAndPenalties(s, c);
  processRegistryUpdates(s, c);
  if (applySlashings(s, c)) balancesChanged = true;
  processEth1DataReset(s);
  processEffectiveBalanceUpdates(s, c);
  if (balancesChanged) writeBalances(s, c.balances);
  processSlashingsReset(s);
  processRandaoMixesReset(s);
  processHistoricalRootsUpdate(s);
  processParticipationRecordUpdates(s);
  s.epochCtx.afterProcessEpoch(s.state, nextEpochData(s, c));
}

/** The next epoch's active sets and effective balances, from the arrays the transition updated. */
function nextEpochData(s: CachedBeaconState, c: EpochTransitionCache): NextEpochData {
  const {flags, activeNextNext, registry, balances} = c;
  const effectiveBalances = registry.effectiveBalance;
  const n = flags.length;
  // Unchanged effective balances (the same array as the epoch's snapshot): the increments too.
  const previous = s.epochCtx;
  const reuse = effectiveBalances === previous.registry.effectiveBalance && previous.effectiveBalanceIncrements.length === n;
  const increments = reuse ? previous.effectiveBalanceIncrements : new Uint16Array(n);
  const total = new ExactSum();
  let totalIncrements = 0;
  let count = 0;
  const incrementSize = EFFECTIVE_BALANCE_INCREMENT;
  for (let i = 0; i < n; i++) {
    const eb = effectiveBalances[i];
    if (!reuse) increments[i] = Math.min(0xffff, Math.floor(eb / incrementSize));
    if (flags[i] & FLAG_ACTIVE_NEXT) {
      total.add(eb);
      totalIncrements += increments[i];
    }
    count += activeNextNext[i];
  }
  const nextNext = new Uint32Array(count);
  for (let i = 0, k = 0; k < count; i++) if (activeNextNext[i]) nextNext[k++] = i;
  return {
    nextNextActiveIndices: nextNext,
    registry,
    balances,
    effectiveBalanceIncrements: increments,
    totalActiveBalance: total.toBigInt(),
    totalActiveBalanceIncrements: totalIncrements,
  };
}
