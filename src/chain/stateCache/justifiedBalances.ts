/**
 * What fork choice's get_weight needs of the justified checkpoint state: each validator's
 * effective balance in increments if it is active in the state's epoch and not slashed
 * (get_attestation_score's set), and get_total_active_balance.
 */
import type {JustifiedBalances} from "../../fork-choice/forkChoice.ts";
import {EFFECTIVE_BALANCE_INCREMENT} from "../../params/index.ts";
import {computeEpochAtSlot, type CachedBeaconState} from "../../state-transition/index.ts";

const byState = new WeakMap<CachedBeaconState, JustifiedBalances>();

export function computeJustifiedBalances(s: CachedBeaconState): JustifiedBalances {
  const cached = byState.get(s);
  if (cached !== undefined) return cached;
  const epoch = computeEpochAtSlot(s.state.slot);
  const validators = s.state.validators.getAllReadonlyValues();
  const balances = new Uint16Array(validators.length);
  for (let i = 0; i < validators.length; i++) {
    const v = validators[i];
    if (!v.slashed && v.activation_epoch <= epoch && epoch < v.exit_epoch) {
      balances[i] = Math.floor(v.effective_balance / EFFECTIVE_BALANCE_INCREMENT);
    }
  }
  const result = {balances, totalActiveBalance: s.epochCtx.totalActiveBalance};
  byState.set(s, result);
  return result;
}
