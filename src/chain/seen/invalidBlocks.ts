/**
 * Roots of blocks that failed the state transition after their proposer signature verified
 * (so the root cannot be a forgery of someone else's block: the body is in the root). The p2p
 * rules REJECT a block whose parent failed validation and an attestation voting for such a block.
 * Bounded: the oldest roots are forgotten first.
 */
export class InvalidBlocks {
  private readonly roots = new Set<string>();
  private readonly max: number;

  constructor(max = 1024) {
    this.max = max;
  }

  has(rootHex: string): boolean {
    return this.roots.has(rootHex);
  }

  add(rootHex: string): void {
    this.roots.delete(rootHex);
    this.roots.add(rootHex);
    if (this.roots.size > this.max) this.roots.delete(this.roots.values().next().value as string);
  }

  get size(): number {
    return this.roots.size;
  }
}
