/** get_attestation_score's view of a justified checkpoint state, in the form ForkChoice takes. */
import {EFFECTIVE_BALANCE_INCREMENT} from "../../params/index.ts";
import {getCurrentEpoch, type CachedBeaconState} from "../../state-transition/index.ts";
import {ForkChoiceError, ForkChoiceErrorCode} from "../errors.ts";
import type {JustifiedBalances} from "../forkChoice.ts";

/**
 * Effective balance in increments of each validator active at the state's epoch and not slashed
 * (0 otherwise), and get_total_active_balance. Effective balances are whole increments in every
 * state the state transition can produce; one that is not would make increment weights inexact,
 * so it is refused.
 */
export function computeJustifiedBalances(s: CachedBeaconState): JustifiedBalances {
  const {state} = s;
  const epoch = getCurrentEpoch(state);
  state.commit();
  const validators = state.validators.getAllReadonlyValues();
  const balances = new Uint16Array(validators.length);
  for (let i = 0; i < validators.length; i++) {
    const v = validators[i];
    if (v.slashed || !(v.activation_epoch <= epoch && epoch < v.exit_epoch)) continue;
    const increments = v.effective_balance / EFFECTIVE_BALANCE_INCREMENT;
    if (!Number.isInteger(increments) || increments > 0xffff) {
      throw new ForkChoiceError(
        ForkChoiceErrorCode.INVALID_BALANCE,
        `validator ${i} has effective balance ${v.effective_balance}, not a whole number of increments`
      );
    }
    balances[i] = increments;
  }
  return {balances, totalActiveBalance: s.epochCtx.totalActiveBalance};
}
