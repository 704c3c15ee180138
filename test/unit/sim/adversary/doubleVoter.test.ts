import {strict as assert} from "node:assert";
import {isSlashableAttestationData} from "../../../../src/state-transition/index.ts";
import {BehaviourKind} from "../../../../src/sim/types.ts";
import {useDevNetwork} from "../../chain/helpers.ts";
import {GROUP, groupOf, voteOf, voterOf, World} from "./harness.ts";

describe("sim/adversary double_voter", function () {
  this.timeout(120_000);
  before(() => useDevNetwork(6));

  it("signs two accepted votes of one target epoch per duty, to the two halves, each pair slashable and recorded", async () => {
    const w = await World.open(BehaviourKind.DoubleVoter);
    try {
      await w.run(1, 4);
      const votes = w.votesSent();
      const first = votes.filter((s) => s.to.join() === "0,1");
      const second = votes.filter((s) => s.to.join() === "2");
      assert.ok(first.length > 0);
      assert.equal(first.length, second.length);
      assert.equal(first.length + second.length, votes.length);
      const pairs = first.map((s, i) => [voteOf(s), voteOf(second[i])] as const);
      for (const [a, b] of pairs) {
        const validator = voterOf(w.chains[0], a);
        assert.ok(GROUP.includes(validator));
        assert.equal(voterOf(w.chains[0], b), validator);
        assert.equal(a.data.target.epoch, b.data.target.epoch);
        assert.ok(isSlashableAttestationData(a.data, b.data), "a double vote");
      }
      for (const s of votes) for (const [node, v] of s.verdicts) assert.equal(v.action, "ACCEPT", `slot ${s.slot} node ${node}: ${v.reason}`);
      assert.deepEqual(
        w.offences,
        pairs.map(([a]) => ({validator: voterOf(w.chains[0], a), kind: "double_vote", slot: a.data.slot}))
      );
      // A node that has one vote of a pair refuses the other.
      const v = await w.chains[1].gossip.onGossip(second[0].message, w.time.now(), "test");
      assert.equal(v.action, "IGNORE");
    } finally {
      await w.close();
    }
  });

  it("sends nothing in a slot where no member has a duty", async () => {
    const group = groupOf(2);
    const w = await World.open(BehaviourKind.DoubleVoter, {groupSize: group.length});
    try {
      await w.run(1, 7);
      const head = w.chains[0].getHead().state.epochCtx;
      let idle = 0;
      for (let slot = 1; slot <= 7; slot++) {
        const duty = [0, 1].some((index) => [...head.getBeaconCommittee(slot, index)].some((i) => group.includes(i)));
        const proposes = group.includes(head.getBeaconProposer(slot));
        if (!duty && !proposes) idle++;
        const sent = w.sent.filter((s) => s.slot === slot);
        if (!duty && !proposes) assert.equal(sent.length, 0, `slot ${slot}`);
        if (duty) assert.ok(sent.some((s) => s.message.kind === "beacon_attestation"), `slot ${slot}`);
      }
      assert.ok(idle >= 3, `${idle} slots without a duty of the group`);
    } finally {
      await w.close();
    }
  });
});
