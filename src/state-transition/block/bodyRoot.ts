/**
 * hash_tree_root of a block body, remembered per body object: the header needs it, and the block
 * root (for the proposer signature and fork choice) is the header's root over the same body root.
 */
import {ssz, type BeaconBlock, type BeaconBlockBody} from "../../types/index.ts";

const roots = new WeakMap<BeaconBlockBody, Uint8Array>();

export function bodyRoot(body: BeaconBlockBody): Uint8Array {
  let root = roots.get(body);
  if (root === undefined) {
    root = ssz.BeaconBlockBody.hashTreeRoot(body);
    roots.set(body, root);
  }
  return root;
}

/** hash_tree_root(block), through the cached body root. */
export function blockRoot(block: BeaconBlock): Uint8Array {
  return ssz.BeaconBlockHeader.hashTreeRoot({
    slot: block.slot,
    proposer_index: block.proposer_index,
    parent_root: block.parent_root,
    state_root: block.state_root,
    body_root: bodyRoot(block.body),
  });
}
