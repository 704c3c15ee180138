/** beacon-chain.md increase_balance, decrease_balance, get_total_balance, get_total_active_balance. */
import {EFFECTIVE_BALANCE_INCREMENT} from "../../params/index.ts";
import type {BeaconStateView, ValidatorIndex} from "../../types/index.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";
import {addUint64} from "./math.ts";
import {GweiSum} from "./math.ts";

export function increaseBalance(s: CachedBeaconState, index: ValidatorIndex, delta: number): void {
  if (delta === 0) return;
  const balances = s.state.balances;
  balances.set(index, addUint64(balances.get(index), delta));
  s.epochCtx.markBalanceDirty(index);
}

export function decreaseBalance(s: CachedBeaconState, index: ValidatorIndex, delta: number): void {
  if (delta === 0) return;
  const balances = s.state.balances;
  const balance = balances.get(index);
  balances.set(index, delta > balance ? 0 : balance - delta);
  s.epochCtx.markBalanceDirty(index);
}

/** get_total_balance: exact Gwei (may exceed 2**53), at least one increment. */
export function getTotalBalance(state: BeaconStateView, indices: Iterable<ValidatorIndex>): bigint {
  const sum = new GweiSum(EFFECTIVE_BALANCE_INCREMENT);
  const validators = state.validators;
  for (const i of new Set(indices)) sum.add(validators.getReadonly(i).effective_balance);
  const total = sum.toBigInt();
  const minimum = BigInt(EFFECTIVE_BALANCE_INCREMENT);
  return total > minimum ? total : minimum;
}

/** get_total_active_balance of the current epoch, from the epoch cache. */
export function getTotalActiveBalance(s: CachedBeaconState): bigint {
  return s.epochCtx.totalActiveBalance;
}
