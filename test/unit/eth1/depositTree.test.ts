/**
 * The follower's deposit tree: roots equal hash_tree_root(List[DepositData, 2**32]) for every
 * count, proofs verify with is_valid_merkle_branch against the root of any later count (as a
 * block's deposits must), and truncation after a reorg gives back the earlier roots.
 */
import {strict as assert} from "node:assert";
import {ListCompositeType} from "@chainsafe/ssz";
import {DepositDataTree} from "../../../src/eth1/depositTree.ts";
import {DEPOSIT_CONTRACT_TREE_DEPTH} from "../../../src/params/index.ts";
import {isValidMerkleBranch} from "../../../src/state-transition/index.ts";
import {ssz} from "../../../src/types/index.ts";
import {fakeDeposit} from "./fakeExecution.ts";

describe("eth1 deposit tree", () => {
  const listType = new ListCompositeType(ssz.DepositData, 2 ** DEPOSIT_CONTRACT_TREE_DEPTH);
  const data = Array.from({length: 21}, (_, i) => fakeDeposit(i));

  it("root(count) is the SSZ list root of the first count deposits", () => {
    const tree = new DepositDataTree();
    assert.deepEqual(tree.root(), listType.hashTreeRoot([]));
    for (let i = 0; i < data.length; i++) tree.push(data[i]);
    for (const count of [0, 1, 2, 3, 7, 8, 9, 16, 21]) assert.deepEqual(tree.root(count), listType.hashTreeRoot(data.slice(0, count)), `count ${count}`);
  });

  it("proofs verify against the root of the count they were made for", () => {
    const tree = new DepositDataTree();
    for (const d of data) tree.push(d);
    for (const count of [1, 5, 16, 21]) {
      const root = tree.root(count);
      for (let i = 0; i < count; i++) {
        const {proof, data: d} = tree.getDeposit(i, count);
        assert.ok(isValidMerkleBranch(ssz.DepositData.hashTreeRoot(d), proof, DEPOSIT_CONTRACT_TREE_DEPTH + 1, i, root), `deposit ${i} of ${count}`);
      }
    }
    assert.throws(() => tree.getDeposit(5, 5), RangeError);
    assert.throws(() => tree.getDeposit(0, 22), RangeError);
  });

  it("truncate gives back the earlier tree", () => {
    const tree = new DepositDataTree();
    for (const d of data) tree.push(d);
    tree.truncate(6);
    assert.equal(tree.count, 6);
    assert.deepEqual(tree.root(), listType.hashTreeRoot(data.slice(0, 6)));
    tree.push(data[20]);
    assert.deepEqual(tree.root(), listType.hashTreeRoot([...data.slice(0, 6), data[20]]));
  });
});
