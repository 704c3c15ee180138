import {strict as assert} from "node:assert";
import {VoteTracker} from "../../../src/fork-choice/protoArray/voteTracker.ts";

describe("fork-choice: vote tracker", () => {
  it("keeps a latest message only if its target epoch is newer", () => {
    const v = new VoteTracker();
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

  it("turns changed votes into deltas and visits only changed validators", () => {
    const v = new VoteTracker();
    const balances = Uint16Array.from([32, 31, 16]);
    const d = new Float64Array(4);
    v.processVote(0, 1, 1);
    v.processVote(1, 1, 1);
    v.processVote(2, 2, 1);
    v.computeDeltas(d, balances);
    assert.deepEqual([...d], [0, 63, 16, 0]);
    d.fill(0);
    // Validator 1 moves from node 1 to node 3; nothing else changes.
    v.processVote(1, 3, 2);
    v.computeDeltas(d);
    assert.deepEqual([...d], [0, -31, 0, 31]);
    d.fill(0);
    v.computeDeltas(d);
    assert.deepEqual([...d], [0, 0, 0, 0]);
  });

  it("re-weights every vote when the justified balances change", () => {
    const v = new VoteTracker();
    const d = new Float64Array(3);
    v.processVote(0, 1, 1);
    v.processVote(1, 2, 1);
    v.computeDeltas(d, Uint16Array.from([32, 32]));
    d.fill(0);
    // Validator 1 slashed in the new justified state (balance 0), validator 0 drops to 31.
    v.computeDeltas(d, Uint16Array.from([31, 0]));
    assert.deepEqual([...d], [0, -1, -32]);
  });

  it("gives a validator that votes after the balances were loaded its balance", () => {
    const v = new VoteTracker();
    const d = new Float64Array(2);
    v.computeDeltas(d, new Uint16Array(5000).fill(32));
    v.processVote(4999, 1, 1);
    v.computeDeltas(d);
    assert.deepEqual([...d], [0, 32]);
  });

  it("removes an equivocating validator's weight for good", () => {
    const v = new VoteTracker();
    const d = new Float64Array(3);
    v.processVote(0, 1, 1);
    v.processVote(1, 1, 1);
    v.computeDeltas(d, Uint16Array.from([32, 32]));
    d.fill(0);
    assert.equal(v.addEquivocation(1), true);
    assert.equal(v.addEquivocation(1), false);
    v.computeDeltas(d);
    assert.deepEqual([...d], [0, -32, 0]);
    d.fill(0);
    // Its later messages are ignored, and new balances do not bring it back.
    assert.equal(v.processVote(1, 2, 5), false);
    v.computeDeltas(d, Uint16Array.from([32, 30]));
    assert.deepEqual([...d], [0, 0, 0]);
    assert.deepEqual([...v.equivocatingIndices()], [1]);
  });

  it("points votes on pruned nodes nowhere and shifts the others", () => {
    const v = new VoteTracker();
    const d = new Float64Array(10);
    v.processVote(0, 2, 1);
    v.processVote(1, 7, 1);
    v.computeDeltas(d, Uint16Array.from([32, 32]));
    v.shiftIndices(5);
    assert.deepEqual(v.latestMessage(0), {index: -1, epoch: 1});
    assert.deepEqual(v.latestMessage(1), {index: 2, epoch: 1});
    d.fill(0);
    v.processVote(0, 3, 2);
    v.computeDeltas(d);
    // Nothing to take away from a pruned node; the vote lands on the new node.
    assert.deepEqual([...d.subarray(0, 5)], [0, 0, 0, 32, 0]);
  });
});
