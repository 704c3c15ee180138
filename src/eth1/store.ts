/**
 * What the eth1 follower has read, in the node's level database under meta names starting with
 * "eth1/": the followed blocks still useful for voting, the last followed block, and every
 * deposit in chunks of DEPOSIT_CHUNK. A restart resumes from the last followed block. One
 * follower step is one atomic batch, so the blocks and deposits never disagree after a crash.
 */
import {ByteVectorType, ContainerType, ListCompositeType, UintNumberType} from "@chainsafe/ssz";
import type {BeaconDb, DbOp} from "../db/index.ts";
import {ssz, type DepositData} from "../types/index.ts";

export const DEPOSIT_CHUNK = 256;
const MAX_STORED_BLOCKS = 1 << 16;

const u64 = new UintNumberType(8);
const bytes32 = new ByteVectorType(32);

export const FollowedBlockType = new ContainerType({
  number: u64,
  hash: bytes32,
  parent_hash: bytes32,
  timestamp: u64,
  deposit_count: u64,
  deposit_root: bytes32,
});
export type FollowedBlock = ReturnType<typeof FollowedBlockType.defaultValue>;

const FollowerStateType = new ContainerType({
  deposit_contract: new ByteVectorType(20),
  chain_id: u64,
  /** The next block to read (deploy block at first). */
  next_block: u64,
  deposit_count: u64,
  blocks: new ListCompositeType(FollowedBlockType, MAX_STORED_BLOCKS),
});
export type FollowerState = ReturnType<typeof FollowerStateType.defaultValue>;

let depositChunkType: ListCompositeType<ContainerType<{block_number: UintNumberType; data: typeof ssz.DepositData}>> | undefined;
function depositChunk(): NonNullable<typeof depositChunkType> {
  depositChunkType ??= new ListCompositeType(new ContainerType({block_number: u64, data: ssz.DepositData}), DEPOSIT_CHUNK);
  return depositChunkType;
}

export interface StoredDeposit {
  blockNumber: number;
  data: DepositData;
}

const STATE_KEY = "eth1/follower";
const chunkKey = (chunk: number): string => `eth1/deposits/${chunk}`;

export class Eth1Store {
  private readonly db: BeaconDb;
  constructor(db: BeaconDb) {
    this.db = db;
  }

  async load(): Promise<{state: FollowerState; deposits: StoredDeposit[]} | null> {
    const bytes = await this.db.getMeta(STATE_KEY);
    if (bytes === undefined) return null;
    const state = FollowerStateType.deserialize(bytes);
    const deposits: StoredDeposit[] = [];
    for (let chunk = 0; chunk * DEPOSIT_CHUNK < state.deposit_count; chunk++) {
      const raw = await this.db.getMeta(chunkKey(chunk));
      if (raw === undefined) throw new Error(`eth1 store: deposit chunk ${chunk} is missing`);
      for (const d of depositChunk().deserialize(raw)) deposits.push({blockNumber: d.block_number, data: d.data});
    }
    deposits.length = Math.min(deposits.length, state.deposit_count);
    if (deposits.length !== state.deposit_count) throw new Error(`eth1 store: ${deposits.length} deposits stored, ${state.deposit_count} expected`);
    return {state, deposits};
  }

  /**
   * Writes the state and, when deposits from `fromIndex` on were added, the chunks holding them,
   * as one batch. `deposit(i)` gives deposit i. Deposits past the state's count (after a
   * rollback) may stay in their chunk: load() reads only deposit_count of them.
   */
  async save(state: FollowerState, deposit: (index: number) => StoredDeposit, fromIndex: number): Promise<void> {
    const ops: DbOp[] = [];
    const blocks = state.blocks.length > MAX_STORED_BLOCKS ? state.blocks.slice(-MAX_STORED_BLOCKS) : state.blocks;
    ops.push(this.db.putMetaOp(STATE_KEY, FollowerStateType.serialize({...state, blocks})));
    const count = state.deposit_count;
    for (let chunk = Math.floor(fromIndex / DEPOSIT_CHUNK); fromIndex < count && chunk * DEPOSIT_CHUNK < count; chunk++) {
      const items = [];
      for (let i = chunk * DEPOSIT_CHUNK; i < Math.min(count, (chunk + 1) * DEPOSIT_CHUNK); i++) {
        const d = deposit(i);
        items.push({block_number: d.blockNumber, data: d.data});
      }
      ops.push(this.db.putMetaOp(chunkKey(chunk), depositChunk().serialize(items)));
    }
    await this.db.batch(ops);
  }
}
