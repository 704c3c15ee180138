/**
 * What sync needs from the chain: the head and finalized checkpoint to know where it stands,
 * whether a block is known, and the chain's normal block import. `syncChainOf` adapts the
 * BeaconChain; tests use the same adapter on a real chain.
 */
import type {BeaconChain, ImportedBlock, ImportSource} from "../chain/index.ts";
import type {Checkpoint, SignedBeaconBlock} from "../types/index.ts";
import {toHex} from "../util/bytes.ts";

export interface SyncChain {
  currentSlot(): number;
  getHead(): {root: Uint8Array; slot: number};
  getFinalizedCheckpoint(): Checkpoint;
  hasBlock(root: Uint8Array): boolean;
  processBlock(signed: SignedBeaconBlock, source: ImportSource): Promise<ImportedBlock>;
}

export function syncChainOf(chain: BeaconChain): SyncChain {
  return {
    currentSlot: () => chain.currentSlot(),
    getHead: () => chain.getHead(),
    getFinalizedCheckpoint: () => chain.getFinalizedCheckpoint(),
    hasBlock: (root) => chain.forkChoice.hasBlock(toHex(root)),
    processBlock: (signed, source) => chain.processBlock(signed, source),
  };
}

/** What the node reports (API /node/syncing, the status line). */
export const SyncState = {
  /** A peer is ahead: range sync is downloading and importing. */
  Syncing: "syncing",
  /** No peer knows a head we lack. */
  Synced: "synced",
} as const;
export type SyncState = (typeof SyncState)[keyof typeof SyncState];
