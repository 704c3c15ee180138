/**
 * balancing (Neu, Tas, Tse 2020, "Ebb-and-flow protocols: a resolution of the availability-
 * finality dilemma", the balancing attack on Gasper): at a slot the group proposes, it signs two
 * sibling blocks A and B on the head and sends A to one half of the other nodes it reaches and B
 * to the other half (a double proposal), while its own node imports both, so its fork choice
 * weighs both branches. From then on the group's members withhold their votes; at 2/3 of every
 * slot the group reads the two branches' weights in its node's fork choice and releases, to
 * everyone, just enough withheld votes for the lighter branch to draw level, so the honest
 * validators keep voting on both sides and neither side's checkpoint gathers two thirds.
 * Each member still votes once per epoch (no double or surround votes); votes too old for fork
 * choice (before the previous epoch) are dropped.
 *
 * The split is alive while both branches are in the node's filtered block tree and the node's
 * justified checkpoint has not moved onto either branch; summary() reports how many epochs each
 * split lasted. One split at a time; outside a split the group is honest.
 *
 * params: none.
 */
import {EFFECTIVE_BALANCE_INCREMENT} from "../../params/index.ts";
import {computeEpochAtSlot} from "../../state-transition/index.ts";
import {GnomonError} from "../../util/errors.ts";
import {BehaviourKind, type AdversaryContext, type Behaviour, type ByzantineGroup, type SlotPhase} from "../types.ts";
import {blockRootHex} from "./blocks.ts";
import {baseOnChain, castVotes, groupAttesters, type Vote} from "./duties.ts";
import {attestHonestly, halves, note, proposeHonestly, proposerOnHead, sendBlock, sendVotes, tryPropose} from "./honest.ts";
import {readIntParams} from "./params.ts";

interface Split {
  slot: number;
  roots: [string, string];
  /** The first slot at which the split was found over, null while it lasts. */
  endSlot: number | null;
  endReason: string | null;
  releasedVotes: number;
}

export class Balancing implements Behaviour {
  readonly kind = BehaviourKind.Balancing;
  private readonly ctx: AdversaryContext;
  private readonly splits: Split[] = [];
  /** Withheld duties: members per slot, not yet signed. */
  private readonly withheld = new Map<number, Set<number>>();

  constructor(group: ByzantineGroup, ctx: AdversaryContext) {
    readIntParams(group, {});
    this.ctx = ctx;
  }

  private alive(): Split | null {
    const last = this.splits.at(-1);
    return last !== undefined && last.endSlot === null ? last : null;
  }

  async onSlotPhase(slot: number, phase: SlotPhase): Promise<void> {
    const split = this.alive();
    if (phase === "start") {
      if (split === null) await this.propose(slot);
      else await proposeHonestly(this.ctx, this.kind, slot);
    } else if (phase === "attest") {
      if (split === null) attestHonestly(this.ctx, this.kind, slot);
      else this.withhold(slot);
    } else if (split !== null) {
      this.checkAlive(split, slot);
      if (split.endSlot === null) this.balance(split, slot);
      else this.withheld.clear();
    }
  }

  private async propose(slot: number): Promise<void> {
    const ctx = this.ctx;
    const proposer = proposerOnHead(ctx, slot);
    if (proposer === null) return;
    const [one, two] = halves(ctx).map((h) => h.filter((n) => n !== ctx.nodeIndex));
    if (one.length === 0 || two.length === 0) {
      await proposeHonestly(ctx, this.kind, slot);
      return;
    }
    const a = await tryPropose(ctx, this.kind, slot, proposer, "gnomon balancing A");
    const b = await tryPropose(ctx, this.kind, slot, proposer, "gnomon balancing B");
    if (a === null || b === null) return;
    sendBlock(ctx, a, {to: one});
    sendBlock(ctx, b, {to: two});
    ctx.offence({validator: proposer, kind: "double_proposal", slot});
    // The group's node weighs both branches; it learns them from the group, not from gossip, so it relays neither.
    for (const signed of [a, b]) {
      try {
        await ctx.chain.processBlock(signed, "sync");
      } catch (e) {
        if (!(e instanceof GnomonError)) throw e;
        note(ctx, this.kind, "import_failed", {slot, reason: e.code});
      }
    }
    const roots: [string, string] = [blockRootHex(a.message), blockRootHex(b.message)];
    this.splits.push({slot, roots, endSlot: null, endReason: null, releasedVotes: 0});
    note(ctx, this.kind, "split", {slot, validator: proposer, rootA: roots[0], rootB: roots[1]});
  }

  private withhold(slot: number): void {
    const head = this.ctx.chain.getHead().state;
    const members = groupAttesters(this.ctx, head, slot).map((d) => d.validator);
    if (members.length > 0) this.withheld.set(slot, new Set(members));
  }

  private checkAlive(split: Split, slot: number): void {
    const fc = this.ctx.chain.forkChoice;
    const tree = new Set(fc.getFilteredBlockTree().map((b) => b.blockRoot));
    const justified = fc.justifiedCheckpoint.root;
    let reason: string | null = null;
    if (!split.roots.every((r) => tree.has(r))) reason = "branch_not_viable";
    else if (split.roots.some((r) => fc.isAncestor(justified, r))) reason = "branch_justified";
    if (reason === null) return;
    split.endSlot = slot;
    split.endReason = reason;
    note(this.ctx, this.kind, "split_over", {slot: split.slot, endSlot: slot, reason, epochs: this.epochsOf(split)});
  }

  /** Releases withheld votes for the lighter branch until it has drawn level, oldest duty first. */
  private balance(split: Split, slot: number): void {
    const ctx = this.ctx;
    const fc = ctx.chain.forkChoice;
    const [wa, wb] = split.roots.map((r) => fc.getWeight(r));
    const lighter = wa <= wb ? split.roots[0] : split.roots[1];
    let deficit = wa <= wb ? wb - wa : wa - wb;
    const increments = ctx.chain.getHead().state.epochCtx.effectiveBalanceIncrements;
    const oldest = computeEpochAtSlot(slot) - 1;
    const sent: Vote[] = [];
    for (const [dutySlot, members] of [...this.withheld].sort((x, y) => x[0] - y[0])) {
      if (computeEpochAtSlot(dutySlot) < oldest) {
        this.withheld.delete(dutySlot);
        continue;
      }
      if (deficit <= 0n) break;
      const take = (validator: number): boolean => {
        if (deficit <= 0n || !members.delete(validator)) return false;
        deficit -= BigInt(increments[validator] * EFFECTIVE_BALANCE_INCREMENT);
        return true;
      };
      sent.push(...castVotes(ctx, dutySlot, baseOnChain(ctx.chain, lighter, dutySlot), {include: take}));
      if (members.size === 0) this.withheld.delete(dutySlot);
    }
    if (sent.length === 0) return;
    sendVotes(ctx, sent);
    split.releasedVotes += sent.length;
    note(ctx, this.kind, "release", {slot, votes: sent.length, root: lighter, weightA: wa.toString(), weightB: wb.toString()});
  }

  private epochsOf(split: Split): number {
    const end = split.endSlot ?? this.ctx.chain.clock.currentSlot;
    return computeEpochAtSlot(end) - computeEpochAtSlot(split.slot);
  }

  summary(): {text: string; details: Record<string, unknown>} {
    const lasted = this.splits.map((s) => ({...s, epochs: this.epochsOf(s)}));
    const longest = lasted.reduce((m, s) => Math.max(m, s.epochs), 0);
    return {
      text: `${this.splits.length} balancing splits, the longest lasted ${longest} epochs`,
      details: {splits: lasted, longestEpochs: longest},
    };
  }
}
