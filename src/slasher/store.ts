/**
 * The slasher's key-value storage: its own level database (a separate directory, so its heavy
 * writes never compact together with the chain's), or memory for tests and benchmarks that
 * measure the algorithm alone. Both are the node's KeyValueStore backends (src/db); SlasherStore
 * is the part of them the slasher uses, with its ranges as [gte, lt). Keys sort bytewise.
 */
import {DbError, LevelStore, MemoryStore, type DbOp, type KeyValueStore} from "../db/index.ts";
import {GnomonError} from "../util/errors.ts";

export class SlasherDbError extends GnomonError {
  constructor(message: string, options?: ErrorOptions) {
    super("SLASHER_DB_ERROR", message, options);
  }
}

export type StoreOp = DbOp;

export interface SlasherStore {
  get(key: Uint8Array): Promise<Uint8Array | undefined>;
  getMany(keys: Uint8Array[]): Promise<(Uint8Array | undefined)[]>;
  /** Atomic: all or none survive a crash. */
  batch(ops: StoreOp[]): Promise<void>;
  /** Entries with gte <= key < lt, ascending. */
  entries(gte: Uint8Array, lt: Uint8Array): AsyncIterable<[Uint8Array, Uint8Array]>;
  /** Deletes every key in [gte, lt). */
  clear(gte: Uint8Array, lt: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

class KvSlasherStore implements SlasherStore {
  private readonly kv: KeyValueStore;

  constructor(kv: KeyValueStore) {
    this.kv = kv;
  }

  get(key: Uint8Array): Promise<Uint8Array | undefined> {
    return this.kv.get(key);
  }

  getMany(keys: Uint8Array[]): Promise<(Uint8Array | undefined)[]> {
    return this.kv.getMany(keys);
  }

  batch(ops: StoreOp[]): Promise<void> {
    return this.kv.batch(ops);
  }

  entries(gte: Uint8Array, lt: Uint8Array): AsyncIterable<[Uint8Array, Uint8Array]> {
    return this.kv.entries({gte, lt});
  }

  clear(gte: Uint8Array, lt: Uint8Array): Promise<void> {
    return this.kv.clear({gte, lt});
  }

  close(): Promise<void> {
    return this.kv.close();
  }
}

export class LevelSlasherStore extends KvSlasherStore {
  private readonly level: LevelStore;
  readonly path: string;

  private constructor(level: LevelStore) {
    super(level);
    this.level = level;
    this.path = level.location;
  }

  static async open(path: string): Promise<LevelSlasherStore> {
    try {
      return new LevelSlasherStore(await LevelStore.open(path));
    } catch (e) {
      if (!(e instanceof DbError)) throw e;
      const levelError = e.cause as {cause?: Error; message: string};
      throw new SlasherDbError(`cannot open the slasher database at ${path}: ${levelError.cause?.message ?? levelError.message}`, {cause: levelError});
    }
  }

  /** Asks level to compact [gte, lt) after a prune, so deleted history leaves the disk. */
  compact(gte: Uint8Array, lt: Uint8Array): Promise<void> {
    return this.level.compact(gte, lt);
  }
}

export class MemorySlasherStore extends KvSlasherStore {
  private readonly memory: MemoryStore;

  constructor() {
    const memory = new MemoryStore("slasher");
    super(memory);
    this.memory = memory;
  }

  /** Bytes of keys and values held (the benchmark's in-memory size). */
  byteSize(): number {
    return this.memory.byteSize();
  }
}
