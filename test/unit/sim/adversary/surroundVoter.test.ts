import {strict as assert} from "node:assert";
import {isSlashableAttestationData} from "../../../../src/state-transition/index.ts";
import {BehaviourKind} from "../../../../src/sim/types.ts";
import {AdversaryError} from "../../../../src/sim/adversary/index.ts";
import {useDevNetwork} from "../../chain/helpers.ts";
import {voteOf, World} from "./harness.ts";

describe("sim/adversary surround_voter", function () {
  this.timeout(120_000);
  before(() => useDevNetwork(6));

  it("once the chain justified, votes from genesis to now every `every` epochs, surrounding the member's previous vote; gossip accepts it", async () => {
    const w = await World.open(BehaviourKind.SurroundVoter, {nodes: 2, params: {every: 2}});
    try {
      await w.run(1, 39);
      assert.ok(w.chains[0].getJustifiedCheckpoint().epoch >= 2);
      const votes = w.votesSent().map((s) => ({s, a: voteOf(s), validator: s.voter!}));
      const surrounding = votes.filter((v) => v.a.data.source.epoch === 0 && v.a.data.target.epoch >= 3);
      assert.ok(surrounding.length > 0);
      for (const v of surrounding) {
        assert.equal(v.a.data.target.epoch % 2, 0);
        const earlier = votes.filter((o) => o.validator === v.validator && o.a.data.target.epoch < v.a.data.target.epoch);
        const surrounded = earlier.filter((o) => isSlashableAttestationData(v.a.data, o.a.data));
        assert.ok(surrounded.length > 0, `validator ${v.validator} surrounds an earlier vote`);
        for (const o of surrounded) assert.ok(o.a.data.source.epoch >= 1 && o.a.data.target.epoch < v.a.data.target.epoch, "a surround, not a double vote");
        for (const [node, verdict] of v.s.verdicts) assert.equal(verdict.action, "ACCEPT", `node ${node}: ${verdict.reason}`);
      }
      assert.deepEqual(
        w.offences,
        surrounding.map((v) => ({validator: v.validator, kind: "surround_vote", slot: v.a.data.slot}))
      );
      // Every other vote is the honest one and accepted.
      for (const v of votes) for (const [node, verdict] of v.s.verdicts) assert.equal(verdict.action, "ACCEPT", `slot ${v.s.slot} node ${node}: ${verdict.reason}`);
    } finally {
      await w.close();
    }
  });

  it("refuses an unknown or bad param", async () => {
    await assert.rejects(World.open(BehaviourKind.SurroundVoter, {nodes: 1, params: {evry: 2}}), (e) => e instanceof AdversaryError && e.code === "ADVERSARY_UNKNOWN_PARAM");
    await assert.rejects(World.open(BehaviourKind.SurroundVoter, {nodes: 1, params: {every: 0}}), (e) => e instanceof AdversaryError && e.code === "ADVERSARY_BAD_PARAM");
    await assert.rejects(World.open(BehaviourKind.SurroundVoter, {nodes: 1, params: {every: "2"}}), (e) => e instanceof AdversaryError && e.code === "ADVERSARY_BAD_PARAM");
  });
});
