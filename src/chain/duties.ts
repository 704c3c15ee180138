/**
 * Validator duties (validator.md; beacon-APIs duties/proposer and duties/attester): proposers of
 * an epoch from a state of that epoch, committee assignments from a state whose shufflings
 * cover it, each with the dependent root that pins the answer to the chain it was computed on.
 */
import {computeEpochAtSlot, computeStartSlotAtEpoch, type CachedBeaconState} from "../state-transition/index.ts";
import type {BeaconChain} from "./chain.ts";
import {ChainRequestError, ChainRequestErrorCode} from "./errors.ts";
import type {AttesterDuties, AttesterDuty, ProposerDuties} from "./interface.ts";
import {getCanonicalStateAtSlot} from "./lookup.ts";

function checkEpoch(chain: BeaconChain, epoch: number): void {
  const current = chain.clock.currentEpoch;
  if (epoch > current + 1) {
    throw new ChainRequestError(ChainRequestErrorCode.OUT_OF_RANGE, `epoch ${epoch} is more than one epoch after the current epoch ${current}`);
  }
}

/** A state of the head's chain in `epoch` (read only): the head state, or one advanced or regenerated to the epoch's start. */
async function stateInEpoch(chain: BeaconChain, epoch: number): Promise<CachedBeaconState> {
  const head = chain.getHead();
  const headEpoch = computeEpochAtSlot(head.slot);
  if (headEpoch === epoch) return head.state;
  if (headEpoch < epoch) return chain.regen.getCheckpointState(epoch, chain.headRoot);
  const s = await getCanonicalStateAtSlot(chain, computeStartSlotAtEpoch(epoch));
  if (s === null) throw new ChainRequestError(ChainRequestErrorCode.NOT_FOUND, `no state is available for epoch ${epoch}`);
  return s;
}

export async function getProposerDuties(chain: BeaconChain, epoch: number): Promise<ProposerDuties> {
  checkEpoch(chain, epoch);
  const s = await stateInEpoch(chain, epoch);
  const startSlot = computeStartSlotAtEpoch(epoch);
  const duties = s.epochCtx.getBeaconProposers().map((validatorIndex, i) => ({
    pubkey: s.epochCtx.pubkeyCache.getBytes(validatorIndex)!,
    validatorIndex,
    slot: startSlot + i,
  }));
  return {dependentRoot: chain.dependentRootAt(startSlot - 1), duties};
}

const assignmentsCache = new WeakMap<object, Map<number, AttesterDuty>>();

/** Every validator's committee assignment in `epoch`, from the shuffling the state caches for it. */
function committeeAssignments(s: CachedBeaconState, epoch: number): Map<number, AttesterDuty> {
  const shuffling = s.epochCtx.getShufflingAtEpoch(epoch);
  let byIndex = assignmentsCache.get(shuffling);
  if (byIndex !== undefined) return byIndex;
  byIndex = new Map();
  const startSlot = computeStartSlotAtEpoch(epoch);
  shuffling.committees.forEach((slotCommittees, slotOffset) => {
    slotCommittees.forEach((committee, committeeIndex) => {
      for (let k = 0; k < committee.length; k++) {
        byIndex!.set(committee[k], {
          pubkey: s.epochCtx.pubkeyCache.getBytes(committee[k])!,
          validatorIndex: committee[k],
          committeeIndex,
          committeeLength: committee.length,
          committeesAtSlot: shuffling.committeesPerSlot,
          validatorCommitteeIndex: k,
          slot: startSlot + slotOffset,
        });
      }
    });
  });
  assignmentsCache.set(shuffling, byIndex);
  return byIndex;
}

export async function getAttesterDuties(chain: BeaconChain, epoch: number, validatorIndices: number[]): Promise<AttesterDuties> {
  checkEpoch(chain, epoch);
  // The head state caches the previous, current and next epoch's shufflings.
  const head = chain.getHead();
  const headEpoch = computeEpochAtSlot(head.slot);
  const s = Math.abs(epoch - headEpoch) <= 1 ? head.state : await stateInEpoch(chain, epoch);
  const assignments = committeeAssignments(s, epoch);
  const duties: AttesterDuty[] = [];
  for (const index of validatorIndices) {
    const duty = assignments.get(index);
    if (duty !== undefined) duties.push(duty);
  }
  return {dependentRoot: chain.dependentRootAt(computeStartSlotAtEpoch(epoch - 1) - 1), duties};
}
