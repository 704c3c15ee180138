/** beacon-chain.md "Predicates" on validators, and the registry accessors built on them. */
import {FAR_FUTURE_EPOCH, MAX_EFFECTIVE_BALANCE, type ChainConfig} from "../../params/index.ts";
import type {BeaconStateView, Epoch, Validator, ValidatorIndex} from "../../types/index.ts";

/** The fields the predicates read; a Validator value or a validator view both qualify. */
type ValidatorLike = Pick<
  Validator,
  "activation_epoch" | "exit_epoch" | "activation_eligibility_epoch" | "effective_balance" | "slashed" | "withdrawable_epoch"
>;

export function isActiveValidator(validator: Pick<Validator, "activation_epoch" | "exit_epoch">, epoch: Epoch): boolean {
  return validator.activation_epoch <= epoch && epoch < validator.exit_epoch;
}

export function isEligibleForActivationQueue(validator: ValidatorLike): boolean {
  return validator.activation_eligibility_epoch === FAR_FUTURE_EPOCH && validator.effective_balance === MAX_EFFECTIVE_BALANCE;
}

export function isEligibleForActivation(state: BeaconStateView, validator: ValidatorLike): boolean {
  return (
    validator.activation_eligibility_epoch <= state.finalized_checkpoint.epoch &&
    validator.activation_epoch === FAR_FUTURE_EPOCH
  );
}

export function isSlashableValidator(validator: ValidatorLike, epoch: Epoch): boolean {
  return !validator.slashed && validator.activation_epoch <= epoch && epoch < validator.withdrawable_epoch;
}

/** get_active_validator_indices, read from the state (the cached shufflings hold the common epochs). */
export function getActiveValidatorIndices(state: BeaconStateView, epoch: Epoch): Uint32Array {
  state.commit();
  const validators = state.validators.getAllReadonlyValues();
  const out = new Uint32Array(validators.length);
  let n = 0;
  for (let i = 0; i < validators.length; i++) {
    const v = validators[i];
    if (v.activation_epoch <= epoch && epoch < v.exit_epoch) out[n++] = i;
  }
  return out.slice(0, n);
}

/** get_validator_churn_limit from a count of active validators. */
export function computeChurnLimit(
  config: Pick<ChainConfig, "MIN_PER_EPOCH_CHURN_LIMIT" | "CHURN_LIMIT_QUOTIENT">,
  activeValidatorCount: number
): number {
  return Math.max(config.MIN_PER_EPOCH_CHURN_LIMIT, Math.floor(activeValidatorCount / config.CHURN_LIMIT_QUOTIENT));
}

export type {ValidatorLike, ValidatorIndex};
