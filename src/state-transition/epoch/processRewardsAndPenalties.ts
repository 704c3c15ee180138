/**
 * beacon-chain.md process_rewards_and_penalties: all five delta components folded into two
 * passes over flat arrays. The first collects the inclusion rewards owed to proposers (a few
 * dozen distinct validators per epoch); the second computes each validator's own rewards and
 * penalties and applies them as the spec does per index (increase, then decrease floored at 0).
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
  const {flags, inclusionAttestation, attestationDelays, attestationProposers} = c;
  const effectiveBalances = c.registry.effectiveBalance;
  const sqrtTotal = r.sqrtTotalActiveBalance;
  const sourceWant = FLAG_PREV_SOURCE | FLAG_UNSLASHED;
  const targetWant = FLAG_PREV_TARGET | FLAG_UNSLASHED;
  const headWant = FLAG_PREV_HEAD | FLAG_UNSLASHED;

  // Pass 1: what each including proposer earns (get_inclusion_delay_deltas, proposer part).
  const proposerRewards = new Map<number, number>();
  let lastBalance = -1;
  let proposerShare = 0;
  for (let i = 0; i < n; i++) {
    if ((flags[i] & sourceWant) !== sourceWant) continue;
    const eb = effectiveBalances[i];
    if (eb !== lastBalance) {
      lastBalance = eb;
      proposerShare = Math.floor(computeBaseReward(eb, sqrtTotal) / PROPOSER_REWARD_QUOTIENT);
    }
    const a = inclusionAttestation[i];
    const proposer = attestationProposers[a];
    if (!(proposer < n) || attestationDelays[a] === 0) inclusionReward(c, r, i); // throws the typed error
    proposerRewards.set(proposer, (proposerRewards.get(proposer) ?? 0) + proposerShare);
  }

  // Pass 2: every validator's own components, then its balance.
  const increment = BigInt(EFFECTIVE_BALANCE_INCREMENT);
  const sourceIncrements = Number(c.prevSourceBalance / increment);
  const targetIncrements = Number(c.prevTargetBalance / increment);
  const headIncrements = Number(c.prevHeadBalance / increment);
  const totalIncrements = r.totalIncrements;
  const inLeak = r.inLeak;
  const balances = c.balances;
  // Effective balances repeat (nearly all are MAX_EFFECTIVE_BALANCE): reuse the last computation.
  lastBalance = -1;
  let base = 0;
  let sourceReward = 0;
  let targetReward = 0;
  let headReward = 0;
  let leakBase = 0;
  for (let i = 0; i < n; i++) {
    const f = flags[i];
    const attested = (f & sourceWant) === sourceWant;
    const eligible = (f & FLAG_ELIGIBLE) !== 0;
    let reward = proposerRewards.size > 0 ? (proposerRewards.get(i) ?? 0) : 0;
    let penalty = 0;
    if (attested || eligible) {
      const eb = effectiveBalances[i];
      if (eb !== lastBalance) {
        lastBalance = eb;
        base = computeBaseReward(eb, sqrtTotal);
        proposerShare = Math.floor(base / PROPOSER_REWARD_QUOTIENT);
        sourceReward = inLeak ? base : Math.floor((base * sourceIncrements) / totalIncrements);
        targetReward = inLeak ? base : Math.floor((base * targetIncrements) / totalIncrements);
        headReward = inLeak ? base : Math.floor((base * headIncrements) / totalIncrements);
        leakBase = BASE_REWARDS_PER_EPOCH * base - proposerShare;
      }
      // get_inclusion_delay_deltas, attester part.
      if (attested) reward += Math.floor((base - proposerShare) / attestationDelays[inclusionAttestation[i]]);
      if (eligible) {
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
      }
    }
    if (reward === 0 && penalty === 0) continue;
    let balance = balances[i];
    if (reward !== 0) balance = addUint64(balance, reward);
    balances[i] = penalty > balance ? 0 : balance - penalty;
  }
  return true;
}
