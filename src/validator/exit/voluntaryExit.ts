/**
 * `gnomon validator exit`: whether a validator may exit now (the conditions of
 * process_voluntary_exit, beacon-chain.md, checked before anything is signed so that the staker
 * gets the reason instead of a refusal from the node), and the signed exit itself.
 */
import type {SecretKey} from "@chainsafe/blst";
import {sign} from "../../crypto/index.ts";
import type {SignedVoluntaryExit} from "../../types/index.ts";
import {GnomonError} from "../../util/errors.ts";
import type {ValidatorState} from "../api/types.ts";
import type {SigningContext} from "../signing/signingContext.ts";

export type ExitErrorCode = "EXIT_UNKNOWN_VALIDATOR" | "EXIT_NOT_ACTIVE" | "EXIT_ALREADY_EXITING" | "EXIT_TOO_EARLY" | "EXIT_FUTURE_EPOCH" | "EXIT_NOT_CONFIRMED";

export class ExitError extends GnomonError {
  declare readonly code: ExitErrorCode;
  constructor(code: ExitErrorCode, message: string) {
    super(code, message);
  }
}

/**
 * The validator, or an ExitError unless an exit at `exitEpoch` by `validator` is valid in `currentEpoch`:
 * active, not exiting yet, active for SHARD_COMMITTEE_PERIOD epochs, and an exit epoch that
 * has come.
 */
export function assertCanExit(validator: ValidatorState | null, exitEpoch: number, currentEpoch: number, shardCommitteePeriod: number): ValidatorState {
  if (validator === null) throw new ExitError("EXIT_UNKNOWN_VALIDATOR", "the beacon node does not know this validator (no deposit processed for its key yet?)");
  const who = `validator ${validator.index}`;
  if (validator.exitEpoch !== Infinity) {
    throw new ExitError("EXIT_ALREADY_EXITING", `${who} is already exiting (status ${validator.status}, exit epoch ${validator.exitEpoch})`);
  }
  if (validator.activationEpoch > currentEpoch) {
    throw new ExitError("EXIT_NOT_ACTIVE", `${who} is not active yet (status ${validator.status}, activation epoch ${validator.activationEpoch === Infinity ? "not set" : validator.activationEpoch})`);
  }
  const earliest = validator.activationEpoch + shardCommitteePeriod;
  if (currentEpoch < earliest) {
    throw new ExitError(
      "EXIT_TOO_EARLY",
      `${who} has not been active long enough: SHARD_COMMITTEE_PERIOD is ${shardCommitteePeriod} epochs, so it can exit from epoch ${earliest} (now ${currentEpoch})`
    );
  }
  if (exitEpoch > currentEpoch) throw new ExitError("EXIT_FUTURE_EPOCH", `exit epoch ${exitEpoch} is after the current epoch ${currentEpoch}: the node would refuse it until then`);
  return validator;
}

export function signVoluntaryExit(secretKey: SecretKey, validatorIndex: number, epoch: number, context: SigningContext): SignedVoluntaryExit {
  const message = {epoch, validator_index: validatorIndex};
  return {message, signature: sign(secretKey, context.voluntaryExitRoot(message))};
}
