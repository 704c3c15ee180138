/** beacon-chain.md slash_validator. */
import {
  EPOCHS_PER_SLASHINGS_VECTOR,
  MIN_SLASHING_PENALTY_QUOTIENT,
  PROPOSER_REWARD_QUOTIENT,
  WHISTLEBLOWER_REWARD_QUOTIENT,
} from "../../params/index.ts";
import type {ValidatorIndex} from "../../types/index.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";
import {decreaseBalance, increaseBalance} from "../util/balance.ts";
import {computeEpochAtSlot} from "../util/epoch.ts";
import {addUint64} from "../util/math.ts";
import {initiateValidatorExit} from "./initiateValidatorExit.ts";

export function slashValidator(s: CachedBeaconState, slashedIndex: ValidatorIndex, whistleblowerIndex?: ValidatorIndex): void {
  const {state, epochCtx} = s;
  const epoch = computeEpochAtSlot(state.slot);
  initiateValidatorExit(s, slashedIndex);
  const validator = state.validators.get(slashedIndex);
  validator.slashed = true;
  const slashingsEnd = epoch + EPOCHS_PER_SLASHINGS_VECTOR;
  if (slashingsEnd > validator.withdrawable_epoch) validator.withdrawable_epoch = slashingsEnd;
  const effectiveBalance = validator.effective_balance;
  const slot = epoch % EPOCHS_PER_SLASHINGS_VECTOR;
  state.slashings.set(slot, addUint64(state.slashings.get(slot), effectiveBalance));
  epochCtx.markValidatorDirty(slashedIndex);
  decreaseBalance(s, slashedIndex, Math.floor(effectiveBalance / MIN_SLASHING_PENALTY_QUOTIENT));

  const proposerIndex = epochCtx.getBeaconProposer(state.slot);
  const whistleblower = whistleblowerIndex ?? proposerIndex;
  const whistleblowerReward = Math.floor(effectiveBalance / WHISTLEBLOWER_REWARD_QUOTIENT);
  const proposerReward = Math.floor(whistleblowerReward / PROPOSER_REWARD_QUOTIENT);
  increaseBalance(s, proposerIndex, proposerReward);
  increaseBalance(s, whistleblower, whistleblowerReward - proposerReward);
}
