/**
 * Proposers seen per slot (p2p beacon_block: "the first block with valid signature received for
 * the slot and proposer"). Kept from the finalized slot on; older slots are refused by the
 * finalized-slot check before this cache is asked.
 */
export class SeenBlockProposers {
  private readonly bySlot = new Map<number, Set<number>>();
  private lowestSlot = 0;

  has(slot: number, proposerIndex: number): boolean {
    return this.bySlot.get(slot)?.has(proposerIndex) ?? false;
  }

  add(slot: number, proposerIndex: number): void {
    if (slot < this.lowestSlot) return;
    let s = this.bySlot.get(slot);
    if (s === undefined) {
      s = new Set();
      this.bySlot.set(slot, s);
    }
    s.add(proposerIndex);
  }

  pruneBefore(slot: number): void {
    this.lowestSlot = Math.max(this.lowestSlot, slot);
    for (const s of this.bySlot.keys()) if (s < slot) this.bySlot.delete(s);
  }
}
