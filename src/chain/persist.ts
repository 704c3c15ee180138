/**
 * What the chain keeps in the database's meta bucket, and the batches that write it. The anchor
 * (the finalized block's post-state, the block root and the finalized checkpoint) is always
 * replaced as one batch, so a restart finds either the old anchor or the new one, never a mix.
 */
import type {BeaconDb, DbOp} from "../db/index.ts";
import {ssz, type BeaconStateView, type Checkpoint, type SignedBeaconBlock} from "../types/index.ts";
import {fromHex, toHex} from "../util/bytes.ts";

const META = {
  anchorState: "anchor_state",
  anchorBlockRoot: "anchor_block_root",
  finalizedCheckpoint: "finalized_checkpoint",
  genesisBlockRoot: "genesis_block_root",
  network: "network",
  oldestBlock: "oldest_block",
} as const;

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** The network a data dir was created for: its preset and the config keys that differ from the preset's base config. */
export interface StoredNetwork {
  preset: string;
  configOverrides: Record<string, string>;
}

export interface StoredAnchor {
  stateBytes: Uint8Array;
  blockRoot: Uint8Array;
  finalizedCheckpoint: Checkpoint;
  genesisBlockRoot: Uint8Array;
}

export async function readStoredNetwork(db: BeaconDb): Promise<StoredNetwork | null> {
  const bytes = await db.getMeta(META.network);
  if (bytes === undefined) return null;
  return JSON.parse(utf8Decoder.decode(bytes)) as StoredNetwork;
}

export function putNetworkOp(db: BeaconDb, network: StoredNetwork): DbOp {
  return db.putMetaOp(META.network, utf8.encode(JSON.stringify(network)));
}

export async function readAnchor(db: BeaconDb): Promise<StoredAnchor | null> {
  const [stateBytes, blockRoot, cp, genesisBlockRoot] = await Promise.all([
    db.getMeta(META.anchorState),
    db.getMeta(META.anchorBlockRoot),
    db.getMeta(META.finalizedCheckpoint),
    db.getMeta(META.genesisBlockRoot),
  ]);
  if (stateBytes === undefined || blockRoot === undefined || cp === undefined || genesisBlockRoot === undefined) return null;
  return {stateBytes, blockRoot, finalizedCheckpoint: ssz.Checkpoint.deserialize(cp), genesisBlockRoot};
}

/** Ops that replace the anchor: the finalized block's post-state, its root and the finalized checkpoint. */
export function putAnchorOps(db: BeaconDb, stateBytes: Uint8Array, blockRoot: Uint8Array, finalized: Checkpoint): DbOp[] {
  return [
    db.putMetaOp(META.anchorState, stateBytes),
    db.putMetaOp(META.anchorBlockRoot, blockRoot),
    db.putMetaOp(META.finalizedCheckpoint, ssz.Checkpoint.serialize(finalized)),
  ];
}

/** The spec's genesis block: an empty body on top of the genesis state (get_forkchoice_store's anchor). */
export function genesisBlock(genesisState: BeaconStateView): SignedBeaconBlock {
  const block = ssz.BeaconBlock.defaultValue();
  block.state_root = genesisState.hashTreeRoot();
  return {message: block, signature: new Uint8Array(96)};
}

/**
 * The first write of a new data dir: the genesis block (indexed as finalized slot 0), the genesis
 * state (archived at slot 0 and as the anchor), and the network it belongs to. One batch.
 */
export function initGenesisOps(db: BeaconDb, genesisState: BeaconStateView, network: StoredNetwork): {ops: DbOp[]; blockRoot: Uint8Array} {
  const signed = genesisBlock(genesisState);
  const blockRoot = ssz.BeaconBlock.hashTreeRoot(signed.message);
  const stateBytes = genesisState.serialize();
  const ops: DbOp[] = [
    ...db.putBlockOps(blockRoot, genesisState.slot, ssz.SignedBeaconBlock.serialize(signed)),
    db.putFinalizedSlotOp(genesisState.slot, blockRoot),
    db.putArchivedStateOp(genesisState.slot, stateBytes),
    ...putAnchorOps(db, stateBytes, blockRoot, {epoch: 0, root: blockRoot}),
    db.putMetaOp(META.genesisBlockRoot, blockRoot),
    putNetworkOp(db, network),
  ];
  return {ops, blockRoot};
}

/**
 * A finalized block and its post-state from elsewhere (checkpoint sync), to start a chain from
 * instead of genesis. `checkpoint` is the finalized checkpoint the block is the root of.
 */
export interface CheckpointAnchor {
  state: BeaconStateView;
  block: SignedBeaconBlock;
  checkpoint: Checkpoint;
  /** The chain's genesis block root, as the source reported it (the anchor state cannot prove it). */
  genesisBlockRoot: Uint8Array;
}

/** The oldest block the database holds: genesis, or a checkpoint anchor until backfill reaches further back. */
export interface OldestBlock {
  slot: number;
  root: Uint8Array;
}

export async function readOldestBlock(db: BeaconDb): Promise<OldestBlock | null> {
  const bytes = await db.getMeta(META.oldestBlock);
  if (bytes === undefined) return null;
  const o = JSON.parse(utf8Decoder.decode(bytes)) as {slot: number; root: string};
  return {slot: o.slot, root: fromHex(o.root, 32)};
}

/** Backfill lowers the oldest block in the same batch that stores the blocks below it. */
export function putOldestBlockOp(db: BeaconDb, oldest: OldestBlock): DbOp {
  return db.putMetaOp(META.oldestBlock, utf8.encode(JSON.stringify({slot: oldest.slot, root: toHex(oldest.root)})));
}

/**
 * The first write of a checkpoint-synced data dir: the anchor block (indexed as finalized), its
 * post-state (archived and as the anchor), the genesis block root, the network, and the anchor as
 * the oldest stored block. One batch.
 */
export function initCheckpointOps(db: BeaconDb, anchor: CheckpointAnchor, network: StoredNetwork): DbOp[] {
  const blockRoot = ssz.BeaconBlock.hashTreeRoot(anchor.block.message);
  const slot = anchor.block.message.slot;
  const stateBytes = anchor.state.serialize();
  return [
    ...db.putBlockOps(blockRoot, slot, ssz.SignedBeaconBlock.serialize(anchor.block)),
    db.putFinalizedSlotOp(slot, blockRoot),
    db.putArchivedStateOp(slot, stateBytes),
    ...putAnchorOps(db, stateBytes, blockRoot, anchor.checkpoint),
    db.putMetaOp(META.genesisBlockRoot, anchor.genesisBlockRoot),
    putNetworkOp(db, network),
    putOldestBlockOp(db, {slot, root: blockRoot}),
  ];
}
