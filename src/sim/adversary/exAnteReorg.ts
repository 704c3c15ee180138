/**
 * ex_ante_reorg (Schwarz-Schilling et al. 2021, "Three attacks on proof-of-stake Ethereum"): at a
 * slot n the group proposes, when the next slot's proposer is honest, the group builds B_n on
 * the head B_{n-1} but withholds it, and its slot-n attesters vote for B_n in private. The honest
 * proposer of n+1 then builds B_{n+1} on B_{n-1}. `releaseMs` after the start of slot n+1 (after
 * B_{n+1} went out, before the honest attestation deadline at 1/3 of the slot) B_n and the
 * withheld votes are sent to everyone. Fork choice at the honest slot-n+1 attesters then compares
 * B_n's branch (the withheld votes) with B_{n+1}'s (no votes yet, but the proposer boost of a
 * timely block: PROPOSER_SCORE_BOOST percent of a slot's committee weight). Without boost B_n
 * wins and B_{n+1} is orphaned; with boost 40 the attack fails while the withheld votes weigh
 * less than the boost. `judgeAfter` slots after n+1 the group's node's fork choice decides: the
 * attempt succeeded when B_{n+1} is not on the canonical chain. Nothing here is slashable.
 *
 * params: releaseMs (default a sixth of the slot), gapMs (votes after the block, default 50),
 * judgeAfter (slots, default 4, >= 1).
 */
import {BehaviourKind, type AdversaryContext, type Behaviour, type ByzantineGroup, type SlotPhase} from "../types.ts";
import {proposeOnParent, type BuiltBlock} from "./blocks.ts";
import {basePrivate, castVotes, groupProposer, type Vote} from "./duties.ts";
import {attestHonestly, note, proposeHonestly, proposerOnHead, sendBlock, sendVotes} from "./honest.ts";
import {readIntParams} from "./params.ts";

interface Attempt {
  slot: number;
  block: BuiltBlock;
  parentRootHex: string;
  votes: Vote[];
  /** The honest block of slot n+1 on B_{n-1}, once the group's node has it. */
  honestRootHex: string | null;
  released: boolean;
}

export type AttemptOutcome = "reorged" | "failed" | "no_honest_block";

export class ExAnteReorg implements Behaviour {
  readonly kind = BehaviourKind.ExAnteReorg;
  private readonly ctx: AdversaryContext;
  private readonly releaseMs: number;
  private readonly gapMs: number;
  private readonly judgeAfter: number;
  private readonly attempts: Attempt[] = [];
  readonly outcomes: {slot: number; outcome: AttemptOutcome; withheldVotes: number}[] = [];

  constructor(group: ByzantineGroup, ctx: AdversaryContext) {
    const slotMs = ctx.secondsPerSlot * 1000;
    const p = readIntParams(group, {
      releaseMs: {default: Math.floor(slotMs / 6), min: 0, max: slotMs - 1},
      gapMs: {default: 50, min: 0},
      judgeAfter: {default: 4, min: 1},
    });
    this.releaseMs = p.releaseMs;
    this.gapMs = p.gapMs;
    this.judgeAfter = p.judgeAfter;
    this.ctx = ctx;
  }

  private pending(): Attempt | undefined {
    const last = this.attempts.at(-1);
    return last !== undefined && last.honestRootHex === null && !this.judged(last) ? last : undefined;
  }

  private judged(a: Attempt): boolean {
    return this.outcomes.some((o) => o.slot === a.slot);
  }

  async onSlotPhase(slot: number, phase: SlotPhase): Promise<void> {
    if (phase === "start") {
      this.judge(slot);
      const a = this.pending();
      if (a !== undefined && !a.released && slot === a.slot + 1) this.release(a);
      await this.propose(slot);
    } else if (phase === "attest") {
      this.attest(slot);
    } else {
      const a = this.pending();
      if (a !== undefined && a.released && slot === a.slot + 1) a.honestRootHex = this.findHonestBlock(a);
    }
  }

  private async propose(slot: number): Promise<void> {
    const ctx = this.ctx;
    if (proposerOnHead(ctx, slot) === null) return;
    const head = ctx.chain.headRoot;
    // The attack needs an honest proposer at n+1, who builds on B_{n-1} without B_n.
    if (groupProposer(ctx, head, slot + 1) !== null) {
      await proposeHonestly(ctx, this.kind, slot);
      return;
    }
    const block = proposeOnParent(ctx, head, slot, "gnomon ex-ante");
    this.attempts.push({slot, block, parentRootHex: head, votes: [], honestRootHex: null, released: false});
    note(ctx, this.kind, "withhold_block", {slot, validator: block.signed.message.proposer_index, root: block.rootHex});
  }

  private attest(slot: number): void {
    const a = this.attempts.at(-1);
    if (a !== undefined && a.slot === slot && !a.released) {
      a.votes = castVotes(this.ctx, slot, basePrivate(a.block.post, a.block.rootHex, slot, slot));
      note(this.ctx, this.kind, "withhold_votes", {slot, votes: a.votes.length, root: a.block.rootHex});
      return;
    }
    attestHonestly(this.ctx, this.kind, slot);
  }

  private release(a: Attempt): void {
    a.released = true;
    sendBlock(this.ctx, a.block.signed, {delayMs: this.releaseMs});
    sendVotes(this.ctx, a.votes, {delayMs: this.releaseMs + this.gapMs});
    note(this.ctx, this.kind, "release", {slot: a.slot, votes: a.votes.length, root: a.block.rootHex, delayMs: this.releaseMs});
  }

  /** The block of slot n+1 whose parent is B_n's parent, as the group's node knows it (viable or not). */
  private findHonestBlock(a: Attempt): string | null {
    const blocks = this.ctx.chain.forkChoice.protoArray;
    for (let i = blocks.length - 1; i >= 0; i--) {
      const b = blocks.blockAt(i);
      if (b.slot === a.slot + 1 && b.parentRoot === a.parentRootHex) return b.blockRoot;
    }
    return null;
  }

  private judge(slot: number): void {
    const fc = this.ctx.chain.forkChoice;
    for (const a of this.attempts) {
      if (this.judged(a) || slot < a.slot + 1 + this.judgeAfter) continue;
      // A late honest block counts too: the group's node may have received it after 2/3 of n+1.
      if (a.released && a.honestRootHex === null) a.honestRootHex = this.findHonestBlock(a);
      let outcome: AttemptOutcome;
      if (a.honestRootHex === null) outcome = "no_honest_block";
      else {
        const head = fc.getHead().blockRoot;
        outcome = fc.hasBlock(a.honestRootHex) && fc.isAncestor(head, a.honestRootHex) ? "failed" : "reorged";
      }
      this.outcomes.push({slot: a.slot, outcome, withheldVotes: a.votes.length});
      note(this.ctx, this.kind, "judged", {slot: a.slot, outcome, honestBlock: a.honestRootHex, withheldVotes: a.votes.length});
    }
  }

  summary(): {text: string; details: Record<string, unknown>} {
    const count = (o: AttemptOutcome): number => this.outcomes.filter((x) => x.outcome === o).length;
    const attempts = this.outcomes.length - count("no_honest_block");
    const succeeded = count("reorged");
    const unjudged = this.attempts.length - this.outcomes.length;
    return {
      text: `${attempts} ex-ante reorg attempts, ${succeeded} succeeded` + (unjudged > 0 ? ` (${unjudged} too late to judge)` : ""),
      details: {attempts, succeeded, failed: count("failed"), noHonestBlock: count("no_honest_block"), unjudged, outcomes: this.outcomes},
    };
  }
}
