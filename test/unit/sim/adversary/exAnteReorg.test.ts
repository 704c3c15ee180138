import {strict as assert} from "node:assert";
import {ssz} from "../../../../src/types/index.ts";
import {toHex} from "../../../../src/util/bytes.ts";
import {BehaviourKind} from "../../../../src/sim/types.ts";
import type {ExAnteReorg} from "../../../../src/sim/adversary/exAnteReorg.ts";
import {useDevNetwork} from "../../chain/helpers.ts";
import {blockOf, voteOf, World} from "./harness.ts";

const ETH = 32n * 10n ** 9n;

/** Runs until `attempts` attempts were judged (or 40 slots passed). */
async function runAttack(attempts: number, configOverrides: Record<string, string> = {}): Promise<World> {
  const w = await World.open(BehaviourKind.ExAnteReorg, {configOverrides});
  const behaviour = w.behaviour as ExAnteReorg;
  for (let slot = 1; behaviour.outcomes.length < attempts && slot <= 40; slot++) await w.runSlot(slot);
  return w;
}

describe("sim/adversary ex_ante_reorg", function () {
  this.timeout(120_000);
  afterEach(() => useDevNetwork(6));

  it("without proposer boost the withheld block and votes orphan the next honest block", async () => {
    useDevNetwork(6, {PROPOSER_SCORE_BOOST: "0"});
    const w = await runAttack(2, {PROPOSER_SCORE_BOOST: "0"});
    assert.equal(w.chains[0].config.PROPOSER_SCORE_BOOST, 0);
    try {
      const outcomes = (w.behaviour as ExAnteReorg).outcomes.filter((o) => o.withheldVotes > 0);
      assert.ok(outcomes.length > 0);
      for (const o of outcomes) assert.equal(o.outcome, "reorged", `attempt at slot ${o.slot}`);
      // What was released is accepted by every node, votes after the block, after the honest block of n+1 and before 1/3 of that slot.
      for (const release of w.traces.filter((t) => t.action === "release")) {
        const n = release.slot as number;
        const block = w.blocksSent().find((b) => blockOf(b).message.slot === n)!;
        const root = toHex(ssz.BeaconBlock.hashTreeRoot(blockOf(block).message));
        assert.equal(block.slot, n + 1);
        const votes = w.votesSent().filter((v) => toHex(voteOf(v).data.beacon_block_root) === root && voteOf(v).data.slot === n);
        assert.equal(votes.length, release.votes);
        for (const s of [block, ...votes]) for (const node of [0, 1, 2]) assert.equal(s.verdicts.get(node)?.action, "ACCEPT", `node ${node}: ${s.verdicts.get(node)?.reason}`);
      }
      assert.deepEqual(w.offences, []);
      assert.match(w.behaviour.summary().text, /ex-ante reorg attempts, \d+ succeeded/);
    } finally {
      await w.close();
    }
  });

  it("with proposer boost 40 the attack fails when the withheld votes weigh less than the boost, and succeeds when they weigh more", async () => {
    useDevNetwork(6);
    const w = await runAttack(2);
    try {
      const boost = w.chains[0].forkChoice.getProposerScore();
      const outcomes = (w.behaviour as ExAnteReorg).outcomes.filter((o) => o.outcome !== "no_honest_block");
      const lighter = outcomes.filter((o) => BigInt(o.withheldVotes) * ETH < boost);
      assert.ok(lighter.length > 0, "an attempt whose withheld votes weigh less than the boost");
      for (const o of outcomes) {
        const expected = BigInt(o.withheldVotes) * ETH < boost ? "failed" : "reorged";
        assert.equal(o.outcome, expected, `attempt at slot ${o.slot} with ${o.withheldVotes} withheld votes against a boost of ${boost} Gwei`);
      }
    } finally {
      await w.close();
    }
  });
});
