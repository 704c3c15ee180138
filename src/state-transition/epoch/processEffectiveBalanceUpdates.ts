/** beacon-chain.md process_effective_balance_updates (hysteresis). Only changed validators are written. */
import {
  EFFECTIVE_BALANCE_INCREMENT,
  HYSTERESIS_DOWNWARD_MULTIPLIER,
  HYSTERESIS_QUOTIENT,
  HYSTERESIS_UPWARD_MULTIPLIER,
  MAX_EFFECTIVE_BALANCE,
} from "../../params/index.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";
import {beforeProcessEpoch, type EpochTransitionCache} from "./epochTransitionCache.ts";

export function processEffectiveBalanceUpdates(s: CachedBeaconState, cache?: EpochTransitionCache): void {
  const c = cache ?? beforeProcessEpoch(s);
  const hysteresisIncrement = Math.floor(EFFECTIVE_BALANCE_INCREMENT / HYSTERESIS_QUOTIENT);
  const downwardThreshold = hysteresisIncrement * HYSTERESIS_DOWNWARD_MULTIPLIER;
  const upwardThreshold = hysteresisIncrement * HYSTERESIS_UPWARD_MULTIPLIER;
  const {balances, registry} = c;
  const effectiveBalances = registry.effectiveBalance;
  const validators = s.state.validators;
  for (let i = 0; i < balances.length; i++) {
    const balance = balances[i];
    const eb = effectiveBalances[i];
    if (balance + downwardThreshold < eb || eb + upwardThreshold < balance) {
      const next = Math.min(balance - (balance % EFFECTIVE_BALANCE_INCREMENT), MAX_EFFECTIVE_BALANCE);
      if (next !== eb) {
        validators.get(i).effective_balance = next;
        // The first change copies the shared array; later reads go through the registry.
        registry.setFloat("effectiveBalance", i, next);
      }
    }
  }
}
