import {strict as assert} from "node:assert";
import {VoteTracker} from "../../../src/fork-choice/protoArray/voteTracker.ts";

/** The pending deltas of the first `n` nodes, then cleared (as a score pass would). */
function take(v: VoteTracker, n: number): number[] {
  const out = [...v.deltas.subarray(0, n)].map((x) => x + 0);
  v.deltas.fill(0);
  return out;
}

function tracker(nodes = 16): VoteTracker {
  const v = new VoteTracker();
  v.ensureNodeCapacity(nodes);
  return v;
}

describe("fork-choice: vote tracker", () => {
  it("keeps a latest message only if its target epoch is newer", () => {
    const v = tracker();
    assert.equal(v.processVote(7, 3, 2), true);
    assert.equal(v.processVote(7, 4, 2), false);
    assert.equal(v.processVote(7, 4, 1), false);
    assert.deepEqual(v.latestMessage(7), {index: 3, epoch: 2});
    assert.equal(v.processVote(7, 5, 3), true);
    assert.deepEqual(v.latestMessage(7), {index: 5, epoch: 3});
    assert.equal(v.latestMessage(6), null);
    // Epoch 0 is a real epoch, not "no message".
    assert.equal(v.processVote(6, 1, 0), true);
    assert.deepEqual(v.latestMessage(6), {index: 1, epoch: 0});
  });

  it("turns each vote into a delta on the node it leaves and the node it joins", () => {
    const v = tracker(4);
    v.setBalances(Uint16Array.from([32, 31, 16]));
    assert.equal(v.hasPendingChanges, false);
    v.processVote(0, 1, 1);
    v.processVote(1, 1, 1);
    v.processVote(2, 2, 1);
    assert.equal(v.hasPendingChanges, true);
    assert.deepEqual(take(v, 4), [0, 63, 16, 0]);
    v.clearChanged();
    // Validator 1 moves from node 1 to node 3; a newer message on the same node moves nothing.
    v.processVote(1, 3, 2);
    v.processVote(0, 1, 2);
    assert.deepEqual(take(v, 4), [0, -31, 0, 31]);
  });

  it("re-weights every vote when the justified balances change", () => {
    const v = tracker(3);
    v.setBalances(Uint16Array.from([32, 32]));
    v.processVote(0, 1, 1);
    v.processVote(1, 2, 1);
    take(v, 3);
    // Validator 1 slashed in the new justified state (balance 0), validator 0 drops to 31.
    v.setBalances(Uint16Array.from([31, 0]));
    assert.deepEqual(take(v, 3), [0, -1, -32]);
    // Votes before any balances carry nothing until balances arrive.
    const w = tracker(3);
    w.processVote(0, 2, 1);
    assert.deepEqual(take(w, 3), [0, 0, 0]);
    w.setBalances(Uint16Array.from([20]));
    assert.deepEqual(take(w, 3), [0, 0, 20]);
  });

  it("gives a validator that votes after the balances were loaded its balance", () => {
    const v = tracker(2);
    v.setBalances(new Uint16Array(5000).fill(32));
    v.processVote(4999, 1, 1);
    assert.deepEqual(take(v, 2), [0, 32]);
  });

  it("removes an equivocating validator's weight for good", () => {
    const v = tracker(3);
    v.setBalances(Uint16Array.from([32, 32]));
    v.processVote(0, 1, 1);
    v.processVote(1, 1, 1);
    take(v, 3);
    assert.equal(v.addEquivocation(1), true);
    assert.equal(v.addEquivocation(1), false);
    assert.deepEqual(take(v, 3), [0, -32, 0]);
    // Its later messages are ignored, and new balances do not bring it back.
    assert.equal(v.processVote(1, 2, 5), false);
    v.setBalances(Uint16Array.from([32, 30]));
    assert.deepEqual(take(v, 3), [0, 0, 0]);
    assert.deepEqual([...v.equivocatingIndices()], [1]);
    // The latest message stays on record.
    assert.deepEqual(v.latestMessage(1), {index: 1, epoch: 1});
  });

  it("points votes on pruned nodes nowhere and shifts the others with their pending deltas", () => {
    const v = tracker(10);
    v.setBalances(Uint16Array.from([32, 32]));
    v.processVote(0, 2, 1);
    v.processVote(1, 7, 1);
    take(v, 10);
    v.processVote(1, 8, 2); // pending: -32 on node 7, +32 on node 8
    v.shiftIndices(5);
    assert.deepEqual(v.latestMessage(0), {index: -1, epoch: 1});
    assert.deepEqual(v.latestMessage(1), {index: 3, epoch: 2});
    assert.deepEqual(take(v, 5), [0, 0, -32, 32, 0]);
    v.processVote(0, 3, 2);
    // Nothing to take away from a pruned node; the vote lands on the new node.
    assert.deepEqual(take(v, 5), [0, 0, 0, 32, 0]);
  });
});
