import {strict as assert} from "node:assert";
import {AdversaryError, createBehaviour} from "../../../../src/sim/adversary/index.ts";
import {BehaviourKind, type BehaviourKind as Kind, type ByzantineGroup} from "../../../../src/sim/types.ts";
import {useDevNetwork} from "../../chain/helpers.ts";
import {World} from "./harness.ts";

describe("sim/adversary createBehaviour", function () {
  this.timeout(60_000);
  before(() => useDevNetwork(6));

  it("builds every behaviour with its defaults and refuses unknown behaviours and bad params", async () => {
    const w = await World.open(BehaviourKind.DoubleVoter, {nodes: 1});
    try {
      const group = (behaviour: string, params: ByzantineGroup["params"] = {}): ByzantineGroup => ({
        behaviour: behaviour as Kind,
        validators: 16,
        node: "n0",
        from: 0,
        until: null,
        params,
      });
      for (const kind of Object.values(BehaviourKind)) {
        const b = createBehaviour(group(kind), w.ctx);
        assert.equal(b.kind, kind);
        assert.equal(typeof b.summary().text, "string");
      }
      const refused = (g: ByzantineGroup, code: string): void =>
        assert.throws(() => createBehaviour(g, w.ctx), (e) => e instanceof AdversaryError && e.code === code, JSON.stringify(g));
      refused(group("selfish_mining"), "ADVERSARY_UNKNOWN_BEHAVIOUR");
      refused(group("toString"), "ADVERSARY_UNKNOWN_BEHAVIOUR");
      refused(group(BehaviourKind.EquivocatingProposer, {every: 1}), "ADVERSARY_UNKNOWN_PARAM");
      refused(group(BehaviourKind.WithholdingProposer, {withhold: 33}), "ADVERSARY_BAD_PARAM");
      refused(group(BehaviourKind.WithholdingProposer, {withhold: 1.5}), "ADVERSARY_BAD_PARAM");
      refused(group(BehaviourKind.ExAnteReorg, {releaseMs: 6000}), "ADVERSARY_BAD_PARAM");
      refused(group(BehaviourKind.ExAnteReorg, {judgeAfter: true}), "ADVERSARY_BAD_PARAM");
      assert.equal(createBehaviour(group(BehaviourKind.ExAnteReorg, {releaseMs: 500, judgeAfter: 2, gapMs: 0}), w.ctx).kind, BehaviourKind.ExAnteReorg);
    } finally {
      await w.close();
    }
  });
});
