/**
 * Duties per epoch, fetched once and kept with the dependent root they were computed from.
 * `invalidate` starts a fresh fetch (a re-org changed the dependent root); an older fetch still
 * in flight then loses: only the newest answer is stored.
 */
export interface Fetched<T> {
  /** null when nothing was asked of the node (no known validator), so nothing can go stale. */
  dependentRoot: Uint8Array | null;
  value: T;
}

interface Entry<T> {
  promise: Promise<T>;
  settled: Fetched<T> | null;
}

export class EpochCache<T> {
  private readonly fetchFn: (epoch: number) => Promise<Fetched<T>>;
  private readonly entries = new Map<number, Entry<T>>();

  constructor(fetchFn: (epoch: number) => Promise<Fetched<T>>) {
    this.fetchFn = fetchFn;
  }

  /** The duties of `epoch`: cached, in flight, or fetched now. A failed fetch is forgotten. */
  get(epoch: number): Promise<T> {
    return (this.entries.get(epoch) ?? this.start(epoch)).promise;
  }

  /** Stored duties, if fetched. */
  peek(epoch: number): Fetched<T> | null {
    return this.entries.get(epoch)?.settled ?? null;
  }

  has(epoch: number): boolean {
    return this.entries.has(epoch);
  }

  /** Re-fetches `epoch` (whether or not it was cached) and returns the new answer. */
  invalidate(epoch: number): Promise<T> {
    return this.start(epoch).promise;
  }

  /** Forgets everything (e.g. the set of known validator indices changed). */
  clear(): void {
    this.entries.clear();
  }

  /** Forgets epochs below `minEpoch`. */
  prune(minEpoch: number): void {
    for (const epoch of this.entries.keys()) if (epoch < minEpoch) this.entries.delete(epoch);
  }

  epochs(): number[] {
    return [...this.entries.keys()].sort((a, b) => a - b);
  }

  private start(epoch: number): Entry<T> {
    const entry: Entry<T> = {settled: null, promise: null as unknown as Promise<T>};
    entry.promise = this.fetchFn(epoch).then(
      (fetched) => {
        const current = this.entries.get(epoch);
        if (current === entry) {
          entry.settled = fetched;
          return fetched.value;
        }
        // Superseded: whoever awaited this entry gets the newer answer.
        return current === undefined ? fetched.value : current.promise;
      },
      (e: unknown) => {
        if (this.entries.get(epoch) === entry) this.entries.delete(epoch);
        throw e;
      }
    );
    this.entries.set(epoch, entry);
    return entry;
  }
}
