/**
 * A node's seen cache of gossip message ids, as gossipsub keeps one: a message is handed to the
 * node's chain at most once while its id is remembered. Ids are forgotten after `ttlMs` in
 * insertion order, so pruning costs O(1) per insert.
 */
export class SeenCache {
  private readonly ttlMs: number;
  private readonly expiry = new Map<string, number>();
  private readonly order: string[] = [];
  private head = 0;

  constructor(ttlMs: number) {
    this.ttlMs = ttlMs;
  }

  has(id: string): boolean {
    return this.expiry.has(id);
  }

  get size(): number {
    return this.expiry.size;
  }

  /** Marks `id` seen at `nowMs`; false if it already was. */
  add(id: string, nowMs: number): boolean {
    this.prune(nowMs);
    if (this.expiry.has(id)) return false;
    this.expiry.set(id, nowMs + this.ttlMs);
    this.order.push(id);
    return true;
  }

  private prune(nowMs: number): void {
    while (this.head < this.order.length) {
      const id = this.order[this.head];
      if (this.expiry.get(id)! > nowMs) break;
      this.expiry.delete(id);
      this.head++;
    }
    // Compact once the forgotten prefix dominates, so the array does not grow for ever.
    if (this.head > 1024 && this.head * 2 > this.order.length) {
      this.order.splice(0, this.head);
      this.head = 0;
    }
  }
}
