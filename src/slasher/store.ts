/**
 * The slasher's key-value storage: its own level database (a separate directory, so its heavy
 * writes never compact together with the chain's), or an in-memory map of the same behaviour
 * for tests and benchmarks that measure the algorithm alone. Keys sort bytewise.
 */
import {Level} from "level";
import {GnomonError} from "../util/errors.ts";

export class SlasherDbError extends GnomonError {
  constructor(message: string, options?: ErrorOptions) {
    super("SLASHER_DB_ERROR", message, options);
  }
}

export type StoreOp = {type: "put"; key: Uint8Array; value: Uint8Array} | {type: "del"; key: Uint8Array};

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

function plain(v: Uint8Array): Uint8Array {
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

export class LevelSlasherStore implements SlasherStore {
  private readonly db: Level<Uint8Array, Uint8Array>;
  readonly path: string;

  private constructor(path: string, db: Level<Uint8Array, Uint8Array>) {
    this.path = path;
    this.db = db;
  }

  static async open(path: string): Promise<LevelSlasherStore> {
    const db = new Level<Uint8Array, Uint8Array>(path, {keyEncoding: "view", valueEncoding: "view"});
    try {
      await db.open();
    } catch (e) {
      const cause = (e as {cause?: Error}).cause;
      throw new SlasherDbError(`cannot open the slasher database at ${path}: ${cause?.message ?? (e as Error).message}`, {cause: e});
    }
    return new LevelSlasherStore(path, db);
  }

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    const v = await this.db.get(key);
    return v === undefined ? undefined : plain(v);
  }

  async getMany(keys: Uint8Array[]): Promise<(Uint8Array | undefined)[]> {
    if (keys.length === 0) return [];
    const values = await this.db.getMany(keys);
    return values.map((v) => (v === undefined ? undefined : plain(v)));
  }

  async batch(ops: StoreOp[]): Promise<void> {
    if (ops.length > 0) await this.db.batch(ops);
  }

  async *entries(gte: Uint8Array, lt: Uint8Array): AsyncIterable<[Uint8Array, Uint8Array]> {
    for await (const [k, v] of this.db.iterator({gte, lt})) yield [plain(k), plain(v)];
  }

  async clear(gte: Uint8Array, lt: Uint8Array): Promise<void> {
    await this.db.clear({gte, lt});
  }

  /** Asks level to compact [gte, lt) after a prune, so deleted history leaves the disk. */
  async compact(gte: Uint8Array, lt: Uint8Array): Promise<void> {
    const db = this.db as unknown as {compactRange?: (a: Uint8Array, b: Uint8Array) => Promise<void>};
    if (typeof db.compactRange === "function") await db.compactRange(gte, lt);
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

const hex = (k: Uint8Array): string => Buffer.from(k.buffer, k.byteOffset, k.byteLength).toString("latin1");
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, "latin1"));

export class MemorySlasherStore implements SlasherStore {
  private readonly map = new Map<string, Uint8Array>();

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    return this.map.get(hex(key));
  }

  async getMany(keys: Uint8Array[]): Promise<(Uint8Array | undefined)[]> {
    return keys.map((k) => this.map.get(hex(k)));
  }

  async batch(ops: StoreOp[]): Promise<void> {
    for (const op of ops) {
      if (op.type === "put") this.map.set(hex(op.key), op.value.slice());
      else this.map.delete(hex(op.key));
    }
  }

  async *entries(gte: Uint8Array, lt: Uint8Array): AsyncIterable<[Uint8Array, Uint8Array]> {
    const lo = hex(gte);
    const hi = hex(lt);
    const keys = [...this.map.keys()].filter((k) => k >= lo && k < hi).sort();
    for (const k of keys) {
      const v = this.map.get(k);
      if (v !== undefined) yield [unhex(k), v];
    }
  }

  async clear(gte: Uint8Array, lt: Uint8Array): Promise<void> {
    const lo = hex(gte);
    const hi = hex(lt);
    for (const k of [...this.map.keys()]) if (k >= lo && k < hi) this.map.delete(k);
  }

  /** Bytes of keys and values held (the benchmark's in-memory size). */
  byteSize(): number {
    let n = 0;
    for (const [k, v] of this.map) n += k.length + v.length;
    return n;
  }

  async close(): Promise<void> {}
}
