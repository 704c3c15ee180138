/**
 * Slashings and voluntary exits waiting for a block. Items are validated before they enter;
 * block production re-checks each against the block's pre-state (a state may have moved on),
 * and items that can never be included again are pruned at finalization.
 */
import type {AttesterSlashing, ProposerSlashing, SignedVoluntaryExit} from "../../types/index.ts";

export class OperationPool {
  /** By proposer index: one slashing per proposer is enough. */
  private readonly proposerSlashings = new Map<number, ProposerSlashing>();
  /** By the sorted intersection of the two attestations' indices. */
  private readonly attesterSlashings = new Map<string, {slashing: AttesterSlashing; indices: number[]}>();
  /** By validator index. */
  private readonly voluntaryExits = new Map<number, SignedVoluntaryExit>();

  hasProposerSlashing(proposerIndex: number): boolean {
    return this.proposerSlashings.has(proposerIndex);
  }

  addProposerSlashing(s: ProposerSlashing): void {
    this.proposerSlashings.set(s.signed_header_1.message.proposer_index, s);
  }

  /** True when every index the slashing can slash is already covered by a pooled one. */
  coversAttesterIndices(indices: number[]): boolean {
    const covered = new Set<number>();
    for (const e of this.attesterSlashings.values()) for (const i of e.indices) covered.add(i);
    return indices.every((i) => covered.has(i));
  }

  addAttesterSlashing(s: AttesterSlashing, slashableIndices: number[]): void {
    const indices = [...slashableIndices].sort((a, b) => a - b);
    this.attesterSlashings.set(indices.join(","), {slashing: s, indices});
  }

  hasVoluntaryExit(validatorIndex: number): boolean {
    return this.voluntaryExits.has(validatorIndex);
  }

  addVoluntaryExit(e: SignedVoluntaryExit): void {
    this.voluntaryExits.set(e.message.validator_index, e);
  }

  getProposerSlashings(): ProposerSlashing[] {
    return [...this.proposerSlashings.values()];
  }

  getAttesterSlashings(): AttesterSlashing[] {
    return [...this.attesterSlashings.values()].map((e) => e.slashing);
  }

  getAttesterSlashingEntries(): {slashing: AttesterSlashing; indices: number[]}[] {
    return [...this.attesterSlashings.values()];
  }

  getVoluntaryExits(): SignedVoluntaryExit[] {
    return [...this.voluntaryExits.values()];
  }

  /**
   * Drops what a finalized state makes pointless: slashings of validators already slashed,
   * exits of validators that already initiated their exit.
   */
  prune(isSlashed: (index: number) => boolean, hasExited: (index: number) => boolean): void {
    for (const [i] of this.proposerSlashings) if (isSlashed(i)) this.proposerSlashings.delete(i);
    for (const [k, e] of this.attesterSlashings) if (e.indices.every(isSlashed)) this.attesterSlashings.delete(k);
    for (const [i] of this.voluntaryExits) if (hasExited(i)) this.voluntaryExits.delete(i);
  }
}
