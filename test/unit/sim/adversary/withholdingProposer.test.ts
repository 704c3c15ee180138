import {strict as assert} from "node:assert";
import {ssz} from "../../../../src/types/index.ts";
import {toHex} from "../../../../src/util/bytes.ts";
import {BehaviourKind} from "../../../../src/sim/types.ts";
import {useDevNetwork} from "../../chain/helpers.ts";
import {blockOf, voteOf, World} from "./harness.ts";

describe("sim/adversary withholding_proposer", function () {
  this.timeout(120_000);
  before(() => useDevNetwork(6));

  it("keeps its blocks and the votes for them private for `withhold` slots, then releases them, accepted by every node", async () => {
    const withhold = 3;
    const w = await World.open(BehaviourKind.WithholdingProposer, {params: {withhold, gapMs: 100}});
    try {
      let slot = 1;
      for (; w.traces.every((t) => t.action !== "release") && slot <= 24; slot++) await w.runSlot(slot);
      await w.run(slot, slot + 1);
      const first = w.traces.find((t) => t.action === "withhold_block")!;
      const release = w.traces.find((t) => t.action === "release")!;
      assert.equal(release.slot, (first.slot as number) + withhold);

      const blocks = w.blocksSent();
      assert.ok(blocks.length >= 1);
      const releasedAt = w.chains[0].clock.slotStartMs(release.slot as number);
      const released = blocks.filter((b) => b.sentAt === releasedAt && blockOf(b).message.slot < (release.slot as number));
      assert.equal(released.length, release.blocks);
      // Nothing of the private chain left before the release; the blocks form one chain from the first.
      assert.equal(blocks.filter((b) => b.sentAt < releasedAt).length, 0);
      assert.equal(blockOf(released[0]).message.slot, first.slot);
      for (let i = 1; i < released.length; i++) {
        assert.equal(toHex(blockOf(released[i]).message.parent_root), toHex(ssz.BeaconBlock.hashTreeRoot(blockOf(released[i - 1]).message)));
      }
      const privateRoots = new Set(released.map((b) => toHex(ssz.BeaconBlock.hashTreeRoot(blockOf(b).message))));
      for (const b of released) for (const node of [0, 1, 2]) assert.equal(b.verdicts.get(node)?.action, "ACCEPT", `block at node ${node}: ${b.verdicts.get(node)?.reason}`);

      const privateVotes = w.votesSent().filter((v) => privateRoots.has(toHex(voteOf(v).data.beacon_block_root)));
      assert.equal(privateVotes.length, release.votes);
      assert.ok(privateVotes.length > 0);
      for (const v of privateVotes) {
        assert.equal(v.sentAt, releasedAt);
        assert.ok(v.slot >= (first.slot as number) && voteOf(v).data.slot < (release.slot as number));
        for (const node of [0, 1, 2]) assert.equal(v.verdicts.get(node)?.action, "ACCEPT", `vote at node ${node}: ${v.verdicts.get(node)?.reason}`);
      }
      for (const chain of w.chains) for (const root of privateRoots) assert.ok(chain.forkChoice.hasBlock(root));
      assert.deepEqual(w.offences, []);
      assert.match(w.behaviour.summary().text, /^1 private chains \(\d+ blocks\) withheld and released/);
    } finally {
      await w.close();
    }
  });
});
