/**
 * withholding_proposer: when one of the group's validators proposes on the node's head, the
 * block is kept private, and so is everything the group builds on it for the next `withhold`
 * slots: its members' next proposals extend the private chain and its members vote for the
 * private tip, all sent to nobody (not even the group's node, which would relay it). At the
 * start of slot `first + withhold` (or in the group's last active slot) the whole private chain
 * is released at once, the votes `gapMs` after the blocks so they arrive after what they vote
 * for; a proposal of the group in the release slot extends the released chain in public. Nothing here is slashable: every member still signs one block per slot and one vote per
 * duty.
 *
 * params: withhold (slots, default 4, 1..32: released votes must stay within the attestation
 * propagation range), gapMs (default 50).
 */
import type {SignedBeaconBlock} from "../../types/index.ts";
import type {CachedBeaconState} from "../../state-transition/index.ts";
import {BehaviourKind, type AdversaryContext, type Behaviour, type ByzantineGroup, type SlotPhase} from "../types.ts";
import {proposeOnParent, proposeOnPrivate} from "./blocks.ts";
import {basePrivate, castVotes, groupProposerPrivate, type Vote} from "./duties.ts";
import {attestHonestly, note, proposeHonestly, proposerOnHead, sendBlock, sendVotes} from "./honest.ts";
import {readIntParams} from "./params.ts";

interface PrivateChain {
  firstSlot: number;
  tip: {rootHex: string; slot: number; post: CachedBeaconState};
  blocks: SignedBeaconBlock[];
  votes: Vote[];
}

export class WithholdingProposer implements Behaviour {
  readonly kind = BehaviourKind.WithholdingProposer;
  private readonly ctx: AdversaryContext;
  private readonly withhold: number;
  private readonly gapMs: number;
  private readonly lastSlot: number | null;
  private chain: PrivateChain | null = null;
  private readonly released: {tip: string; blocks: number; votes: number}[] = [];

  constructor(group: ByzantineGroup, ctx: AdversaryContext) {
    const p = readIntParams(group, {withhold: {default: 4, min: 1, max: 32}, gapMs: {default: 50, min: 0}});
    this.withhold = p.withhold;
    this.gapMs = p.gapMs;
    this.lastSlot = group.until === null ? null : group.until - 1;
    this.ctx = ctx;
  }

  async onSlotPhase(slot: number, phase: SlotPhase): Promise<void> {
    if (phase === "start") {
      if (this.chain !== null && slot >= this.chain.firstSlot + this.withhold) {
        const tip = this.release(slot);
        this.proposeOnReleased(slot, tip);
      } else {
        await this.propose(slot);
      }
    } else if (phase === "attest") {
      this.attest(slot);
    } else if (slot === this.lastSlot && this.chain !== null) {
      this.release(slot);
    }
  }

  private async propose(slot: number): Promise<void> {
    const ctx = this.ctx;
    const priv = this.chain;
    if (priv !== null) {
      const proposer = groupProposerPrivate(ctx, priv.tip.post, slot);
      if (proposer === null) return;
      const built = proposeOnPrivate(ctx, priv.tip.post, priv.tip.rootHex, slot, "gnomon withheld");
      priv.blocks.push(built.signed);
      priv.tip = {rootHex: built.rootHex, slot, post: built.post};
      note(ctx, this.kind, "withhold_block", {slot, validator: proposer, root: built.rootHex});
      return;
    }
    if (proposerOnHead(ctx, slot) === null) return;
    if (slot === this.lastSlot) {
      // Nothing could be released later: propose in public.
      await proposeHonestly(ctx, this.kind, slot);
      return;
    }
    const built = proposeOnParent(ctx, ctx.chain.headRoot, slot, "gnomon withheld");
    this.chain = {firstSlot: slot, tip: {rootHex: built.rootHex, slot, post: built.post}, blocks: [built.signed], votes: []};
    note(ctx, this.kind, "withhold_block", {slot, validator: built.signed.message.proposer_index, root: built.rootHex});
  }

  /** A proposal in the release slot extends the released chain, in public, right behind it. */
  private proposeOnReleased(slot: number, tip: PrivateChain["tip"]): void {
    const ctx = this.ctx;
    const proposer = groupProposerPrivate(ctx, tip.post, slot);
    if (proposer === null) return;
    const built = proposeOnPrivate(ctx, tip.post, tip.rootHex, slot, "gnomon withheld");
    sendBlock(ctx, built.signed);
    note(ctx, this.kind, "propose", {slot, validator: proposer, root: built.rootHex});
  }

  private attest(slot: number): void {
    const priv = this.chain;
    if (priv === null) {
      attestHonestly(this.ctx, this.kind, slot);
      return;
    }
    const votes = castVotes(this.ctx, slot, basePrivate(priv.tip.post, priv.tip.rootHex, priv.tip.slot, slot));
    priv.votes.push(...votes);
    if (votes.length > 0) note(this.ctx, this.kind, "withhold_votes", {slot, votes: votes.length, root: priv.tip.rootHex});
  }

  private release(slot: number): PrivateChain["tip"] {
    const priv = this.chain!;
    this.chain = null;
    for (const block of priv.blocks) sendBlock(this.ctx, block);
    sendVotes(this.ctx, priv.votes, {delayMs: this.gapMs});
    this.released.push({tip: priv.tip.rootHex, blocks: priv.blocks.length, votes: priv.votes.length});
    note(this.ctx, this.kind, "release", {slot, blocks: priv.blocks.length, votes: priv.votes.length, tip: priv.tip.rootHex});
    return priv.tip;
  }

  summary(): {text: string; details: Record<string, unknown>} {
    const fc = this.ctx.chain.forkChoice;
    const head = fc.getHead().blockRoot;
    const canonical = this.released.filter((r) => fc.hasBlock(r.tip) && fc.isAncestor(head, r.tip)).length;
    const blocks = this.released.reduce((n, r) => n + r.blocks, 0);
    return {
      text: `${this.released.length} private chains (${blocks} blocks) withheld and released, ${canonical} canonical at the end`,
      details: {privateChains: this.released.length, blocks, canonicalAtEnd: canonical, released: this.released},
    };
  }
}
