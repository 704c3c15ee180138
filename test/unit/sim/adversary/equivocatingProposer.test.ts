import {strict as assert} from "node:assert";
import {ssz} from "../../../../src/types/index.ts";
import {toHex} from "../../../../src/util/bytes.ts";
import {BehaviourKind} from "../../../../src/sim/types.ts";
import {useDevNetwork} from "../../chain/helpers.ts";
import {blockOf, GROUP, World} from "./harness.ts";

describe("sim/adversary equivocating_proposer", function () {
  this.timeout(120_000);
  before(() => useDevNetwork(6));

  it("sends two valid blocks of one proposer and slot to the two halves, each accepted there, and records the double proposal", async () => {
    const w = await World.open(BehaviourKind.EquivocatingProposer);
    try {
      // Up to the group's first proposal and one slot more (node 2 then lacks the other branch's blocks).
      let slot = 1;
      for (; w.offences.length === 0 && slot <= 16; slot++) await w.runSlot(slot);
      await w.run(slot, slot);
      const blocks = w.blocksSent();
      assert.equal(blocks.length, 2, "one double proposal");
      for (let i = 0; i < blocks.length; i += 2) {
        const [a, b] = [blockOf(blocks[i]), blockOf(blocks[i + 1])];
        assert.equal(a.message.slot, b.message.slot);
        assert.equal(a.message.proposer_index, b.message.proposer_index);
        assert.ok(GROUP.includes(a.message.proposer_index));
        assert.notEqual(toHex(ssz.BeaconBlock.hashTreeRoot(a.message)), toHex(ssz.BeaconBlock.hashTreeRoot(b.message)));
        assert.deepEqual(blocks[i].to, [0, 1]);
        assert.deepEqual(blocks[i + 1].to, [2]);
        for (const s of [blocks[i], blocks[i + 1]]) for (const [node, v] of s.verdicts) assert.equal(v.action, "ACCEPT", `block at node ${node}: ${v.reason}`);
      }
      assert.deepEqual(
        w.offences,
        blocks.filter((_, i) => i % 2 === 0).map((s) => ({validator: blockOf(s).message.proposer_index, kind: "double_proposal", slot: blockOf(s).message.slot}))
      );
      // The second block of a pair is refused by a node that has the first: they conflict.
      const [first, second] = [blocks[0], blocks[1]];
      const v = await w.chains[0].gossip.onGossip(second.message, w.time.now(), "test");
      assert.equal(v.action, "IGNORE");
      // Slots the group does not propose at: no block from it; its members still attest, accepted where the voted block is known.
      assert.ok(w.votesSent().length > 0);
      for (const s of w.votesSent()) {
        for (const node of [0, 1]) assert.equal(s.verdicts.get(node)?.action, "ACCEPT", `vote at node ${node}: ${s.verdicts.get(node)?.reason}`);
      }
      assert.equal(first.sentAt, w.chains[0].clock.slotStartMs(w.offences[0].slot));
    } finally {
      await w.close();
    }
  });
});
