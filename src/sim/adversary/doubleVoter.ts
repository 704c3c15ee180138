/**
 * double_voter: at every attestation duty each member signs two votes of the same target
 * epoch, one for the node's head and one for the head's parent (so a different
 * beacon_block_root, and a different target root when the head opens the epoch), and sends the
 * first to one half of the nodes it reaches and the second to the other half. Each pair is an
 * attester slashing. When the head has no parent the node still knows (genesis, or the parent
 * is before the finalized block) the member votes once, honestly. Proposals are honest.
 *
 * params: none.
 */
import {BehaviourKind, type AdversaryContext, type Behaviour, type ByzantineGroup, type SlotPhase} from "../types.ts";
import {baseOnChain, castVotes} from "./duties.ts";
import {attestHonestly, halves, headVotes, note, proposeHonestly, sendVotes} from "./honest.ts";
import {readIntParams} from "./params.ts";

export class DoubleVoter implements Behaviour {
  readonly kind = BehaviourKind.DoubleVoter;
  private readonly ctx: AdversaryContext;
  private doubleVotes = 0;

  constructor(group: ByzantineGroup, ctx: AdversaryContext) {
    readIntParams(group, {});
    this.ctx = ctx;
  }

  async onSlotPhase(slot: number, phase: SlotPhase): Promise<void> {
    if (phase === "start") await proposeHonestly(this.ctx, this.kind, slot);
    else if (phase === "attest") this.attest(slot);
  }

  private attest(slot: number): void {
    const ctx = this.ctx;
    const fc = ctx.chain.forkChoice;
    const parent = fc.getBlock(ctx.chain.headRoot)?.parentRoot;
    const finalized = fc.finalizedCheckpoint;
    if (parent === undefined || !fc.hasBlock(parent) || fc.getCheckpointBlock(parent, finalized.epoch) !== finalized.root) {
      attestHonestly(ctx, this.kind, slot);
      return;
    }
    const first = headVotes(ctx, slot);
    const second = castVotes(ctx, slot, baseOnChain(ctx.chain, parent, slot));
    const [one, two] = halves(ctx);
    sendVotes(ctx, first, {to: one});
    sendVotes(ctx, second, {to: two.length > 0 ? two : one});
    for (const v of second) ctx.offence({validator: v.validator, kind: "double_vote", slot});
    this.doubleVotes += second.length;
    if (second.length > 0) note(ctx, this.kind, "double_vote", {slot, votes: second.length, root1: ctx.chain.headRoot, root2: parent});
  }

  summary(): {text: string; details: Record<string, unknown>} {
    return {text: `${this.doubleVotes} double votes`, details: {doubleVotes: this.doubleVotes}};
  }
}
