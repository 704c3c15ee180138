/**
 * beacon-chain.md "Rewards and penalties" helpers and the delta components, on the gathered
 * epoch data. processRewardsAndPenalties folds all components into one loop; the functions named
 * after the spec's return each component alone (the rewards spec tests compare them one by one).
 */
import {
  BASE_REWARD_FACTOR,
  BASE_REWARDS_PER_EPOCH,
  EFFECTIVE_BALANCE_INCREMENT,
  INACTIVITY_PENALTY_QUOTIENT,
  MIN_EPOCHS_TO_INACTIVITY_PENALTY,
  PROPOSER_REWARD_QUOTIENT,
} from "../../params/index.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";
import {EpochProcessingError} from "../errors.ts";
import {integerSquareroot, subUint64} from "../util/math.ts";
import {
  beforeProcessEpoch,
  FLAG_ELIGIBLE,
  FLAG_PREV_HEAD,
  FLAG_PREV_SOURCE,
  FLAG_PREV_TARGET,
  FLAG_UNSLASHED,
  type EpochTransitionCache,
} from "./epochTransitionCache.ts";

export interface Deltas {
  rewards: number[];
  penalties: number[];
}

/** What every component needs, computed once per epoch. */
export interface RewardContext {
  sqrtTotalActiveBalance: number;
  /** total_balance // EFFECTIVE_BALANCE_INCREMENT */
  totalIncrements: number;
  finalityDelay: number;
  inLeak: boolean;
}

export function getRewardContext(s: CachedBeaconState, c: EpochTransitionCache): RewardContext {
  // get_finality_delay reads the finalized checkpoint as justification processing left it.
  const finalityDelay = subUint64(c.previousEpoch, s.state.finalized_checkpoint.epoch);
  return {
    sqrtTotalActiveBalance: integerSquareroot(c.totalActiveBalance),
    totalIncrements: Number(c.totalActiveBalance / BigInt(EFFECTIVE_BALANCE_INCREMENT)),
    finalityDelay,
    inLeak: finalityDelay > MIN_EPOCHS_TO_INACTIVITY_PENALTY,
  };
}

/** get_base_reward from an exact effective balance. */
export function computeBaseReward(effectiveBalance: number, sqrtTotalActiveBalance: number): number {
  return Math.floor(Math.floor((effectiveBalance * BASE_REWARD_FACTOR) / sqrtTotalActiveBalance) / BASE_REWARDS_PER_EPOCH);
}

/** get_proposer_reward from the base reward. */
export function proposerRewardOf(base: number): number {
  return Math.floor(base / PROPOSER_REWARD_QUOTIENT);
}

/** get_attestation_component_deltas' reward for an attester with this base reward. */
export function componentReward(base: number, attestingIncrements: number, r: RewardContext): number {
  // In a leak the full base reward compensates the inactivity penalty's base part.
  return r.inLeak ? base : Math.floor((base * attestingIncrements) / r.totalIncrements);
}

/** get_inactivity_penalty_deltas' penalty of every eligible validator in a leak (before the non-target part). */
export function leakBasePenalty(base: number): number {
  return BASE_REWARDS_PER_EPOCH * base - proposerRewardOf(base);
}

/** effective_balance * finality_delay // INACTIVITY_PENALTY_QUOTIENT, exact past 2**53. */
export function inactivityLeakPenalty(effectiveBalance: number, finalityDelay: number): number {
  const product = effectiveBalance * finalityDelay;
  if (product <= Number.MAX_SAFE_INTEGER) return Math.floor(product / INACTIVITY_PENALTY_QUOTIENT);
  return Number((BigInt(effectiveBalance) * BigInt(finalityDelay)) / BigInt(INACTIVITY_PENALTY_QUOTIENT));
}

function getAttestationComponentDeltas(
  c: EpochTransitionCache,
  r: RewardContext,
  flag: number,
  attestingBalance: bigint
): Deltas {
  const n = c.flags.length;
  const rewards = new Array<number>(n).fill(0);
  const penalties = new Array<number>(n).fill(0);
  const attestingIncrements = Number(attestingBalance / BigInt(EFFECTIVE_BALANCE_INCREMENT));
  const want = flag | FLAG_UNSLASHED;
  for (let i = 0; i < n; i++) {
    const f = c.flags[i];
    if ((f & FLAG_ELIGIBLE) === 0) continue;
    const base = computeBaseReward(c.registry.effectiveBalance[i], r.sqrtTotalActiveBalance);
    if ((f & want) === want) {
      rewards[i] = componentReward(base, attestingIncrements, r);
    } else {
      penalties[i] = base;
    }
  }
  return {rewards, penalties};
}

function prepare(s: CachedBeaconState, cache?: EpochTransitionCache): [EpochTransitionCache, RewardContext] {
  const c = cache ?? beforeProcessEpoch(s);
  return [c, getRewardContext(s, c)];
}

export function getSourceDeltas(s: CachedBeaconState, cache?: EpochTransitionCache): Deltas {
  const [c, r] = prepare(s, cache);
  return getAttestationComponentDeltas(c, r, FLAG_PREV_SOURCE, c.prevSourceBalance);
}

export function getTargetDeltas(s: CachedBeaconState, cache?: EpochTransitionCache): Deltas {
  const [c, r] = prepare(s, cache);
  return getAttestationComponentDeltas(c, r, FLAG_PREV_TARGET, c.prevTargetBalance);
}

export function getHeadDeltas(s: CachedBeaconState, cache?: EpochTransitionCache): Deltas {
  const [c, r] = prepare(s, cache);
  return getAttestationComponentDeltas(c, r, FLAG_PREV_HEAD, c.prevHeadBalance);
}

/** The attester's and the including proposer's shares of one attester's inclusion reward. */
export function inclusionReward(c: EpochTransitionCache, r: RewardContext, index: number): {proposer: number; proposerReward: number; attesterReward: number} {
  const base = computeBaseReward(c.registry.effectiveBalance[index], r.sqrtTotalActiveBalance);
  const proposerReward = proposerRewardOf(base);
  const a = c.inclusionAttestation[index];
  const delay = c.attestationDelays[a];
  const proposer = c.attestationProposers[a];
  if (delay === 0) throw new EpochProcessingError("PENDING_ATTESTATION_ZERO_INCLUSION_DELAY", `attester ${index}: inclusion delay 0`);
  if (!(proposer < c.flags.length)) {
    throw new EpochProcessingError("PENDING_ATTESTATION_INVALID_PROPOSER", `proposer index ${proposer} is not a validator`);
  }
  return {proposer, proposerReward, attesterReward: Math.floor((base - proposerReward) / delay)};
}

export function getInclusionDelayDeltas(s: CachedBeaconState, cache?: EpochTransitionCache): Deltas {
  const [c, r] = prepare(s, cache);
  const n = c.flags.length;
  const rewards = new Array<number>(n).fill(0);
  const penalties = new Array<number>(n).fill(0);
  const want = FLAG_PREV_SOURCE | FLAG_UNSLASHED;
  for (let i = 0; i < n; i++) {
    if ((c.flags[i] & want) !== want) continue;
    const {proposer, proposerReward, attesterReward} = inclusionReward(c, r, i);
    rewards[proposer] += proposerReward;
    rewards[i] += attesterReward;
  }
  return {rewards, penalties};
}

export function getInactivityPenaltyDeltas(s: CachedBeaconState, cache?: EpochTransitionCache): Deltas {
  const [c, r] = prepare(s, cache);
  const n = c.flags.length;
  const rewards = new Array<number>(n).fill(0);
  const penalties = new Array<number>(n).fill(0);
  if (!r.inLeak) return {rewards, penalties};
  const targetAttester = FLAG_PREV_TARGET | FLAG_UNSLASHED;
  for (let i = 0; i < n; i++) {
    const f = c.flags[i];
    if ((f & FLAG_ELIGIBLE) === 0) continue;
    const eb = c.registry.effectiveBalance[i];
    const base = computeBaseReward(eb, r.sqrtTotalActiveBalance);
    penalties[i] = leakBasePenalty(base);
    if ((f & targetAttester) !== targetAttester) penalties[i] += inactivityLeakPenalty(eb, r.finalityDelay);
  }
  return {rewards, penalties};
}

/** get_attestation_deltas: the sum of the five components. */
export function getAttestationDeltas(s: CachedBeaconState, cache?: EpochTransitionCache): Deltas {
  const c = cache ?? beforeProcessEpoch(s);
  const parts = [
    getSourceDeltas(s, c),
    getTargetDeltas(s, c),
    getHeadDeltas(s, c),
    getInclusionDelayDeltas(s, c),
    getInactivityPenaltyDeltas(s, c),
  ];
  const n = c.flags.length;
  const rewards = new Array<number>(n).fill(0);
  const penalties = new Array<number>(n).fill(0);
  for (const p of parts) {
    for (let i = 0; i < n; i++) {
      rewards[i] += p.rewards[i];
      penalties[i] += p.penalties[i];
    }
  }
  return {rewards, penalties};
}
