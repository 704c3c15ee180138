/**
 * The deposit contract's incremental Merkle tree (deposit-contract.md; the contract's `branch`
 * array): appending a leaf and reading the root cost O(depth), and so does the proof of the
 * newest leaf, which is what genesis needs. `initialize_beacon_state_from_eth1` checks deposit i
 * against the root of the first i+1 leaves, where deposit i is the last leaf: every right-hand
 * sibling on its path is an empty subtree.
 */
import {digest64} from "../../crypto/index.ts";
import {lengthChunk, zeroHashes} from "../../eth1/depositTree.ts";
import {DEPOSIT_CONTRACT_TREE_DEPTH} from "../../params/index.ts";

export class DepositTree {
  /** branch[h]: root of the newest complete subtree of height h left of the insertion point. */
  private readonly branch: Uint8Array[] = Array.from({length: DEPOSIT_CONTRACT_TREE_DEPTH}, () => new Uint8Array(32));
  private size = 0;

  get count(): number {
    return this.size;
  }

  /**
   * Appends `leaf` (a DepositData root) and returns its proof against the root of the tree as it
   * is after the append: DEPOSIT_CONTRACT_TREE_DEPTH siblings, then the length mix-in.
   */
  push(leaf: Uint8Array): Uint8Array[] {
    const zero = zeroHashes();
    const index = this.size;
    const proof: Uint8Array[] = [];
    for (let h = 0; h < DEPOSIT_CONTRACT_TREE_DEPTH; h++) {
      proof.push(Math.floor(index / 2 ** h) % 2 === 1 ? this.branch[h] : zero[h]);
    }
    proof.push(lengthChunk(index + 1));

    // The contract's deposit(): store the node at the first level where it is a left child.
    let node = leaf;
    let size = index + 1;
    for (let h = 0; h < DEPOSIT_CONTRACT_TREE_DEPTH; h++) {
      if (size % 2 === 1) {
        this.branch[h] = node;
        break;
      }
      node = digest64(this.branch[h], node);
      size = Math.floor(size / 2);
    }
    this.size = index + 1;
    return proof;
  }

  /** hash_tree_root(List[DepositData, 2**DEPOSIT_CONTRACT_TREE_DEPTH]) of the leaves so far. */
  root(): Uint8Array {
    const zero = zeroHashes();
    let node = zero[0];
    let size = this.size;
    for (let h = 0; h < DEPOSIT_CONTRACT_TREE_DEPTH; h++) {
      node = size % 2 === 1 ? digest64(this.branch[h], node) : digest64(node, zero[h]);
      size = Math.floor(size / 2);
    }
    return digest64(node, lengthChunk(this.size));
  }
}
