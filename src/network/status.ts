/** The Status a node announces (p2p-interface.md): its fork digest, finalized checkpoint and head. */
import type {BeaconChain} from "../chain/index.ts";
import type {Status} from "../types/index.ts";

export function statusOf(chain: Pick<BeaconChain, "getHead" | "getFinalizedCheckpoint">, forkDigest: Uint8Array): Status {
  const head = chain.getHead();
  const finalized = chain.getFinalizedCheckpoint();
  return {
    fork_digest: forkDigest,
    // The genesis checkpoint's root is announced as zero.
    finalized_root: finalized.epoch === 0 ? new Uint8Array(32) : finalized.root,
    finalized_epoch: finalized.epoch,
    head_root: head.root,
    head_slot: head.slot,
  };
}
