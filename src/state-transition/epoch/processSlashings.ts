/** beacon-chain.md process_slashings (the proportional penalty when a slashing falls due). */
import {EFFECTIVE_BALANCE_INCREMENT, EPOCHS_PER_SLASHINGS_VECTOR, PROPORTIONAL_SLASHING_MULTIPLIER} from "../../params/index.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";
import {beforeProcessEpoch, type EpochTransitionCache} from "./epochTransitionCache.ts";
import {writeBalances} from "./writeBalances.ts";

export function processSlashings(s: CachedBeaconState, cache?: EpochTransitionCache): void {
  if (cache === undefined) {
    const c = beforeProcessEpoch(s);
    if (applySlashings(s, c)) writeBalances(s, c.balances);
    return;
  }
  applySlashings(s, cache);
}

/** Updates `c.balances`; returns whether any balance changed. */
export function applySlashings(s: CachedBeaconState, c: EpochTransitionCache): boolean {
  const {state} = s;
  const due = dueIndices(s, c);
  if (due.length === 0) return false;
  const totalBalance = c.totalActiveBalance;
  let sum = 0n;
  for (const amount of state.slashings.getAll()) sum += BigInt(amount);
  const multiplied = sum * BigInt(PROPORTIONAL_SLASHING_MULTIPLIER);
  const adjustedTotalSlashingBalance = multiplied < totalBalance ? multiplied : totalBalance;
  const increment = BigInt(EFFECTIVE_BALANCE_INCREMENT);
  let changed = false;
  for (const i of due) {
    // Increments factored out of the numerator as the spec does (its Uint64 overflow guard).
    const penaltyNumerator = (BigInt(c.registry.effectiveBalance[i]) / increment) * adjustedTotalSlashingBalance;
    const penalty = Number((penaltyNumerator / totalBalance) * increment);
    const balance = c.balances[i];
    const next = penalty > balance ? 0 : balance - penalty;
    if (next !== balance) changed = true;
    c.balances[i] = next;
  }
  return changed;
}

/** Slashed validators whose withdrawable epoch is half a slashings vector away, in index order. */
function dueIndices(s: CachedBeaconState, c: EpochTransitionCache): number[] {
  const target = c.currentEpoch + Math.floor(EPOCHS_PER_SLASHINGS_VECTOR / 2);
  const due = new Set(c.indicesToSlash);
  // Registry updates ran in between: an ejection sets a withdrawable epoch, so re-check those.
  for (const i of c.indicesToEject) {
    if (c.registry.slashed[i] === 1 && c.registry.withdrawableEpoch[i] === target) due.add(i);
    else due.delete(i);
  }
  return [...due].sort((a, b) => a - b);
}
