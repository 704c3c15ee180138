/**
 * The beacon node's embedded database (level). It stores SSZ bytes and knows nothing of
 * consensus: the chain decides what to write, and hands related writes over as one atomic batch
 * so that a kill -9 at any moment leaves either all of them or none.
 */
import {Level} from "level";
import {GnomonError} from "../util/errors.ts";
import {Bucket, bucketRange, key, readU64BE, u64BE} from "./keys.ts";

export class DbError extends GnomonError {
  constructor(message: string, options?: ErrorOptions) {
    super("DB_ERROR", message, options);
  }
}

export type DbOp = {type: "put"; key: Uint8Array; value: Uint8Array} | {type: "del"; key: Uint8Array};

const EMPTY = new Uint8Array(0);

/** level hands back Buffers; callers get plain Uint8Array views of the same memory. */
function plain(v: Uint8Array | undefined): Uint8Array | undefined {
  return v === undefined ? undefined : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}
const utf8 = new TextEncoder();

export class BeaconDb {
  private readonly db: Level<Uint8Array, Uint8Array>;
  readonly path: string;

  private constructor(path: string, db: Level<Uint8Array, Uint8Array>) {
    this.path = path;
    this.db = db;
  }

  static async open(path: string): Promise<BeaconDb> {
    const db = new Level<Uint8Array, Uint8Array>(path, {keyEncoding: "view", valueEncoding: "view"});
    try {
      await db.open();
    } catch (e) {
      const cause = (e as {cause?: Error}).cause;
      throw new DbError(`cannot open database at ${path}: ${cause?.message ?? (e as Error).message}`, {cause: e});
    }
    return new BeaconDb(path, db);
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  /** Applies ops atomically; `sync` waits for the write to reach the disk (fsync). */
  async batch(ops: DbOp[], sync = false): Promise<void> {
    if (ops.length === 0) return;
    await this.db.batch(ops, {sync});
  }

  // ---- blocks ----

  putBlockOps(root: Uint8Array, slot: number, signedBlockSsz: Uint8Array): DbOp[] {
    return [
      {type: "put", key: key(Bucket.block, root), value: signedBlockSsz},
      {type: "put", key: key(Bucket.blockSlot, u64BE(slot), root), value: EMPTY},
    ];
  }

  deleteBlockOps(root: Uint8Array, slot: number): DbOp[] {
    return [
      {type: "del", key: key(Bucket.block, root)},
      {type: "del", key: key(Bucket.blockSlot, u64BE(slot), root)},
    ];
  }

  async getBlock(root: Uint8Array): Promise<Uint8Array | undefined> {
    return plain(await this.db.get(key(Bucket.block, root)));
  }

  async hasBlock(root: Uint8Array): Promise<boolean> {
    return (await this.getBlock(root)) !== undefined;
  }

  /** Roots of stored blocks with slot in [fromSlot, toSlot], ascending by slot. */
  async blockRootsBySlotRange(fromSlot: number, toSlot: number): Promise<{slot: number; root: Uint8Array}[]> {
    const out: {slot: number; root: Uint8Array}[] = [];
    const range = {gte: key(Bucket.blockSlot, u64BE(fromSlot)), lt: key(Bucket.blockSlot, u64BE(toSlot + 1))};
    for await (const k of this.db.keys(range)) {
      out.push({slot: readU64BE(k, 1), root: plain(k.slice(9, 41))!});
    }
    return out;
  }

  // ---- finalized canonical chain index ----

  putFinalizedSlotOp(slot: number, root: Uint8Array): DbOp {
    return {type: "put", key: key(Bucket.finalizedSlot, u64BE(slot)), value: root};
  }

  async getFinalizedRootAtSlot(slot: number): Promise<Uint8Array | undefined> {
    return plain(await this.db.get(key(Bucket.finalizedSlot, u64BE(slot))));
  }

  /** The finalized canonical block at or before `slot` (skipped slots resolve to the previous block). */
  async getFinalizedBlockAtOrBefore(slot: number): Promise<{slot: number; root: Uint8Array} | undefined> {
    const {gte} = bucketRange(Bucket.finalizedSlot);
    for await (const [k, v] of this.db.iterator({gte, lte: key(Bucket.finalizedSlot, u64BE(slot)), reverse: true, limit: 1})) {
      return {slot: readU64BE(k, 1), root: plain(v)!};
    }
    return undefined;
  }

  // ---- states ----

  putCheckpointStateOp(epoch: number, root: Uint8Array, stateSsz: Uint8Array): DbOp {
    return {type: "put", key: key(Bucket.checkpointState, u64BE(epoch), root), value: stateSsz};
  }

  deleteCheckpointStateOp(epoch: number, root: Uint8Array): DbOp {
    return {type: "del", key: key(Bucket.checkpointState, u64BE(epoch), root)};
  }

  async getCheckpointState(epoch: number, root: Uint8Array): Promise<Uint8Array | undefined> {
    return plain(await this.db.get(key(Bucket.checkpointState, u64BE(epoch), root)));
  }

  /** Every stored checkpoint (epoch, root), ascending by epoch. */
  async checkpointStateKeys(): Promise<{epoch: number; root: Uint8Array}[]> {
    const out: {epoch: number; root: Uint8Array}[] = [];
    for await (const k of this.db.keys(bucketRange(Bucket.checkpointState))) {
      out.push({epoch: readU64BE(k, 1), root: plain(k.slice(9, 41))!});
    }
    return out;
  }

  putArchivedStateOp(slot: number, stateSsz: Uint8Array): DbOp {
    return {type: "put", key: key(Bucket.stateArchive, u64BE(slot)), value: stateSsz};
  }

  /** The archived finalized state with the greatest slot <= `slot`. */
  async getArchivedStateAtOrBefore(slot: number): Promise<{slot: number; state: Uint8Array} | undefined> {
    const {gte} = bucketRange(Bucket.stateArchive);
    for await (const [k, v] of this.db.iterator({gte, lte: key(Bucket.stateArchive, u64BE(slot)), reverse: true, limit: 1})) {
      return {slot: readU64BE(k, 1), state: plain(v)!};
    }
    return undefined;
  }

  // ---- meta ----

  putMetaOp(name: string, value: Uint8Array): DbOp {
    return {type: "put", key: key(Bucket.meta, utf8.encode(name)), value};
  }

  async getMeta(name: string): Promise<Uint8Array | undefined> {
    return plain(await this.db.get(key(Bucket.meta, utf8.encode(name))));
  }
}
