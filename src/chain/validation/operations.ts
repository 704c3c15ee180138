/**
 * p2p-interface.md voluntary_exit, proposer_slashing and attester_slashing: the seen check
 * first, then the state transition's own process_* function on a throwaway clone of the head
 * state without signatures (so the conditions and their error codes are exactly the block's),
 * then the signatures on the chain's BLS verifier. The same functions serve gossip and the REST
 * pool endpoints. Import pools the operation and marks its validators seen; a valid attester
 * slashing also feeds fork choice's equivocation set (on_attester_slashing).
 */
import type {SignatureSet} from "../../crypto/index.ts";
import {
  cloneCachedBeaconState,
  computeEpochAtSlot,
  getAttesterSlashingSignatureSets,
  getProposerSlashingSignatureSets,
  getVoluntaryExitSignatureSet,
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
import type {ValidationContext} from "./context.ts";

function check<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof StateTransitionError) {
      throw new OperationError(OperationErrorCode.INVALID, `${what} is invalid: ${e.message}`, {cause: e, reason: e.code});
    }
    throw e;
  }
}

async function checkSignatures(ctx: ValidationContext, what: string, reason: string, sets: SignatureSet[]): Promise<void> {
  if (!(await ctx.blsVerifier.verifySignatureSets(sets))) {
    throw new OperationError(OperationErrorCode.INVALID, `${what} is invalid: a signature does not verify`, {reason});
  }
}

function scratchHeadState(ctx: ValidationContext): CachedBeaconState {
  return cloneCachedBeaconState(ctx.headState());
}

export async function validateVoluntaryExit(ctx: ValidationContext, exit: SignedVoluntaryExit): Promise<void> {
  const index = exit.message.validator_index;
  if (ctx.seen.voluntaryExits.has(index)) {
    throw new OperationError(OperationErrorCode.ALREADY_KNOWN, `a voluntary exit of validator ${index} was already seen`);
  }
  const s = scratchHeadState(ctx);
  check("voluntary exit", () => processVoluntaryExit(s, exit, {verifySignatures: false}));
  await checkSignatures(ctx, "voluntary exit", "VOLUNTARY_EXIT_INVALID_SIGNATURE", [getVoluntaryExitSignatureSet(s, exit)]);
}

export function importVoluntaryExit(chain: BeaconChain, exit: SignedVoluntaryExit): void {
  chain.seen.voluntaryExits.add(exit.message.validator_index);
  chain.opPool.addVoluntaryExit(exit);
  chain.events.emit("voluntary_exit", exit);
}

export async function validateProposerSlashing(ctx: ValidationContext, slashing: ProposerSlashing): Promise<void> {
  const index = slashing.signed_header_1.message.proposer_index;
  if (ctx.seen.proposerSlashings.has(index)) {
    throw new OperationError(OperationErrorCode.ALREADY_KNOWN, `a proposer slashing of validator ${index} was already seen`);
  }
  const s = scratchHeadState(ctx);
  check("proposer slashing", () => processProposerSlashing(s, slashing, {verifySignatures: false}));
  await checkSignatures(ctx, "proposer slashing", "PROPOSER_SLASHING_INVALID_SIGNATURE", getProposerSlashingSignatureSets(s, slashing));
}

export function importProposerSlashing(chain: BeaconChain, slashing: ProposerSlashing): void {
  chain.seen.proposerSlashings.add(slashing.signed_header_1.message.proposer_index);
  chain.opPool.addProposerSlashing(slashing);
}

export interface ValidatedAttesterSlashing {
  slashing: AttesterSlashing;
  /** Validators in both attestations. */
  intersection: number[];
  /** Those of them slashable at the head. */
  slashable: number[];
}

export async function validateAttesterSlashing(ctx: ValidationContext, slashing: AttesterSlashing): Promise<ValidatedAttesterSlashing> {
  const intersection = intersectIndices(slashing.attestation_1.attesting_indices, slashing.attestation_2.attesting_indices);
  if (ctx.seen.attesterSlashings.hasAll(intersection)) {
    throw new OperationError(OperationErrorCode.ALREADY_KNOWN, "every validator in both attestations was already seen in an attester slashing");
  }
  const head = ctx.headState();
  const epoch = computeEpochAtSlot(head.state.slot);
  const n = head.state.validators.length;
  const slashable = intersection.filter((i) => i < n && isSlashableValidator(head.state.validators.getReadonly(i), epoch));
  const s = cloneCachedBeaconState(head);
  check("attester slashing", () => processAttesterSlashing(s, slashing, {verifySignatures: false}));
  await checkSignatures(ctx, "attester slashing", "ATTESTER_SLASHING_INVALID_SIGNATURE", getAttesterSlashingSignatureSets(head, slashing));
  return {slashing, intersection, slashable};
}

export function importAttesterSlashing(chain: BeaconChain, v: ValidatedAttesterSlashing): void {
  chain.seen.attesterSlashings.addAll(v.intersection);
  chain.opPool.addAttesterSlashing(v.slashing, v.slashable);
  chain.forkChoice.addEquivocatingIndices(v.intersection);
}

// ---- the REST pool endpoints: validate, then import ----

export async function submitVoluntaryExit(chain: BeaconChain, exit: SignedVoluntaryExit): Promise<void> {
  await validateVoluntaryExit(chain.validation, exit);
  importVoluntaryExit(chain, exit);
}

export async function submitProposerSlashing(chain: BeaconChain, slashing: ProposerSlashing): Promise<void> {
  await validateProposerSlashing(chain.validation, slashing);
  importProposerSlashing(chain, slashing);
}

export async function submitAttesterSlashing(chain: BeaconChain, slashing: AttesterSlashing): Promise<void> {
  importAttesterSlashing(chain, await validateAttesterSlashing(chain.validation, slashing));
}
