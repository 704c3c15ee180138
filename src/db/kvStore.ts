/**
 * The key-value storage the beacon database sits on. Keys sort bytewise; a batch is atomic (all of
 * it or none survives a crash, and no reader sees half of it); values come back byte-exact and
 * are never shared with the caller's buffers. Two backends: level on disk, and memory, for tests
 * and simulations that run whole nodes without a disk.
 */
export type DbOp = {type: "put"; key: Uint8Array; value: Uint8Array} | {type: "del"; key: Uint8Array};

/** Bounds of an ordered iteration: at most one lower and one upper bound; limit counts entries. */
export interface KvRange {
  gte?: Uint8Array;
  gt?: Uint8Array;
  lte?: Uint8Array;
  lt?: Uint8Array;
  reverse?: boolean;
  limit?: number;
}

export interface KeyValueStore {
  /** Where the data lives: a directory, or a name for a memory store. */
  readonly location: string;
  get(key: Uint8Array): Promise<Uint8Array | undefined>;
  getMany(keys: Uint8Array[]): Promise<(Uint8Array | undefined)[]>;
  /** Applies ops in order, atomically; `sync` waits until the write is on the disk (fsync). */
  batch(ops: DbOp[], sync?: boolean): Promise<void>;
  /** Entries in the range, in key order (descending if reverse), as of the call. */
  entries(range: KvRange): AsyncIterable<[Uint8Array, Uint8Array]>;
  /** The keys alone (no value is read: cheap where values are states). */
  keys(range: KvRange): AsyncIterable<Uint8Array>;
  /** Deletes every key in the range (reverse and limit apply as in entries). */
  clear(range: KvRange): Promise<void>;
  close(): Promise<void>;
}
