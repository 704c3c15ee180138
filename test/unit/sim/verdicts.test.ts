import {strict as assert} from "node:assert";
import {checkpointRelation, ffgViolation, findConflicts} from "../../../src/sim/accountability.ts";
import type {Observations, Verdict} from "../../../src/sim/types.ts";
import {computeVerdicts, disturbedEpochs, epochsToFinality, formatIndices, gstSlot} from "../../../src/sim/verdicts.ts";
import {GENESIS, SPE, Tree, observations, root, scenario, views} from "./observations.ts";

function verdict(obs: Observations, name: Verdict["name"]): Verdict {
  const v = computeVerdicts(obs).find((x) => x.name === name);
  assert.ok(v, name);
  return v;
}

const range = (from: number, to: number): number[] => Array.from({length: to - from + 1}, (_, i) => from + i);

/**
 * Two chains from a common prefix (slots 1..8, so the epoch-1 checkpoint is shared): A on the
 * side of nodes a,b, B on the side of c,d. Validators 0-7 are honest on A, 8-15 honest on B,
 * 16-31 double vote (epoch-2 and -3 targets on both chains), 32 surround votes (1->2 on A,
 * 0->3 on B). Both sides finalize epoch 2 at slot 32, each its own root.
 */
function splitRun(): {obs: Observations; a16: string; b16: string} {
  const t = new Tree();
  const c8 = t.chain("c", GENESIS, 1, 8);
  const a40 = t.chain("a", c8, 9, 40);
  const b40 = t.chain("b", c8, 9, 40, [16]);
  const a16 = root("a16");
  const b16 = root("b15"); // slot 16 empty on B: its epoch-2 checkpoint is the slot-15 block
  const a24 = root("a24");
  const b24 = root("b24");
  const honestA = range(0, 7);
  const honestB = range(8, 15);
  const double = range(16, 31);
  t.vote(root("c8"), {source: [0, GENESIS], target: [1, c8], validators: [...honestA, ...honestB, ...double, 32]});
  t.vote(root("a17"), {source: [1, c8], target: [2, a16], validators: [...honestA, ...double, 32]});
  t.vote(root("a25"), {source: [2, a16], target: [3, a24], validators: [...honestA, ...double]});
  t.vote(root("b17"), {source: [1, c8], target: [2, b16], validators: [...honestB, ...double]});
  t.vote(root("b25"), {source: [2, b16], target: [3, b24], validators: [...honestB, ...double]});
  t.vote(root("b26"), {source: [0, GENESIS], target: [3, b24], validators: [32]});
  // The same vote included twice on one chain is not an offence.
  t.vote(root("a26"), {source: [1, c8], target: [2, a16], validators: honestA});
  assert.ok(t.blocks.has(a40) && t.blocks.has(b40));
  const s = scenario({
    slots: 40,
    nodes: [
      {name: "a", validators: 4},
      {name: "b", validators: 4},
      {name: "c", validators: 4},
      {name: "d", validators: 4},
    ],
    byzantine: [{behaviour: "double_voter", node: "a", validators: 17, from: 0, until: null, params: {}}],
    partitions: [{start: 8, heal: null, groups: [["a", "b"], ["c", "d"]]}],
  });
  const obs = observations({
    scenario: s,
    blocks: t.blocks,
    views: [views(40, [[32, 2, a16]]), views(40, [[33, 2, a16]]), views(40, [[32, 2, b16]]), views(40, [[34, 2, b16]])],
    byzantineValidators: range(16, 32),
  });
  return {obs, a16, b16};
}

describe("sim verdicts: safety and accountable safety", () => {
  it("finds the conflicting finalization and names exactly the slashable validators", () => {
    const {obs, a16, b16} = splitRun();
    const v = verdict(obs, "safety");
    assert.equal(v.pass, false);
    assert.equal(v.details.safe, false);
    assert.deepEqual(v.details.slashableValidators, range(16, 32));
    assert.equal(v.details.atLeastOneThird, true);
    const conflicts = v.details.conflicts as {a: {epoch: number; root: string; nodes: number[]}; b: {epoch: number; root: string; nodes: number[]}}[];
    assert.equal(conflicts.length, 1);
    const roots = [conflicts[0].a.root, conflicts[0].b.root].sort();
    assert.deepEqual(roots, [a16, b16].sort());
    assert.deepEqual(conflicts.map((c) => [c.a.nodes, c.b.nodes].sort()), [[[0, 1], [2, 3]]]);
    const evidence = v.details.evidence as {validator: number; kind: string; votes: {source: string; target: string}[]}[];
    assert.equal(evidence.find((e) => e.validator === 16)?.kind, "double_vote");
    const surround = evidence.find((e) => e.validator === 32);
    assert.equal(surround?.kind, "surround_vote");
    assert.deepEqual(surround?.votes.map((x) => [x.source.split("/")[0], x.target.split("/")[0]]), [
      ["1", "2"],
      ["0", "3"],
    ]);
    assert.match(v.summary, /^CONFLICT epoch 2 .* \(a,b\) vs epoch 2 .* \(c,d\); 17 slashable validators \(51\.5% of 33\): 16-32; expected none$/);
  });

  it("passes a scenario that expects the violation only when one is found", () => {
    const {obs} = splitRun();
    obs.scenario.expect.safety = false;
    assert.equal(verdict(obs, "safety").pass, true);
    const calm = observations({scenario: scenario({expect: {safety: false}})});
    const v = verdict(calm, "safety");
    assert.equal(v.pass, false);
    assert.match(v.summary, /expected a conflict/);
  });

  it("sees no conflict between checkpoints on one chain, empty boundary slots included", () => {
    const t = new Tree();
    const tip = t.chain("x", GENESIS, 1, 40, [16, 24]);
    const x15 = root("x15");
    const x23 = root("x23");
    assert.equal(checkpointRelation(t.blocks, {epoch: 2, root: x15}, {epoch: 3, root: x23}, SPE), "consistent");
    assert.equal(checkpointRelation(t.blocks, {epoch: 2, root: root("x14")}, {epoch: 4, root: tip}, SPE), "conflict");
    assert.equal(checkpointRelation(t.blocks, {epoch: 3, root: x23}, {epoch: 3, root: x15}, SPE), "conflict");
    assert.equal(checkpointRelation(t.blocks, {epoch: 0, root: root("anything")}, {epoch: 4, root: tip}, SPE), "consistent");
    assert.equal(checkpointRelation(t.blocks, {epoch: 2, root: root("elsewhere")}, {epoch: 4, root: root("unseen")}, SPE), "unknown");
    const obs = observations({
      scenario: scenario({slots: 40}),
      blocks: t.blocks,
      views: [views(40, [[24, 2, x15]]), views(40, [[32, 2, x15], [40, 3, x23]]), views(40, []), views(40, [[40, 3, x23]])],
    });
    assert.deepEqual(findConflicts(obs).conflicts, []);
    const v = verdict(obs, "safety");
    assert.equal(v.pass, true);
    assert.equal(v.summary, "no conflicting finalization: 3 finalized checkpoints in 4 honest views");
  });

  it("judges pairs of votes by Casper FFG's two rules", () => {
    const vote = (s: number, t: number, r = "r"): Parameters<typeof ffgViolation>[0] => ({source: {epoch: s, root: "s"}, target: {epoch: t, root: r}, block: "b", blockSlot: 0});
    assert.equal(ffgViolation(vote(1, 2), vote(1, 2)), null);
    assert.equal(ffgViolation(vote(1, 2), vote(1, 2, "other")), "double_vote");
    assert.equal(ffgViolation(vote(0, 2), vote(1, 2)), "double_vote");
    assert.equal(ffgViolation(vote(0, 3), vote(1, 2)), "surround_vote");
    assert.equal(ffgViolation(vote(1, 2), vote(0, 3)), "surround_vote");
    assert.equal(ffgViolation(vote(1, 2), vote(2, 3)), null);
    assert.equal(ffgViolation(vote(0, 2), vote(1, 3)), null);
  });
});

describe("sim verdicts: liveness and finality", () => {
  it("counts epochs from GST, the last heal, to finality of a checkpoint voted after it by every honest node", () => {
    const s = scenario({
      slots: 112,
      partitions: [{start: 16, heal: 56, groups: [["a", "b"], ["c", "d"]]}],
      expect: {finalityWithinEpochsOfGst: 3},
    });
    assert.equal(gstSlot(s), 56);
    const f = root("f");
    const obs = observations({
      scenario: s,
      // Node a finalizes epoch 6 (voted before GST) first: that does not count.
      views: [views(112, [[60, 6, f], [72, 7, f]]), views(112, [[72, 7, f]]), views(112, [[80, 8, f]]), views(112, [[74, 7, f]])],
    });
    const m = epochsToFinality(obs);
    assert.deepEqual(m, {gst: 56, firstEpoch: 7, slot: 80, epochs: 3, perNode: [72, 72, 80, 74]});
    const v = verdict(obs, "liveness");
    assert.equal(v.pass, true);
    assert.equal(v.summary, "every honest node finalized epoch 7+ 3 epochs after GST (epoch 7), expected within 3");
    s.expect.finalityWithinEpochsOfGst = 2;
    assert.equal(verdict(obs, "liveness").pass, false);
  });

  it("takes GST from offline periods too, genesis without either, none for a partition that never heals", () => {
    assert.equal(gstSlot(scenario()), 0);
    assert.equal(gstSlot(scenario({offline: [{node: "a", from: 8, to: 30}], partitions: [{start: 1, heal: 20, groups: [["a"]]}]})), 30);
    assert.equal(gstSlot(scenario({partitions: [{start: 1, heal: null, groups: [["a"]]}]})), null);
    const obs = observations({scenario: scenario({partitions: [{start: 8, heal: null, groups: [["a", "b"]]}]})});
    const v = verdict(obs, "liveness");
    assert.equal(v.pass, true);
    assert.match(v.summary, /no GST within the run/);
  });

  it("from genesis, counts to the first finalization past genesis and fails when a node never gets there", () => {
    const f = root("f");
    const s = scenario({slots: 48, expect: {finalityWithinEpochsOfGst: 4, minFinalizedEpoch: 4}});
    const obs = observations({scenario: s, views: [views(48, [[32, 2, f], [40, 3, f], [48, 4, f]]), views(48, [[32, 2, f], [48, 4, f]]), views(48, [[32, 2, f]]), views(48, [[32, 2, f], [48, 4, f]])]});
    assert.equal(epochsToFinality(obs).epochs, 4);
    assert.equal(verdict(obs, "liveness").pass, true);
    const fin = verdict(obs, "finality");
    assert.equal(fin.pass, false);
    assert.equal(fin.summary, "finalized epoch at the end 2..4 (optimal 4), expected at least 4");
    obs.views[2] = views(48, []);
    const v = verdict(obs, "liveness");
    assert.equal(v.pass, false);
    assert.match(v.summary, /not by c, expected within 4$/);
  });
});

describe("sim verdicts: accountability", () => {
  const offences = [
    {validator: 16, kind: "double_vote" as const, slot: 9},
    {validator: 16, kind: "double_vote" as const, slot: 17},
    {validator: 18, kind: "double_proposal" as const, slot: 12},
  ];

  it("passes when every offender is slashed in every honest view and no honest validator is", () => {
    const obs = observations({
      scenario: scenario({expect: {offendersSlashed: true}}),
      offences,
      byzantineValidators: [16, 17, 18],
      slashedAtEnd: [
        [16, 18],
        [16, 18],
        [18, 16],
        [16, 17, 18],
      ],
    });
    const v = verdict(obs, "accountability");
    assert.equal(v.pass, true, v.summary);
    assert.equal(v.summary, "2/2 offenders slashed in every honest view; no honest validator slashed");
    assert.deepEqual(v.details.offences, {double_vote: 2, double_proposal: 1});
  });

  it("fails when an offender escapes on one node", () => {
    const obs = observations({
      scenario: scenario({expect: {offendersSlashed: true}}),
      offences,
      byzantineValidators: [16, 17, 18],
      slashedAtEnd: [[16, 18], [16], [16, 18], [16, 18]],
    });
    const v = verdict(obs, "accountability");
    assert.equal(v.pass, false);
    assert.deepEqual(v.details.unslashed, [{node: "b", validators: [18]}]);
    assert.match(v.summary, /1\/2 offenders slashed in every honest view \(not: 18\)/);
  });

  it("fails when an honest validator is slashed, expectation or not, slasher or not", () => {
    for (const slasher of [true, false]) {
      const obs = observations({scenario: scenario({slasher}), offences, byzantineValidators: [16, 17, 18], slashedAtEnd: [[16, 3], [16], [16], [16]]});
      const v = verdict(obs, "accountability");
      assert.equal(v.pass, false);
      assert.deepEqual(v.details.honestSlashed, [3]);
      assert.match(v.summary, /HONEST VALIDATORS SLASHED: 3$/);
    }
  });

  it("reports without expectation when the slasher is off", () => {
    const obs = observations({scenario: scenario({slasher: false}), offences, byzantineValidators: [16, 17, 18]});
    const v = verdict(obs, "accountability");
    assert.equal(v.pass, true);
    assert.equal(v.summary, "slasher off: 2 offenders, 0 slashed; no honest validator slashed");
  });
});

describe("sim verdicts: reorgs and participation", () => {
  const reorg = (node: number, slot: number, depth: number): Observations["reorgs"][number] => ({node, slot, depth, oldHead: root(`o${slot}`), newHead: root(`n${slot}`)});

  it("counts the honest blocks no honest node's final chain holds, the attacker's own aside", () => {
    const t = new Tree();
    const tip = t.chain("c", GENESIS, 1, 8);
    t.chain("x", root("c3"), 4, 4); // proposer 4: honest, orphaned
    t.chain("y", root("c5"), 6, 6); // proposer 6: Byzantine here, orphaned too but not counted
    const end = (node: number): Observations["views"][number] => views(8, []).map((v) => ({...v, headRoot: node === 0 ? tip : root("c7")}));
    const obs = observations({
      scenario: scenario({expect: {minOrphanedHonestBlocks: 1, maxOrphanedHonestBlocks: 1}}),
      blocks: t.blocks,
      views: [end(0), end(1), end(2), end(3)],
      byzantineValidators: [6],
    });
    const v = verdict(obs, "reorgs");
    assert.deepEqual(v.details.orphanedHonestBlocks, [{slot: 4, root: root("x4"), proposer: 4}]);
    assert.equal(v.pass, true);
    obs.scenario.expect = {maxOrphanedHonestBlocks: 0};
    assert.equal(verdict(obs, "reorgs").pass, false);
  });

  it("counts reorgs of honest views against min and max", () => {
    const obs = observations({scenario: scenario({expect: {minReorgs: 1}}), reorgs: [reorg(0, 10, 1), reorg(1, 10, 1), reorg(2, 30, 2)]});
    const v = verdict(obs, "reorgs");
    assert.equal(v.pass, true);
    assert.equal(v.summary, "3 reorgs in honest views (2 distinct, max depth 2), 0 honest blocks orphaned, expected at least 1 reorgs");
    obs.scenario.expect = {maxReorgs: 0};
    assert.equal(verdict(obs, "reorgs").pass, false);
    obs.reorgs = [];
    assert.equal(verdict(obs, "reorgs").pass, true);
    obs.scenario.expect = {minReorgs: 1};
    assert.equal(verdict(obs, "reorgs").pass, false);
  });

  it("leaves out epochs a partition or an offline period touched, and their previous epoch", () => {
    const s = scenario({partitions: [{start: 16, heal: 56, groups: [["a", "b"], ["c", "d"]]}], offline: [{node: "d", from: 66, to: 70}]});
    assert.deepEqual([...disturbedEpochs(s, SPE)].sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8]);
    s.expect.minParticipation = 0.95;
    const values = [1, 0.6, 0.5, 0.5, 0.5, 0.5, 0.7, 0.8, 0.9, 0.97];
    const obs = observations({scenario: s, participation: values.map((p, epoch) => ({epoch, targetParticipation: p}))});
    const v = verdict(obs, "participation");
    assert.equal(v.pass, true);
    assert.deepEqual(v.details.lowest, {epoch: 9, value: 0.97});
    assert.deepEqual(v.details.leftOutEpochs, [1, 2, 3, 4, 5, 6, 7, 8]);
    obs.participation.push({epoch: 10, targetParticipation: 0.9}, {epoch: 11, targetParticipation: null});
    const low = verdict(obs, "participation");
    assert.equal(low.pass, false);
    assert.equal(low.summary, "lowest 90.0% in epoch 10 over 3 epochs (8 left out: partition or offline), expected at least 95.0%");
  });

  it("gives all six verdicts in a fixed order, passing without expectations", () => {
    const obs = observations({scenario: scenario()});
    assert.deepEqual(
      computeVerdicts(obs).map((v) => [v.name, v.pass]),
      [
        ["safety", true],
        ["liveness", true],
        ["finality", true],
        ["accountability", true],
        ["reorgs", true],
        ["participation", true],
      ]
    );
  });

  it("writes validator sets as ranges", () => {
    assert.equal(formatIndices([5, 3, 4, 9, 11, 10, 1]), "1, 3-5, 9-11");
    assert.equal(formatIndices([]), "");
  });
});
