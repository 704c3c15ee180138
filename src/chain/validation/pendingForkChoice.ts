/**
 * Attestations accepted during their own slot reach fork choice only once that slot is over
 * (validate_on_attestation: "attestations can only affect the fork choice of subsequent slots").
 * They wait here, already validated and resolved to attesting indices, until the next slot tick.
 */
import {GnomonError} from "../../util/errors.ts";
import type {BeaconChain} from "../chain.ts";

export interface ForkChoiceVote {
  slot: number;
  beaconBlockRoot: string;
  targetEpoch: number;
  targetRoot: string;
  indices: ArrayLike<number>;
}

export class PendingForkChoiceAttestations {
  private readonly bySlot = new Map<number, ForkChoiceVote[]>();

  add(vote: ForkChoiceVote): void {
    const list = this.bySlot.get(vote.slot);
    if (list === undefined) this.bySlot.set(vote.slot, [vote]);
    else list.push(vote);
  }

  /** Removes and returns the votes of slots before `slot`, oldest first. */
  takeBefore(slot: number): ForkChoiceVote[] {
    const slots = [...this.bySlot.keys()].filter((s) => s < slot).sort((a, b) => a - b);
    const out: ForkChoiceVote[] = [];
    for (const s of slots) {
      out.push(...this.bySlot.get(s)!);
      this.bySlot.delete(s);
    }
    return out;
  }
}

/** on_attestation's store update for an already validated attestation; refused votes are dropped. */
export function applyVoteToForkChoice(chain: BeaconChain, vote: ForkChoiceVote): void {
  const fc = chain.forkChoice;
  if (fc.getCurrentSlot() < vote.slot + 1) {
    chain.pendingForkChoice.add(vote);
    return;
  }
  try {
    fc.validateOnAttestation(vote, false);
    fc.updateLatestMessages(vote.indices, vote.targetEpoch, vote.beaconBlockRoot);
  } catch (e) {
    if (!(e instanceof GnomonError)) throw e;
    chain.logger.debug({slot: vote.slot, code: e.code}, "attestation not applied to fork choice");
  }
}

/** Applies the votes that waited for their slot to end; called at each slot start. */
export function applyPendingForkChoiceAttestations(chain: BeaconChain, currentSlot: number): void {
  for (const vote of chain.pendingForkChoice.takeBefore(currentSlot)) applyVoteToForkChoice(chain, vote);
}
