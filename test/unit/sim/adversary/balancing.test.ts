import {strict as assert} from "node:assert";
import {ssz} from "../../../../src/types/index.ts";
import {toHex} from "../../../../src/util/bytes.ts";
import {BehaviourKind} from "../../../../src/sim/types.ts";
import {useDevNetwork} from "../../chain/helpers.ts";
import {blockOf, voteOf, World} from "./harness.ts";

describe("sim/adversary balancing", function () {
  this.timeout(120_000);
  before(() => useDevNetwork(6));

  it("splits the other nodes over two sibling blocks, weighs both at its node and releases withheld votes to the lighter branch", async () => {
    const w = await World.open(BehaviourKind.Balancing);
    try {
      let slot = 1;
      for (; w.offences.length === 0 && slot <= 16; slot++) await w.runSlot(slot);
      const end = slot + 3;
      for (; slot <= end; slot++) await w.runSlot(slot);

      const [a, b] = w.blocksSent();
      const n = blockOf(a).message.slot;
      assert.equal(blockOf(b).message.slot, n);
      assert.equal(blockOf(b).message.proposer_index, blockOf(a).message.proposer_index);
      assert.deepEqual([a.to, b.to], [[1], [2]]);
      assert.equal(a.verdicts.get(1)?.action, "ACCEPT");
      assert.equal(b.verdicts.get(2)?.action, "ACCEPT");
      assert.deepEqual(w.offences, [{validator: blockOf(a).message.proposer_index, kind: "double_proposal", slot: n}]);
      const roots = [a, b].map((s) => toHex(ssz.BeaconBlock.hashTreeRoot(blockOf(s).message)));
      for (const root of roots) assert.ok(w.chains[0].forkChoice.hasBlock(root), "the group's node has both branches");
      assert.ok(!w.chains[1].forkChoice.hasBlock(roots[1]) && !w.chains[2].forkChoice.hasBlock(roots[0]), "each half has one");

      // During the split the group votes only through releases, each for the branch its node weighed lighter.
      const releases = w.traces.filter((t) => t.action === "release");
      assert.ok(releases.length > 0);
      for (const r of releases) {
        const [wa, wb] = [BigInt(r.weightA as string), BigInt(r.weightB as string)];
        assert.equal(r.root, wa <= wb ? roots[0] : roots[1]);
      }
      const duringSplit = w.votesSent().filter((v) => v.slot >= n);
      assert.equal(duringSplit.length, releases.reduce((k, r) => k + (r.votes as number), 0));
      for (const v of duringSplit) {
        assert.equal(v.phase, "aggregate");
        assert.ok(roots.includes(toHex(voteOf(v).data.beacon_block_root)));
        // Accepted wherever the voted branch is known.
        for (const [node, verdict] of v.verdicts) {
          if (w.chains[node].forkChoice.hasBlock(toHex(voteOf(v).data.beacon_block_root))) assert.equal(verdict.action, "ACCEPT", `node ${node}: ${verdict.reason}`);
        }
      }
      // One vote per member and epoch: nothing slashable beyond the double proposal.
      const seen = new Set<string>();
      for (const v of w.votesSent()) {
        const key = `${v.voter}:${voteOf(v).data.target.epoch}`;
        assert.ok(!seen.has(key), key);
        seen.add(key);
      }
      assert.match(w.behaviour.summary().text, /^1 balancing splits, the longest lasted \d+ epochs$/);
    } finally {
      await w.close();
    }
  });
});
