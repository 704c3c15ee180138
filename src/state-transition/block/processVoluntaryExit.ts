/** beacon-chain.md process_voluntary_exit. */
import {FAR_FUTURE_EPOCH} from "../../params/index.ts";
import {verifySignatureSet} from "../../crypto/index.ts";
import type {SignedVoluntaryExit} from "../../types/index.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";
import {BlockProcessingError} from "../errors.ts";
import {getVoluntaryExitSignatureSet} from "../signatureSets/operations.ts";
import {computeEpochAtSlot} from "../util/epoch.ts";
import {addUint64} from "../util/math.ts";
import {isActiveValidator} from "../util/validator.ts";
import {initiateValidatorExit} from "./initiateValidatorExit.ts";
import type {BlockProcessingOpts} from "./types.ts";

export function processVoluntaryExit(s: CachedBeaconState, signedExit: SignedVoluntaryExit, opts: BlockProcessingOpts = {}): void {
  const {state} = s;
  const {config} = s.epochCtx;
  const exit = signedExit.message;
  const index = exit.validator_index;
  if (!(index < state.validators.length)) {
    throw new BlockProcessingError("VOLUNTARY_EXIT_INVALID_VALIDATOR_INDEX", `validator index ${index} is not a validator`);
  }
  const validator = state.validators.getReadonly(index);
  const currentEpoch = computeEpochAtSlot(state.slot);
  if (!isActiveValidator(validator, currentEpoch)) {
    throw new BlockProcessingError("VOLUNTARY_EXIT_NOT_ACTIVE", `validator ${index} is not active`);
  }
  if (validator.exit_epoch !== FAR_FUTURE_EPOCH) {
    throw new BlockProcessingError("VOLUNTARY_EXIT_ALREADY_INITIATED", `validator ${index} has already initiated an exit`);
  }
  if (!(currentEpoch >= exit.epoch)) {
    throw new BlockProcessingError("VOLUNTARY_EXIT_NOT_YET_VALID", `exit epoch ${exit.epoch} is after the current epoch ${currentEpoch}`);
  }
  if (!(currentEpoch >= addUint64(validator.activation_epoch, config.SHARD_COMMITTEE_PERIOD))) {
    throw new BlockProcessingError(
      "VOLUNTARY_EXIT_TOO_EARLY",
      `validator ${index} has not been active for SHARD_COMMITTEE_PERIOD (${config.SHARD_COMMITTEE_PERIOD}) epochs`
    );
  }
  if (opts.verifySignatures !== false && !verifySignatureSet(getVoluntaryExitSignatureSet(s, signedExit))) {
    throw new BlockProcessingError("VOLUNTARY_EXIT_INVALID_SIGNATURE", "the exit is not signed by the validator");
  }
  initiateValidatorExit(s, index);
}
