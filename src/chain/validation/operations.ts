/**
 * Slashings and voluntary exits from the API: each is checked by the state transition's own
 * process_* function on a throwaway clone of the head state (so the conditions and their error
 * codes are exactly the block's), then pooled. A valid attester slashing also feeds fork
 * choice's equivocation set (on_attester_slashing).
 */
import {
  cloneCachedBeaconState,
  computeEpochAtSlot,
  isSlashableValidator,
  processAttesterSlashing,
  processProposerSlashing,
  processVoluntaryExit,
  StateTransitionError,
  type CachedBeaconState,
} from "../../state-transition/index.ts";
import type {AttesterSlashing, ProposerSlashing, SignedVoluntaryExit} from "../../types/index.ts";
import type {BeaconChain} from "../chain.ts";
import {OperationError, OperationErrorCode} from "../errors.ts";
import {intersectIndices} from "../util.ts";

function check(what: string, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (e instanceof StateTransitionError) {
      throw new OperationError(OperationErrorCode.INVALID, `${what} is invalid: ${e.message}`, {cause: e, reason: e.code});
    }
    throw e;
  }
}

function scratchHeadState(chain: BeaconChain): CachedBeaconState {
  return cloneCachedBeaconState(chain.getHead().state);
}

export function submitVoluntaryExit(chain: BeaconChain, exit: SignedVoluntaryExit): void {
  const index = exit.message.validator_index;
  if (chain.opPool.hasVoluntaryExit(index)) {
    throw new OperationError(OperationErrorCode.ALREADY_KNOWN, `a voluntary exit of validator ${index} is already pooled`);
  }
  check("voluntary exit", () => processVoluntaryExit(scratchHeadState(chain), exit, {verifySignatures: true}));
  chain.opPool.addVoluntaryExit(exit);
  chain.events.emit("voluntary_exit", exit);
}

export function submitProposerSlashing(chain: BeaconChain, slashing: ProposerSlashing): void {
  const index = slashing.signed_header_1.message.proposer_index;
  if (chain.opPool.hasProposerSlashing(index)) {
    throw new OperationError(OperationErrorCode.ALREADY_KNOWN, `a proposer slashing of validator ${index} is already pooled`);
  }
  check("proposer slashing", () => processProposerSlashing(scratchHeadState(chain), slashing, {verifySignatures: true}));
  chain.opPool.addProposerSlashing(slashing);
  chain.events.emit("proposer_slashing", slashing);
}

export function submitAttesterSlashing(chain: BeaconChain, slashing: AttesterSlashing): void {
  const intersection = intersectIndices(slashing.attestation_1.attesting_indices, slashing.attestation_2.attesting_indices);
  const head = scratchHeadState(chain);
  const epoch = computeEpochAtSlot(head.state.slot);
  const n = head.state.validators.length;
  const slashable = intersection.filter((i) => i < n && isSlashableValidator(head.state.validators.getReadonly(i), epoch));
  if (slashable.length > 0 && chain.opPool.coversAttesterIndices(slashable)) {
    throw new OperationError(OperationErrorCode.ALREADY_KNOWN, "every validator this slashing can slash is covered by a pooled slashing");
  }
  check("attester slashing", () => processAttesterSlashing(head, slashing, {verifySignatures: true}));
  chain.opPool.addAttesterSlashing(slashing, slashable);
  chain.forkChoice.addEquivocatingIndices(intersection);
  chain.events.emit("attester_slashing", slashing);
}
