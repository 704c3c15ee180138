import {strict as assert} from "node:assert";
import {ProtoArray} from "../../../src/fork-choice/protoArray/protoArray.ts";
import {compareWeights, weightToGwei} from "../../../src/fork-choice/protoArray/weight.ts";
import type {ViabilityContext} from "../../../src/fork-choice/protoArray/interface.ts";
import {ZERO_ROOT, protoBlock, root} from "./helpers.ts";

const I = 1_000_000_000;
const GENESIS_CTX: ViabilityContext = {currentEpoch: 0, justifiedEpoch: 0, finalizedEpoch: 0};

/** Applies per-root deltas (increments) and boosts (Gwei) in one pass. */
function apply(pa: ProtoArray, deltas: Record<number, number>, boosts: Record<number, number> = {}, ctx = GENESIS_CTX): void {
  const d = new Float64Array(pa.length);
  const b = new Float64Array(pa.length);
  for (const [r, v] of Object.entries(deltas)) d[pa.indexOf(root(Number(r)))!] = v;
  for (const [r, v] of Object.entries(boosts)) b[pa.indexOf(root(Number(r)))!] = v;
  pa.applyScoreChanges(d, b, ctx);
}

function weightOf(pa: ProtoArray, n: number): number {
  return pa.weightAt(pa.indexOf(root(n))!);
}

function headOf(pa: ProtoArray, justified = 0): string {
  return pa.blockAt(pa.findHead(root(justified))).blockRoot;
}

/**
 *        0
 *      /   \
 *     1     3
 *     |     |
 *     2     4
 */
function forkedTree(): ProtoArray {
  const pa = new ProtoArray(protoBlock(0, root(0), ZERO_ROOT), 0, I);
  pa.onBlock(protoBlock(1, root(1), root(0)), 0);
  pa.onBlock(protoBlock(2, root(2), root(1)), 0);
  pa.onBlock(protoBlock(1, root(3), root(0)), 0);
  pa.onBlock(protoBlock(2, root(4), root(3)), 0);
  return pa;
}

describe("fork-choice: proto-array", () => {
  it("adds deltas up the tree and follows the heaviest chain", () => {
    const pa = forkedTree();
    apply(pa, {2: 10, 4: 12});
    assert.deepEqual([0, 1, 2, 3, 4].map((n) => weightOf(pa, n)), [22, 10, 10, 12, 12]);
    assert.equal(headOf(pa), root(4));

    // Votes move from 4 to 2: the other branch becomes the head (a re-org).
    apply(pa, {4: -5, 2: 5});
    assert.deepEqual([0, 1, 2, 3, 4].map((n) => weightOf(pa, n)), [22, 15, 15, 7, 7]);
    assert.equal(headOf(pa), root(2));
  });

  it("breaks ties by the lexicographically higher root", () => {
    const pa = forkedTree();
    apply(pa, {2: 8, 4: 8});
    assert.equal(headOf(pa), root(4));
    apply(pa, {});
    assert.equal(headOf(pa), root(4));
  });

  it("counts proposer boost on the boosted block and its ancestors only", () => {
    const pa = forkedTree();
    apply(pa, {2: 10, 4: 12}, {2: 2.5 * I});
    assert.equal(weightToGwei(weightOf(pa, 1), pa.boostAt(pa.indexOf(root(1))!), I), 12_500_000_000n);
    assert.equal(pa.boostAt(pa.indexOf(root(0))!), 2.5 * I);
    assert.equal(pa.boostAt(pa.indexOf(root(3))!), 0);
    assert.equal(headOf(pa), root(2));
    // Boost removed again: the heavier branch wins back.
    apply(pa, {}, {2: -2.5 * I});
    assert.equal(pa.boostAt(pa.indexOf(root(0))!), 0);
    assert.equal(headOf(pa), root(4));
  });

  it("finds the head from the justified root, not from the tree root", () => {
    const pa = forkedTree();
    apply(pa, {2: 10, 4: 12});
    assert.equal(headOf(pa, 1), root(2));
    assert.equal(headOf(pa, 3), root(4));
  });

  it("judges viability on leaves only, as filter_block_tree does", () => {
    // Current epoch 5, store justified epoch 3. Leaf 2 votes with source epoch 1 (pulled up,
    // as it is from a prior epoch): 1 != 3 and 1 + 2 < 5, not viable. Node 1 itself carries a
    // good source, but it has a child, so only that child decides: branch 1 is out.
    const pa = new ProtoArray(protoBlock(0, root(0), ZERO_ROOT), 0, I);
    pa.onBlock(protoBlock(1, root(1), root(0), {justifiedEpoch: 3, unrealizedJustifiedEpoch: 3}), 0);
    pa.onBlock(protoBlock(2, root(2), root(1), {justifiedEpoch: 3, unrealizedJustifiedEpoch: 1}), 0);
    pa.onBlock(protoBlock(1, root(3), root(0), {justifiedEpoch: 0, unrealizedJustifiedEpoch: 3}), 0);
    const ctx = {currentEpoch: 5, justifiedEpoch: 3, finalizedEpoch: 0};
    apply(pa, {2: 100, 3: 1}, {}, ctx);
    assert.equal(pa.isViableAt(pa.indexOf(root(1))!), false);
    assert.equal(pa.isViableAt(pa.indexOf(root(3))!), true);
    assert.equal(headOf(pa), root(3));
    assert.deepEqual(pa.viableLeaves(root(0)).map((i) => pa.blockAt(i).blockRoot), [root(3)]);

    // Leaf 3 also out: the filtered tree is empty and the head is the justified root itself.
    pa.onBlock(protoBlock(2, root(5), root(3), {justifiedEpoch: 0, unrealizedJustifiedEpoch: 2}), 0);
    apply(pa, {}, {}, ctx);
    assert.equal(headOf(pa), root(0));
    assert.deepEqual(pa.viableLeaves(root(0)), []);
  });

  it("uses the realized justification for a block of the current epoch, and allows sources two epochs back", () => {
    const pa = new ProtoArray(protoBlock(0, root(0), ZERO_ROOT), 0, I);
    pa.onBlock(protoBlock(48, root(1), root(0), {justifiedEpoch: 3, unrealizedJustifiedEpoch: 2}), 6);
    pa.onBlock(protoBlock(40, root(2), root(0), {justifiedEpoch: 1, unrealizedJustifiedEpoch: 4}), 5);
    pa.onBlock(protoBlock(41, root(3), root(0), {justifiedEpoch: 3, unrealizedJustifiedEpoch: 2}), 5);
    apply(pa, {}, {}, {currentEpoch: 6, justifiedEpoch: 3, finalizedEpoch: 0});
    // Block 1 is of the current epoch: its realized source 3 matches.
    assert.equal(pa.isViableAt(pa.indexOf(root(1))!), true);
    // Block 2 is from a prior epoch: pulled-up source 4 is within two epochs of 6.
    assert.equal(pa.isViableAt(pa.indexOf(root(2))!), true);
    // Block 3: pulled-up source 2 is neither 3 nor within two epochs.
    assert.equal(pa.isViableAt(pa.indexOf(root(3))!), false);
    // With the store's justified epoch at genesis everything passes.
    apply(pa, {}, {}, {currentEpoch: 6, justifiedEpoch: 0, finalizedEpoch: 0});
    assert.equal(pa.isViableAt(pa.indexOf(root(3))!), true);
  });

  it("requires the finalized checkpoint block in a leaf's chain", () => {
    //   0 -- a(5) -- b(9)        finalized: epoch 1 (start slot 8), root a
    //    \-- c(7) -- d(10)
    const pa = new ProtoArray(protoBlock(0, root(0), ZERO_ROOT), 0, I);
    pa.onBlock(protoBlock(5, root(0xa), root(0)), 0);
    pa.onBlock(protoBlock(9, root(0xb), root(0xa)), 1);
    pa.onBlock(protoBlock(7, root(0xc), root(0)), 0);
    pa.onBlock(protoBlock(10, root(0xd), root(0xc)), 1);
    pa.setFinalizedCheckpoint(8, root(0xa));
    apply(pa, {0xd: 50, 0xb: 1}, {}, {currentEpoch: 1, justifiedEpoch: 1, finalizedEpoch: 1});
    assert.equal(headOf(pa), root(0xb));
    // A block added later inherits the answer from its parent.
    pa.onBlock(protoBlock(11, root(0xe), root(0xd)), 1);
    pa.onBlock(protoBlock(11, root(0xf), root(0xb)), 1);
    apply(pa, {}, {}, {currentEpoch: 1, justifiedEpoch: 1, finalizedEpoch: 1});
    assert.deepEqual(pa.viableLeaves(root(0)).map((i) => pa.blockAt(i).blockRoot), [root(0xf)]);
  });

  it("answers get_ancestor and is_ancestor by slot", () => {
    const pa = forkedTree();
    assert.equal(pa.blockAt(pa.ancestorAtSlot(pa.indexOf(root(2))!, 1)).blockRoot, root(1));
    assert.equal(pa.blockAt(pa.ancestorAtSlot(pa.indexOf(root(2))!, 5)).blockRoot, root(2));
    assert.equal(pa.isAncestor(pa.indexOf(root(4))!, pa.indexOf(root(3))!), true);
    assert.equal(pa.isAncestor(pa.indexOf(root(4))!, pa.indexOf(root(1))!), false);
    assert.equal(pa.isAncestor(pa.indexOf(root(4))!, pa.indexOf(root(4))!), true);
  });

  it("prunes the nodes before a kept index and shifts every index", () => {
    const pa = new ProtoArray(protoBlock(0, root(0), ZERO_ROOT), 0, I);
    for (let s = 1; s < 10; s++) pa.onBlock(protoBlock(s, root(s), root(s - 1)), 0);
    pa.onBlock(protoBlock(4, root(100), root(3)), 0); // a fork off a block that will be pruned
    apply(pa, {9: 3, 100: 1});
    assert.equal(pa.pruneBefore(5), 5);
    assert.equal(pa.length, 6);
    assert.equal(pa.indexOf(root(4)), undefined);
    assert.equal(pa.indexOf(root(5)), 0);
    assert.equal(pa.parentOf(0), -1);
    assert.equal(pa.blockAt(pa.parentOf(pa.indexOf(root(9))!)).blockRoot, root(8));
    // The orphaned fork stays but has no parent; weights survive the shift.
    assert.equal(pa.parentOf(pa.indexOf(root(100))!), -1);
    assert.equal(weightOf(pa, 5), 3);
    apply(pa, {9: 2});
    assert.equal(weightOf(pa, 5), 5);
    assert.equal(headOf(pa, 5), root(9));
  });

  it("compares weights exactly where doubles would round", () => {
    // 10^8 increments is 10^17 Gwei: doubles there are 16 apart.
    const wa = 100_000_000;
    assert.equal(compareWeights(wa, I + 1, wa + 1, 0, I), 1);
    assert.equal(compareWeights(wa, I, wa + 1, 0, I), 0);
    assert.equal(compareWeights(wa, I - 1, wa + 1, 0, I), -1);
    assert.equal(compareWeights(wa + 1, 0, wa, I + 1, I), -1);
    assert.equal(weightToGwei(wa, I + 1, I), 100_000_001_000_000_001n);
  });
});
