/** A Map-backed LRU: `get` refreshes an entry, `set` evicts the least recently used beyond `max`. */
export class LruCache<K, V> {
  private readonly map = new Map<K, V>();
  readonly max: number;
  private readonly onEvict: ((key: K, value: V) => void) | undefined;

  constructor(max: number, onEvict?: (key: K, value: V) => void) {
    if (!(max >= 1)) throw new RangeError("LRU size must be at least 1");
    this.max = max;
    this.onEvict = onEvict;
  }

  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  /** Reads without refreshing the entry's recency. */
  peek(key: K): V | undefined {
    return this.map.get(key);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  set(key: K, value: V): void {
    if (this.map.has(key)) this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.max) {
      const oldest = this.map.keys().next().value as K;
      const ov = this.map.get(oldest) as V;
      this.map.delete(oldest);
      this.onEvict?.(oldest, ov);
    }
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  /** Removes every entry for which `drop` returns true. */
  prune(drop: (key: K, value: V) => boolean): void {
    for (const [k, v] of this.map) if (drop(k, v)) this.map.delete(k);
  }

  keys(): IterableIterator<K> {
    return this.map.keys();
  }

  get size(): number {
    return this.map.size;
  }

  clear(): void {
    this.map.clear();
  }
}
