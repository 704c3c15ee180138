/**
 * The in-memory KeyValueStore, with level's semantics: bytewise key order, atomic batches,
 * iterators that see the data as of their start, values copied in and out. A whole node can run
 * on it (tests, the simulator); nothing survives the process.
 */
import {DbError} from "./errors.ts";
import type {DbOp, KeyValueStore, KvRange} from "./kvStore.ts";

// latin1 maps each byte to one UTF-16 unit of the same value, so string order is byte order.
const toKey = (k: Uint8Array): string => Buffer.from(k.buffer, k.byteOffset, k.byteLength).toString("latin1");
const fromKey = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, "latin1"));

export class MemoryStore implements KeyValueStore {
  readonly location: string;
  private readonly values = new Map<string, Uint8Array>();
  /** Every key, ascending. */
  private readonly sorted: string[] = [];
  private closed = false;

  constructor(name = "memory") {
    this.location = name;
  }

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    this.assertOpen();
    return this.values.get(toKey(key))?.slice();
  }

  async getMany(keys: Uint8Array[]): Promise<(Uint8Array | undefined)[]> {
    this.assertOpen();
    return keys.map((k) => this.values.get(toKey(k))?.slice());
  }

  async batch(ops: DbOp[], _sync = false): Promise<void> {
    this.assertOpen();
    // Checked before anything is applied: a bad op leaves the store as it was, as level does.
    for (const op of ops) {
      if (!(op.key instanceof Uint8Array) || (op.type === "put" && !(op.value instanceof Uint8Array))) {
        throw new DbError(`batch op ${op.type}: key and value must be byte arrays`);
      }
    }
    for (const op of ops) {
      const k = toKey(op.key);
      if (op.type === "put") {
        if (!this.values.has(k)) this.sorted.splice(this.lowerBound(k), 0, k);
        this.values.set(k, op.value.slice());
      } else if (this.values.delete(k)) {
        this.sorted.splice(this.lowerBound(k), 1);
      }
    }
  }

  async *entries(range: KvRange): AsyncIterable<[Uint8Array, Uint8Array]> {
    // Values are taken now, not lazily: a later write must not show through (level's snapshot).
    const snapshot = this.select(range).map((k) => [k, this.values.get(k)!] as const);
    for (const [k, v] of snapshot) yield [fromKey(k), v.slice()];
  }

  async *keys(range: KvRange): AsyncIterable<Uint8Array> {
    for (const k of this.select(range)) yield fromKey(k);
  }

  async clear(range: KvRange): Promise<void> {
    const doomed = this.select(range);
    await this.batch(doomed.map((k) => ({type: "del", key: fromKey(k)})));
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** Bytes of keys and values held. */
  byteSize(): number {
    let n = 0;
    for (const [k, v] of this.values) n += k.length + v.length;
    return n;
  }

  private assertOpen(): void {
    if (this.closed) throw new DbError(`the database ${this.location} is closed`);
  }

  /** Index of the first key >= k. */
  private lowerBound(k: string): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid] < k) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The keys in range, in iteration order, as of now. */
  private select(range: KvRange): string[] {
    this.assertOpen();
    let from = 0;
    let to = this.sorted.length;
    if (range.gte !== undefined) from = this.lowerBound(toKey(range.gte));
    else if (range.gt !== undefined) {
      const g = toKey(range.gt);
      from = this.lowerBound(g);
      if (this.sorted[from] === g) from++;
    }
    if (range.lt !== undefined) to = this.lowerBound(toKey(range.lt));
    else if (range.lte !== undefined) {
      const l = toKey(range.lte);
      to = this.lowerBound(l);
      if (this.sorted[to] === l) to++;
    }
    if (from >= to) return [];
    const keys = this.sorted.slice(from, to);
    if (range.reverse === true) keys.reverse();
    const limit = range.limit ?? -1;
    return limit >= 0 && limit !== Infinity ? keys.slice(0, limit) : keys;
  }
}
