import {strict as assert} from "node:assert";
import {ListCompositeType} from "@chainsafe/ssz";
import {digest} from "../../../src/crypto/index.ts";
import {DEPOSIT_CONTRACT_TREE_DEPTH} from "../../../src/params/index.ts";
import {primitive} from "../../../src/types/index.ts";
import {isValidMerkleBranch} from "../../../src/state-transition/util/merkle.ts";
import {DepositTree} from "../../../src/node/genesis/depositTree.ts";
import {toHex} from "../../../src/util/bytes.ts";

// The deposit root is hash_tree_root(List[DepositData, 2**32]); a list of the leaves' roots
// as Bytes32 merkleizes identically, so it serves as the independent reference.
const DepositRoots = new ListCompositeType(primitive.Bytes32, 2 ** DEPOSIT_CONTRACT_TREE_DEPTH);

function leaf(i: number): Uint8Array {
  return digest(Uint8Array.of(i & 0xff, (i >> 8) & 0xff, 0x1e));
}

describe("genesis / DepositTree", () => {
  it("the empty tree has the root of the empty deposit list", () => {
    assert.equal(toHex(new DepositTree().root()), toHex(DepositRoots.hashTreeRoot([])));
  });

  it("root and newest-leaf proof match the SSZ list after every append (0..70)", () => {
    const tree = new DepositTree();
    const leaves: Uint8Array[] = [];
    for (let i = 0; i < 70; i++) {
      leaves.push(leaf(i));
      const proof = tree.push(leaves[i]);
      const root = DepositRoots.hashTreeRoot(leaves);
      assert.equal(toHex(tree.root()), toHex(root), `root after ${i + 1} leaves`);
      assert.equal(proof.length, DEPOSIT_CONTRACT_TREE_DEPTH + 1);
      assert.ok(isValidMerkleBranch(leaves[i], proof, DEPOSIT_CONTRACT_TREE_DEPTH + 1, i, root), `proof of leaf ${i}`);
      // The proof must fail for another index or another leaf.
      assert.ok(!isValidMerkleBranch(leaves[i], proof, DEPOSIT_CONTRACT_TREE_DEPTH + 1, i + 1, root));
      assert.ok(!isValidMerkleBranch(leaf(i + 1000), proof, DEPOSIT_CONTRACT_TREE_DEPTH + 1, i, root));
    }
    assert.equal(tree.count, 70);
  });
});
