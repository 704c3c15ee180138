/**
 * double_voter: at every attestation duty each member signs two votes of the same target
 * epoch and sends the first to one half of the nodes, the second to the other half. Each pair is
 * an attester slashing. While the two halves see different heads (a partition) each vote is for
 * its half's head, by that half's view: the attack on FFG safety, where a Byzantine third votes
 * on both sides and each side gathers two thirds. Otherwise the votes are for the node's head
 * and for the head's parent (a different beacon_block_root, and a different target root when
 * the head opens the epoch). When the head has no parent the node still knows (genesis, or the
 * parent is before the finalized block) the member votes once, honestly. Proposals are honest,
 * except that in a partition a group proposer builds on each side's head, for that side.
 *
 * params: none.
 */
import type {BeaconChain} from "../../chain/index.ts";
import {ssz} from "../../types/index.ts";
import {BehaviourKind, type AdversaryContext, type Behaviour, type ByzantineGroup, type SlotPhase} from "../types.ts";
import {baseOnChain, castVotes} from "./duties.ts";
import {blockRootHex} from "./blocks.ts";
import {attestHonestly, halves, headVotes, note, proposeHonestly, proposerOnHead, sendBlock, sendVotes, tryPropose} from "./honest.ts";
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
    if (phase === "start") {
      const sides = this.sides();
      if (sides === null) await proposeHonestly(this.ctx, this.kind, slot);
      else await this.proposeOnBothSides(slot, sides);
    } else if (phase === "attest") this.attest(slot);
  }

  /** The two halves and their views while they see different heads (a partition), else null. */
  private sides(): [BeaconChain, number[]][] | null {
    const [one, two] = halves(this.ctx);
    if (one.length === 0 || two.length === 0) return null;
    const a = this.ctx.viewOf(one[0]);
    const b = this.ctx.viewOf(two[0]);
    return a.headRoot === b.headRoot ? null : [
      [a, one],
      [b, two],
    ];
  }

  /** A group proposer on a side's head builds on it and sends to that side only; one proposer on both sides proposes twice. */
  private async proposeOnBothSides(slot: number, sides: [BeaconChain, number[]][]): Promise<void> {
    const proposers: number[] = [];
    for (const [chain, to] of sides) {
      const view: AdversaryContext = {...this.ctx, chain};
      const proposer = proposerOnHead(view, slot);
      if (proposer === null) continue;
      const signed = await tryPropose(view, this.kind, slot, proposer, `side ${to.join(",")}`);
      if (signed === null) continue;
      sendBlock(view, signed, {to});
      note(view, this.kind, "propose", {slot, validator: proposer, root: blockRootHex(signed.message), to: to.join(",")});
      if (proposers.includes(proposer)) this.ctx.offence({validator: proposer, kind: "double_proposal", slot});
      proposers.push(proposer);
    }
  }

  private attest(slot: number): void {
    const ctx = this.ctx;
    const sides = this.sides();
    if (sides !== null) {
      this.voteOnBothSides(slot, ...sides);
      return;
    }
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

  /** Each half gets the votes for its own view's head; a member voting on both sides with different data double votes. */
  private voteOnBothSides(slot: number, ...sides: [BeaconChain, number[]][]): void {
    const ctx = this.ctx;
    const cast = sides.map(([chain, to]) => {
      const votes = castVotes(ctx, slot, baseOnChain(chain, chain.headRoot, slot));
      sendVotes(ctx, votes, {to});
      return votes;
    });
    const first = new Map(cast[0].map((v) => [v.validator, v]));
    let doubles = 0;
    for (const v of cast[1]) {
      const other = first.get(v.validator);
      if (other === undefined || other.data.target.epoch !== v.data.target.epoch || ssz.AttestationData.equals(other.data, v.data)) continue;
      ctx.offence({validator: v.validator, kind: "double_vote", slot});
      doubles++;
    }
    this.doubleVotes += doubles;
    if (doubles > 0) note(ctx, this.kind, "double_vote_across_partition", {slot, votes: doubles, root1: sides[0][0].headRoot, root2: sides[1][0].headRoot});
  }

  summary(): {text: string; details: Record<string, unknown>} {
    return {text: `${this.doubleVotes} double votes`, details: {doubleVotes: this.doubleVotes}};
  }
}
