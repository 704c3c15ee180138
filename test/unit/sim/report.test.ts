import {strict as assert} from "node:assert";
import {formatReport, formatRuns, replayCommand, reportObject, worstOf, type RunResult} from "../../../src/sim/report.ts";
import type {Observations} from "../../../src/sim/types.ts";
import {computeVerdicts} from "../../../src/sim/verdicts.ts";
import {observations, root, scenario, views} from "./observations.ts";

/** A partition run whose nodes finalize epoch 7 at `finalSlot` (GST is slot 56). */
function partitionRun(seed: string, finalSlot: number | null, expectWithin = 3): Observations {
  const s = scenario({
    slots: 112,
    partitions: [{start: 16, heal: 56, groups: [["a", "b"], ["c", "d"]]}],
    expect: {safety: true, finalityWithinEpochsOfGst: expectWithin, maxReorgs: 1},
  });
  const f = root("f7");
  const v = views(112, finalSlot === null ? [] : [[finalSlot, 7, f]]);
  return observations({
    scenario: s,
    seed,
    views: [v, v, v, v],
    reorgs: [{node: 2, slot: 57, depth: 3, oldHead: root("old"), newHead: root("new")}],
    participation: [0.99, 0.98, 0.5, 0.5, 0.5, 0.5, 0.5, 0.8, 0.97].map((p, epoch) => ({epoch, targetParticipation: p})),
    traceHash: seed.repeat(64).slice(0, 64),
  });
}

function run(seed: string, finalSlot: number | null, expectWithin = 3): RunResult {
  const observations = partitionRun(seed, finalSlot, expectWithin);
  return {observations, verdicts: computeVerdicts(observations)};
}

describe("sim report", () => {
  it("prints the verdict table, participation, reorgs, trace hash, seed and the replay command", () => {
    const {observations: obs, verdicts} = run("5", 88);
    obs.behaviours = [{behaviour: "ex_ante_reorg", node: "a", text: "6 attempts, 4 succeeded", details: {attempts: 6, succeeded: 4}}];
    const text = formatReport(obs, verdicts, {json: false});
    const lines = text.split("\n");
    assert.equal(lines[0], "hand-made");
    assert.match(lines[1], /^ {2}4 nodes, 16 validators \(0 Byzantine\), 14 epochs, 6 s\/slot, proposer boost 40, slasher on, latency 200±100 ms, loss 0$/);
    assert.ok(lines.includes("  PASS  safety          no conflicting finalization: 2 finalized checkpoints in 4 honest views"), text);
    assert.ok(lines.includes("  FAIL  liveness        every honest node finalized epoch 7+ 4 epochs after GST (epoch 7), expected within 3"), text);
    assert.ok(lines.includes("participation  e0 99 e1 98* e2 50* e3 50* e4 50* e5 50* e6 50* e7 80 e8 97 (% of stake on target; * partition/offline)"), text);
    assert.match(text, /\nreorgs {9}1 \(max depth 3\): c@57 depth 3 0x6f6c642e->0x6e65772e\n/);
    assert.match(text, /\nbyzantine {6}ex_ante_reorg@a: 6 attempts, 4 succeeded\n/);
    assert.match(text, /\ntrace sha256 {3}5{64}\n/);
    assert.match(text, /\nresult {9}FAIL \(liveness\), seed 5\n/);
    assert.ok(text.endsWith("\nreplay         npm run gnomon -- sim src/sim/scenarios/hand-made.yaml --seed 5"), text);
  });

  it("quotes what the shell would split and repeats extra replay flags", () => {
    const s = scenario({source: "my scenarios/it's.yaml"});
    assert.equal(replayCommand(s, "12", ["--bls", "fake"]), `npm run gnomon -- sim 'my scenarios/it'\\''s.yaml' --seed 12 --bls fake`);
  });

  it("gives a JSON form that round-trips and is stable", () => {
    const {observations: obs, verdicts} = run("9", 72);
    obs.behaviours = [{behaviour: "balancing", node: "b", text: "split lasted 2 epochs", details: {epochs: 2, perSlot: [1, null]}}];
    const json = formatReport(obs, verdicts, {json: true});
    const parsed = JSON.parse(json);
    assert.deepEqual(parsed, reportObject(obs, verdicts));
    assert.deepEqual(parsed.verdicts, JSON.parse(JSON.stringify(verdicts)));
    assert.deepEqual(parsed.verdicts, verdicts);
    assert.equal(parsed.seed, "9");
    assert.equal(parsed.pass, true);
    assert.equal(parsed.replay, "npm run gnomon -- sim src/sim/scenarios/hand-made.yaml --seed 9");
    assert.deepEqual(parsed.scenario, obs.scenario);
    assert.deepEqual(parsed.finalized[0], {node: "a", epoch: 7, root: root("f7")});
    assert.deepEqual(parsed.behaviours, obs.behaviours);
    assert.deepEqual(Object.keys(parsed), ["scenario", "seed", "traceHash", "replay", "pass", "verdicts", "participation", "reorgs", "behaviours", "finalized"]);
    assert.equal(formatReport(obs, computeVerdicts(obs), {json: true}), json);
    obs.behaviours[0].details = {big: 2n ** 64n, seen: new Set([3, 1]), byNode: new Map([[0, 2]])};
    assert.deepEqual(JSON.parse(formatReport(obs, verdicts, {json: true})).behaviours[0].details, {big: "18446744073709551616", seen: [3, 1], byNode: {"0": 2}});
  });

  it("picks the worst run: failing first, then most failures, then the slowest finality", () => {
    const fast = run("1", 72);
    const slow = run("2", 80);
    const late = run("3", 88); // fails liveness
    const never = run("4", null); // fails liveness too
    const worse = run("5", 96);
    worse.observations.reorgs.push({node: 1, slot: 60, depth: 1, oldHead: root("x"), newHead: root("y")}); // and now reorgs too
    worse.verdicts = computeVerdicts(worse.observations);
    assert.equal(worstOf([fast, slow]).worst, slow);
    assert.deepEqual(worstOf([fast, slow]).failingSeeds, []);
    assert.equal(worstOf([fast, late, slow]).worst, late);
    assert.equal(worstOf([fast, late, never, slow]).worst, never);
    const all = worstOf([fast, late, worse, never, slow]);
    assert.equal(all.worst, worse);
    assert.equal(all.index, 2);
    assert.deepEqual(all.failingSeeds, ["3", "5", "4"]);
    assert.throws(() => worstOf([]), RangeError);
  });

  it("reports K runs with the failing seeds and the command to replay one", () => {
    const runs = [run("1", 72), run("2", 88), run("3", 80)];
    const text = formatRuns(runs, {json: false});
    assert.ok(text.startsWith("worst of 3 runs (seeds 1..3): seed 2\n"), text);
    assert.match(text, /\nruns {11}2 passed, 1 failed\n/);
    assert.match(text, /\nfinality {7}min 2 median 3 max 4 epochs after GST over 3 runs that reached it\n/);
    assert.match(text, /\nfailing seeds {2}2\n/);
    assert.ok(text.endsWith("replay one     npm run gnomon -- sim src/sim/scenarios/hand-made.yaml --seed 2"), text);
    const json = JSON.parse(formatRuns(runs, {json: true}));
    assert.deepEqual(json.failingSeeds, ["2"]);
    assert.equal(json.worst.seed, "2");
    assert.deepEqual(json.perRun.map((r: {pass: boolean}) => r.pass), [true, false, true]);
  });
});
