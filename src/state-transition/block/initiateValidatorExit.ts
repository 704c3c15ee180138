/** beacon-chain.md initiate_validator_exit, on the epoch context's exit queue instead of a registry scan. */
import {FAR_FUTURE_EPOCH} from "../../params/index.ts";
import type {ValidatorIndex} from "../../types/index.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";
import {addUint64} from "../util/math.ts";

export function initiateValidatorExit(s: CachedBeaconState, index: ValidatorIndex): void {
  const validator = s.state.validators.get(index);
  if (validator.exit_epoch !== FAR_FUTURE_EPOCH) return;
  const ctx = s.epochCtx;
  // The queue cache holds max(exit epochs, compute_activation_exit_epoch(current epoch)) and the
  // number of validators exiting at that epoch.
  let exitQueueEpoch = ctx.exitQueueEpoch;
  if (ctx.exitQueueChurn >= ctx.churnLimit) exitQueueEpoch = addUint64(exitQueueEpoch, 1);
  const withdrawableEpoch = addUint64(exitQueueEpoch, ctx.config.MIN_VALIDATOR_WITHDRAWABILITY_DELAY);
  validator.exit_epoch = exitQueueEpoch;
  validator.withdrawable_epoch = withdrawableEpoch;
  ctx.recordExit(exitQueueEpoch);
  ctx.markValidatorDirty(index);
}
