/** The on-disk KeyValueStore: a level database in its own directory. */
import {Level} from "level";
import {DbError} from "./errors.ts";
import type {DbOp, KeyValueStore, KvRange} from "./kvStore.ts";

/** level hands back Buffers; callers get plain Uint8Array views of the same memory. */
function plain(v: Uint8Array): Uint8Array {
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

export class LevelStore implements KeyValueStore {
  private readonly db: Level<Uint8Array, Uint8Array>;
  readonly location: string;

  private constructor(location: string, db: Level<Uint8Array, Uint8Array>) {
    this.location = location;
    this.db = db;
  }

  /** Opens (creating if needed) the database at `path`; a locked or corrupt one is a DbError with level's error as cause. */
  static async open(path: string): Promise<LevelStore> {
    const db = new Level<Uint8Array, Uint8Array>(path, {keyEncoding: "view", valueEncoding: "view"});
    try {
      await db.open();
    } catch (e) {
      const cause = (e as {cause?: Error}).cause;
      throw new DbError(`cannot open database at ${path}: ${cause?.message ?? (e as Error).message}`, {cause: e});
    }
    return new LevelStore(path, db);
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

  async batch(ops: DbOp[], sync = false): Promise<void> {
    if (ops.length === 0) return;
    await this.db.batch(ops, {sync});
  }

  async *entries(range: KvRange): AsyncIterable<[Uint8Array, Uint8Array]> {
    for await (const [k, v] of this.db.iterator(range)) yield [plain(k), plain(v)];
  }

  async *keys(range: KvRange): AsyncIterable<Uint8Array> {
    for await (const k of this.db.keys(range)) yield plain(k);
  }

  async clear(range: KvRange): Promise<void> {
    await this.db.clear(range);
  }

  /** Asks level to compact [gte, lt) after a large delete, so the deleted data leaves the disk. */
  async compact(gte: Uint8Array, lt: Uint8Array): Promise<void> {
    const db = this.db as unknown as {compactRange?: (a: Uint8Array, b: Uint8Array) => Promise<void>};
    if (typeof db.compactRange === "function") await db.compactRange(gte, lt);
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
