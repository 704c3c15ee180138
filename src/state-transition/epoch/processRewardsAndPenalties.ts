/**
 * beacon-chain.md process_rewards_and_penalties: all five delta components of a validator in one
 * loop over flat arrays, then the balances updated in one more loop (increase, then decrease with
 * the floor at zero, as the spec applies them per index).
 */
import {
  BASE_REWARDS_PER_EPOCH,
  EFFECTIVE_BALANCE_INCREMENT,
  GENESIS_EPOCH,
  PROPOSER_REWARD_QUOTIENT,
} from "../../params/index.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";
import {addUint64} from "../util/math.ts";
import {
  beforeProcessEpoch,
  FLAG_ELIGIBLE,
  FLAG_PREV_HEAD,
  FLAG_PREV_SOURCE,
  FLAG_PREV_TARGET,
  FLAG_UNSLASHED,
  type EpochTransitionCache,
} from "./epochTransitionCache.ts";
import {computeBaseReward, getRewardContext, inactivityLeakPenalty, inclusionReward} from "./getAttestationDeltas.ts";
import {writeBalances} from "./writeBalances.ts";

export function processRewardsAndPenalties(s: CachedBeaconState, cache?: EpochTransitionCache): void {
  if (cache === undefined) {
    const c = beforeProcessEpoch(s);
    if (applyRewardsAndPenalties(s, c)) writeBalances(s, c.balances);
    return;
  }
  applyRewardsAndPenalties(s, cache);
}

/** Updates `c.balances`; returns false when the epoch has no rewards (the genesis epoch). */
export function applyRewardsAndPenalties(s: CachedBeaconState, c: EpochTransitionCache): boolean {
  if (c.currentEpoch === GENESIS_EPOCH) return false;
  const r = getRewardContext(s, c);
  const n = c.flags.length;
  const {flags} = c;
  const effectiveBalances = c.registry.effectiveBalance;
  const increment = BigInt(EFFECTIVE_BALANCE_INCREMENT);
  const sourceIncrements = Number(c.prevSourceBalance / increment);
  const targetIncrements = Number(c.prevTargetBalance / increment);
  const headIncrements = Number(c.prevHeadBalance / increment);
  const totalIncrements = r.totalIncrements;
  const inLeak = r.inLeak;
  const rewards = new Float64Array(n);
  const penalties = new Float64Array(n);
  const sourceWant = FLAG_PREV_SOURCE | FLAG_UNSLASHED;
  const targetWant = FLAG_PREV_TARGET | FLAG_UNSLASHED;
  const headWant = FLAG_PREV_HEAD | FLAG_UNSLASHED;

  // Effective balances repeat (nearly all are MAX_EFFECTIVE_BALANCE): reuse the last computation.
  let lastBalance = -1;
  let base = 0;
  let sourceReward = 0;
  let targetReward = 0;
  let headReward = 0;
  let leakBase = 0;
  let proposerShare = 0;
  const {inclusionDelays, inclusionProposers} = c;
  for (let i = 0; i < n; i++) {
    const f = flags[i];
    const attested = (f & sourceWant) === sourceWant;
    const eligible = (f & FLAG_ELIGIBLE) !== 0;
    if (!attested && !eligible) continue;
    const eb = effectiveBalances[i];
    if (eb !== lastBalance) {
      lastBalance = eb;
      base = computeBaseReward(eb, r.sqrtTotalActiveBalance);
      proposerShare = Math.floor(base / PROPOSER_REWARD_QUOTIENT);
      sourceReward = inLeak ? base : Math.floor((base * sourceIncrements) / totalIncrements);
      targetReward = inLeak ? base : Math.floor((base * targetIncrements) / totalIncrements);
      headReward = inLeak ? base : Math.floor((base * headIncrements) / totalIncrements);
      leakBase = BASE_REWARDS_PER_EPOCH * base - proposerShare;
    }
    if (attested) {
      // get_inclusion_delay_deltas: the earliest including proposer gets its share.
      const delay = inclusionDelays[i];
      const proposer = inclusionProposers[i];
      if (delay === 0 || !(proposer < n)) inclusionReward(c, r, i); // throws the typed error
      rewards[proposer] += proposerShare;
      rewards[i] += Math.floor((base - proposerShare) / delay);
    }
    if (!eligible) continue;
    let reward = 0;
    let penalty = 0;
    if (attested) reward += sourceReward;
    else penalty += base;
    if ((f & targetWant) === targetWant) reward += targetReward;
    else penalty += base;
    if ((f & headWant) === headWant) reward += headReward;
    else penalty += base;
    if (inLeak) {
      penalty += leakBase;
      if ((f & targetWant) !== targetWant) penalty += inactivityLeakPenalty(eb, r.finalityDelay);
    }
    rewards[i] += reward;
    penalties[i] = penalty;
  }

  const balances = c.balances;
  for (let i = 0; i < n; i++) {
    let balance = balances[i];
    const reward = rewards[i];
    if (reward !== 0) balance = addUint64(balance, reward);
    const penalty = penalties[i];
    balances[i] = penalty > balance ? 0 : balance - penalty;
  }
  return true;
}
