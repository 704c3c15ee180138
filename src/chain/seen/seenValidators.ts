/**
 * Validator indices seen in an operation of one kind (p2p voluntary_exit, proposer_slashing,
 * attester_slashing: "the first valid ... received for the validator"). An exit or a slashing
 * concerns a validator once for good, so entries are never pruned; the set is bounded by the
 * validator registry.
 */
export class SeenValidators {
  private readonly indices = new Set<number>();

  has(index: number): boolean {
    return this.indices.has(index);
  }

  /** True when every index of `indices` is seen (an empty list counts as all seen). */
  hasAll(indices: ArrayLike<number>): boolean {
    for (let i = 0; i < indices.length; i++) if (!this.indices.has(indices[i])) return false;
    return true;
  }

  add(index: number): void {
    this.indices.add(index);
  }

  addAll(indices: ArrayLike<number>): void {
    for (let i = 0; i < indices.length; i++) this.indices.add(indices[i]);
  }

  get size(): number {
    return this.indices.size;
  }
}
