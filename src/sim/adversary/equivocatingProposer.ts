/**
 * equivocating_proposer: whenever one of the group's validators proposes, it signs two blocks
 * for the slot on the node's head that differ only in graffiti (so in body and state root), and
 * sends one to the first half of the nodes it reaches and the other to the second half: a
 * proposer slashing's worth of evidence. Attestations are honest.
 *
 * params: none.
 */
import {BehaviourKind, type AdversaryContext, type Behaviour, type ByzantineGroup, type SlotPhase} from "../types.ts";
import {blockRootHex} from "./blocks.ts";
import {attestHonestly, halves, note, proposerOnHead, sendBlock, tryPropose} from "./honest.ts";
import {readIntParams} from "./params.ts";

export class EquivocatingProposer implements Behaviour {
  readonly kind = BehaviourKind.EquivocatingProposer;
  private readonly ctx: AdversaryContext;
  private equivocations = 0;

  constructor(group: ByzantineGroup, ctx: AdversaryContext) {
    readIntParams(group, {});
    this.ctx = ctx;
  }

  async onSlotPhase(slot: number, phase: SlotPhase): Promise<void> {
    if (phase === "start") await this.propose(slot);
    else if (phase === "attest") attestHonestly(this.ctx, this.kind, slot);
  }

  private async propose(slot: number): Promise<void> {
    const ctx = this.ctx;
    const proposer = proposerOnHead(ctx, slot);
    if (proposer === null) return;
    const first = await tryPropose(ctx, this.kind, slot, proposer, "gnomon equivocation 1");
    const second = await tryPropose(ctx, this.kind, slot, proposer, "gnomon equivocation 2");
    if (first === null || second === null) return;
    const [one, two] = halves(ctx);
    sendBlock(ctx, first, {to: one});
    sendBlock(ctx, second, {to: two.length > 0 ? two : one});
    ctx.offence({validator: proposer, kind: "double_proposal", slot});
    this.equivocations++;
    note(ctx, this.kind, "double_proposal", {slot, validator: proposer, root1: blockRootHex(first.message), root2: blockRootHex(second.message)});
  }

  summary(): {text: string; details: Record<string, unknown>} {
    return {text: `${this.equivocations} double proposals`, details: {doubleProposals: this.equivocations}};
  }
}
