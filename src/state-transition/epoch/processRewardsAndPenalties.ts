/**
 * beacon-chain.md process_rewards_and_penalties: all five delta components folded into one pass
 * over flat arrays, each balance updated as the spec does per index (increase by all rewards,
 * then decrease floored at 0). Validators that included attestations are owed proposer rewards by
 * attesters anywhere in the registry, so those few are settled after the pass.
 */
import {EFFECTIVE_BALANCE_INCREMENT, GENESIS_EPOCH} from "../../params/index.ts";
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
import {
  componentReward,
  computeBaseReward,
  getRewardContext,
  inactivityLeakPenalty,
  inclusionReward,
  leakBasePenalty,
  proposerRewardOf,
} from "./getAttestationDeltas.ts";
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
  // Validators that included previous-epoch attestations may be owed proposer rewards by
  // attesters of any index: their balance is settled after the pass, the others' within it.
  const m = attestationProposers.length;
  const proposerCandidates = [...new Set(attestationProposers)].sort((a, b) => a - b);
  const deferredReward = new Float64Array(proposerCandidates.length);
  const deferredPenalty = new Float64Array(proposerCandidates.length);
  /** Proposer shares earned per attestation position (get_inclusion_delay_deltas, proposer part). */
  const earnedByAttestation = new Float64Array(m);

  const increment = BigInt(EFFECTIVE_BALANCE_INCREMENT);
  const sourceIncrements = Number(c.prevSourceBalance / increment);
  const targetIncrements = Number(c.prevTargetBalance / increment);
  const headIncrements = Number(c.prevHeadBalance / increment);
  const inLeak = r.inLeak;
  const balances = c.balances;
  // Effective balances repeat (nearly all are MAX_EFFECTIVE_BALANCE): reuse the last computation.
  let lastBalance = -1;
  let base = 0;
  let proposerShare = 0;
  let sourceReward = 0;
  let targetReward = 0;
  let headReward = 0;
  let leakBase = 0;
  let nextCandidate = 0;
  for (let i = 0; i < n; i++) {
    const f = flags[i];
    const attested = (f & sourceWant) === sourceWant;
    const eligible = (f & FLAG_ELIGIBLE) !== 0;
    let reward = 0;
    let penalty = 0;
    if (attested || eligible) {
      const eb = effectiveBalances[i];
      if (eb !== lastBalance) {
        lastBalance = eb;
        base = computeBaseReward(eb, sqrtTotal);
        proposerShare = proposerRewardOf(base);
        sourceReward = componentReward(base, sourceIncrements, r);
        targetReward = componentReward(base, targetIncrements, r);
        headReward = componentReward(base, headIncrements, r);
        leakBase = leakBasePenalty(base);
      }
      if (attested) {
        // get_inclusion_delay_deltas: the earliest inclusion pays the attester and its proposer.
        const a = inclusionAttestation[i];
        const delay = attestationDelays[a];
        if (delay === 0 || !(attestationProposers[a] < n)) inclusionReward(c, r, i); // throws the typed error
        earnedByAttestation[a] += proposerShare;
        reward += Math.floor((base - proposerShare) / delay);
      }
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
    while (nextCandidate < proposerCandidates.length && proposerCandidates[nextCandidate] < i) nextCandidate++;
    if (nextCandidate < proposerCandidates.length && proposerCandidates[nextCandidate] === i) {
      deferredReward[nextCandidate] = reward;
      deferredPenalty[nextCandidate] = penalty;
      continue;
    }
    if (reward === 0 && penalty === 0) continue;
    let balance = balances[i];
    if (reward !== 0) balance = addUint64(balance, reward);
    balances[i] = penalty > balance ? 0 : balance - penalty;
  }

  for (let a = 0; a < m; a++) {
    if (earnedByAttestation[a] === 0) continue;
    let lo = 0;
    let hi = proposerCandidates.length - 1;
    const proposer = attestationProposers[a];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (proposerCandidates[mid] < proposer) lo = mid + 1;
      else hi = mid;
    }
    deferredReward[lo] += earnedByAttestation[a];
  }
  for (let k = 0; k < proposerCandidates.length; k++) {
    const i = proposerCandidates[k];
    if (!(i < n)) continue;
    let balance = balances[i];
    if (deferredReward[k] !== 0) balance = addUint64(balance, deferredReward[k]);
    balances[i] = deferredPenalty[k] > balance ? 0 : balance - deferredPenalty[k];
  }
  return true;
}
