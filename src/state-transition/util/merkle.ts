/** beacon-chain.md compute_merkle_branch_root, is_valid_merkle_branch. */
import {digest64} from "../../crypto/index.ts";
import {bytesEqual} from "../../util/bytes.ts";

export function computeMerkleBranchRoot(leaf: Uint8Array, branch: ArrayLike<Uint8Array>, depth: number, index: number): Uint8Array {
  let value = leaf;
  // index can exceed 2**32 in principle (eth1_deposit_index): shift with division, not bit ops.
  let rest = index;
  for (let i = 0; i < depth; i++) {
    value = rest % 2 === 1 ? digest64(branch[i], value) : digest64(value, branch[i]);
    rest = Math.floor(rest / 2);
  }
  return value;
}

export function isValidMerkleBranch(
  leaf: Uint8Array,
  branch: ArrayLike<Uint8Array>,
  depth: number,
  index: number,
  root: Uint8Array
): boolean {
  if (depth !== branch.length) return false;
  return bytesEqual(computeMerkleBranchRoot(leaf, branch, depth, index), root);
}
