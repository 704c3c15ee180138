/**
 * surround_voter: members attest for the node's head, but in every epoch divisible by `every`
 * a member whose previous vote had a source after genesis (source s >= 1, target t < now) votes
 * with the genesis checkpoint as source and the current epoch as target: (0, now) surrounds
 * (s, t), an attester slashing. Gossip accepts such a vote (it checks the target, not the
 * source), fork choice counts it, blocks cannot include it. Until the chain has justified an
 * epoch there is nothing to surround and members vote honestly. Proposals are honest.
 *
 * params: every (epochs, default 2, >= 1).
 */
import {computeEpochAtSlot} from "../../state-transition/index.ts";
import type {AttestationData} from "../../types/index.ts";
import {BehaviourKind, type AdversaryContext, type Behaviour, type ByzantineGroup, type SlotPhase} from "../types.ts";
import {note, headVotes, proposeHonestly, sendVotes} from "./honest.ts";
import {readIntParams} from "./params.ts";

export class SurroundVoter implements Behaviour {
  readonly kind = BehaviourKind.SurroundVoter;
  private readonly ctx: AdversaryContext;
  private readonly every: number;
  /** Source and target epoch of each member's latest vote. */
  private readonly lastVote = new Map<number, {source: number; target: number}>();
  private surroundVotes = 0;

  constructor(group: ByzantineGroup, ctx: AdversaryContext) {
    this.every = readIntParams(group, {every: {default: 2, min: 1}}).every;
    this.ctx = ctx;
  }

  async onSlotPhase(slot: number, phase: SlotPhase): Promise<void> {
    if (phase === "start") await proposeHonestly(this.ctx, this.kind, slot);
    else if (phase === "attest") this.attest(slot);
  }

  private attest(slot: number): void {
    const ctx = this.ctx;
    const epoch = computeEpochAtSlot(slot);
    const surrounding = new Set<number>();
    const edit = (data: AttestationData, validator: number): AttestationData => {
      const last = this.lastVote.get(validator);
      if (epoch % this.every !== 0 || last === undefined || last.source < 1 || last.target >= epoch) return data;
      surrounding.add(validator);
      return {...data, source: {epoch: 0, root: ctx.chain.genesis.genesisBlockRoot}};
    };
    const votes = headVotes(ctx, slot, edit);
    sendVotes(ctx, votes);
    for (const v of votes) {
      this.lastVote.set(v.validator, {source: v.data.source.epoch, target: v.data.target.epoch});
      if (surrounding.has(v.validator)) ctx.offence({validator: v.validator, kind: "surround_vote", slot});
    }
    this.surroundVotes += surrounding.size;
    if (votes.length > 0) note(ctx, this.kind, surrounding.size > 0 ? "surround_vote" : "attest", {slot, votes: votes.length, surrounding: surrounding.size});
  }

  summary(): {text: string; details: Record<string, unknown>} {
    return {text: `${this.surroundVotes} surround votes`, details: {surroundVotes: this.surroundVotes}};
  }
}
