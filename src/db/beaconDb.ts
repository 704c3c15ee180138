/**
 * The beacon node's embedded database. It stores SSZ bytes and knows nothing of consensus: the
 * chain decides what to write, and hands related writes over as one atomic batch so that a
 * kill -9 at any moment leaves either all of them or none. It runs on any KeyValueStore: level
 * on disk (open), or memory (inMemory) for a node that needs no disk.
 */
import {DbError} from "./errors.ts";
import {Bucket, bucketRange, key, readU64BE, u64BE} from "./keys.ts";
import type {DbOp, KeyValueStore} from "./kvStore.ts";
import {LevelStore} from "./levelStore.ts";
import {MemoryStore} from "./memoryStore.ts";

export {DbError, type DbOp};

const EMPTY = new Uint8Array(0);
const utf8 = new TextEncoder();

export class BeaconDb {
  private readonly db: KeyValueStore;
  /** The directory of a level database, or the name of a memory one. */
  readonly path: string;

  constructor(store: KeyValueStore) {
    this.path = store.location;
    this.db = store;
  }

  /** The level database at `path` (created if missing). */
  static async open(path: string): Promise<BeaconDb> {
    return new BeaconDb(await LevelStore.open(path));
  }

  /** An empty database in memory: same semantics as on disk, gone when the process ends. */
  static inMemory(name?: string): BeaconDb {
    return new BeaconDb(new MemoryStore(name));
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  /** Applies ops atomically; `sync` waits for the write to reach the disk (fsync). */
  async batch(ops: DbOp[], sync = false): Promise<void> {
    await this.db.batch(ops, sync);
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
    return await this.db.get(key(Bucket.block, root));
  }

  async hasBlock(root: Uint8Array): Promise<boolean> {
    return (await this.getBlock(root)) !== undefined;
  }

  /** Roots of stored blocks with slot in [fromSlot, toSlot], ascending by slot. */
  async blockRootsBySlotRange(fromSlot: number, toSlot: number): Promise<{slot: number; root: Uint8Array}[]> {
    const out: {slot: number; root: Uint8Array}[] = [];
    const range = {gte: key(Bucket.blockSlot, u64BE(fromSlot)), lt: key(Bucket.blockSlot, u64BE(toSlot + 1))};
    for await (const k of this.db.keys(range)) {
      out.push({slot: readU64BE(k, 1), root: k.slice(9, 41)});
    }
    return out;
  }

  // ---- finalized canonical chain index ----

  putFinalizedSlotOp(slot: number, root: Uint8Array): DbOp {
    return {type: "put", key: key(Bucket.finalizedSlot, u64BE(slot)), value: root};
  }

  async getFinalizedRootAtSlot(slot: number): Promise<Uint8Array | undefined> {
    return await this.db.get(key(Bucket.finalizedSlot, u64BE(slot)));
  }

  /** The finalized canonical block at or before `slot` (skipped slots resolve to the previous block). */
  async getFinalizedBlockAtOrBefore(slot: number): Promise<{slot: number; root: Uint8Array} | undefined> {
    const {gte} = bucketRange(Bucket.finalizedSlot);
    for await (const [k, v] of this.db.entries({gte, lte: key(Bucket.finalizedSlot, u64BE(slot)), reverse: true, limit: 1})) {
      return {slot: readU64BE(k, 1), root: v};
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
    return await this.db.get(key(Bucket.checkpointState, u64BE(epoch), root));
  }

  /** Every stored checkpoint (epoch, root), ascending by epoch. */
  async checkpointStateKeys(): Promise<{epoch: number; root: Uint8Array}[]> {
    const out: {epoch: number; root: Uint8Array}[] = [];
    for await (const k of this.db.keys(bucketRange(Bucket.checkpointState))) {
      out.push({epoch: readU64BE(k, 1), root: k.slice(9, 41)});
    }
    return out;
  }

  putArchivedStateOp(slot: number, stateSsz: Uint8Array): DbOp {
    return {type: "put", key: key(Bucket.stateArchive, u64BE(slot)), value: stateSsz};
  }

  /** The archived finalized state with the greatest slot <= `slot`. */
  async getArchivedStateAtOrBefore(slot: number): Promise<{slot: number; state: Uint8Array} | undefined> {
    const {gte} = bucketRange(Bucket.stateArchive);
    for await (const [k, v] of this.db.entries({gte, lte: key(Bucket.stateArchive, u64BE(slot)), reverse: true, limit: 1})) {
      return {slot: readU64BE(k, 1), state: v};
    }
    return undefined;
  }

  // ---- meta ----

  putMetaOp(name: string, value: Uint8Array): DbOp {
    return {type: "put", key: key(Bucket.meta, utf8.encode(name)), value};
  }

  async getMeta(name: string): Promise<Uint8Array | undefined> {
    return await this.db.get(key(Bucket.meta, utf8.encode(name)));
  }
}
