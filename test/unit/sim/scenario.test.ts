import {strict as assert} from "node:assert";
import {readdirSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {ScenarioError, loadScenario, parseScenario} from "../../../src/sim/scenario.ts";
import {formatSlotTime, parseSlotTime} from "../../../src/sim/scenarioTime.ts";
import {InputError} from "../../../src/util/errors.ts";

const DIR = join(import.meta.dirname, "../../../src/sim/scenarios");

const BASE = `name: base
duration: epoch 10
nodes:
  - {name: a, validators: 16}
  - {name: b, validators: 16}
  - {name: c, validators: 16}
  - {name: d, validators: 16}
`;

function fails(text: string, path: string, expected: RegExp): ScenarioError {
  try {
    parseScenario(text, "bad.yaml");
  } catch (e) {
    assert.ok(e instanceof ScenarioError, `not a ScenarioError: ${String(e)}`);
    assert.equal(e.source, "bad.yaml");
    assert.equal(e.path, path, e.message);
    assert.match(e.expected, expected, e.message);
    assert.ok(e.message.startsWith("bad.yaml"), e.message);
    if (path !== "") assert.ok(e.message.includes(` ${path}: expected `), e.message);
    return e;
  }
  assert.fail(`parsed without error, expected one at ${path}`);
}

describe("sim scenario: times", () => {
  it("reads epoch N, slot N and plain slot numbers as slots of the minimal preset", () => {
    assert.equal(parseSlotTime("epoch 3"), 24);
    assert.equal(parseSlotTime("Epoch 0"), 0);
    assert.equal(parseSlotTime("slot 17"), 17);
    assert.equal(parseSlotTime(17), 17);
    assert.equal(parseSlotTime("17"), 17);
    for (const bad of ["week 3", "epoch", "epoch -1", "epoch 1.5", -1, 2.5, true, null, "3 epochs"]) assert.equal(parseSlotTime(bad), null, String(bad));
  });

  it("names a slot the way a scenario would write it", () => {
    assert.equal(formatSlotTime(56), "epoch 7");
    assert.equal(formatSlotTime(57), "slot 57 (epoch 7)");
  });
});

describe("sim scenario: shipped files", () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith(".yaml"));

  it("ships the documented scenarios", () => {
    for (const f of ["honest", "partition", "slashable-minority", "safety-attack", "ex-ante-reorg-no-boost", "ex-ante-reorg-boost", "withholding", "balancing"]) {
      assert.ok(files.includes(`${f}.yaml`), f);
    }
    const readme = readFileSync(join(DIR, "README.md"), "utf8");
    for (const f of files) assert.ok(readme.includes(f), `README.md does not explain ${f}`);
    assert.ok(!readme.includes("npx gnomon"));
  });

  for (const f of readdirSync(DIR).filter((x) => x.endsWith(".yaml"))) {
    it(`parses ${f}`, async () => {
      const s = await loadScenario(join(DIR, f));
      assert.equal(`${s.name}.yaml`, f);
      assert.ok(s.description.length > 0);
      assert.equal(s.nodes.length, 4);
      assert.ok(Object.keys(s.expect).length > 0);
    });
  }

  it("reads the partition scenario to the values it documents", async () => {
    const s = await loadScenario(join(DIR, "partition.yaml"));
    assert.equal(s.slots, 14 * 8);
    assert.deepEqual(s.partitions, [{start: 16, heal: 56, groups: [["a", "b"], ["c", "d"]]}]);
    assert.deepEqual(s.network, {latencyMs: 200, jitterMs: 100, loss: 0});
    assert.deepEqual(s.expect, {safety: true, finalityWithinEpochsOfGst: 3, minFinalizedEpoch: 10});
  });

  it("makes the safety attack more than a third Byzantine and two thirds on each side", async () => {
    const s = await loadScenario(join(DIR, "safety-attack.yaml"));
    const honest = s.nodes.reduce((n, x) => n + x.validators, 0);
    const byz = s.byzantine.reduce((n, g) => n + g.validators, 0);
    const total = honest + byz;
    assert.ok(3 * byz > total);
    assert.equal(s.partitions[0].heal, null);
    for (const side of s.partitions[0].groups) {
      const sideHonest = s.nodes.filter((n) => side.includes(n.name)).reduce((n, x) => n + x.validators, 0);
      assert.ok(3 * (sideHonest + byz) >= 2 * total, side.join(","));
    }
    assert.equal(s.expect.safety, false);
  });

  it("differs in proposer boost only between the two ex-ante reorg files", async () => {
    const off = await loadScenario(join(DIR, "ex-ante-reorg-no-boost.yaml"));
    const on = await loadScenario(join(DIR, "ex-ante-reorg-boost.yaml"));
    assert.equal(off.proposerScoreBoost, 0);
    assert.equal(on.proposerScoreBoost, 40);
    assert.deepEqual(off.byzantine, on.byzantine);
    assert.deepEqual(off.nodes, on.nodes);
    assert.deepEqual(off.expect, {safety: true, minOrphanedHonestBlocks: 1});
    assert.deepEqual(on.expect, {safety: true, maxOrphanedHonestBlocks: 0});
    assert.deepEqual(off.byzantine[0].params, {releaseMs: 0});
  });
});

describe("sim scenario: defaults", () => {
  it("fills every optional key with its documented default", () => {
    const s = parseScenario("duration: 20\nnodes: [{name: solo, validators: 8}]\n", "dir/tiny-one.yaml");
    assert.deepEqual(s, {
      name: "tiny-one",
      description: "",
      source: "dir/tiny-one.yaml",
      slots: 20,
      secondsPerSlot: 6,
      proposerScoreBoost: 40,
      slasher: true,
      nodes: [{name: "solo", validators: 8}],
      network: {latencyMs: 100, jitterMs: 0, loss: 0},
      partitions: [],
      offline: [],
      byzantine: [],
      expect: {},
    });
  });

  it("reads proposer boost as on, off or a number, and groups with their windows", () => {
    assert.equal(parseScenario(BASE + "proposer_boost: false\n", "x.yaml").proposerScoreBoost, 0);
    assert.equal(parseScenario(BASE + "proposer_boost: 25\n", "x.yaml").proposerScoreBoost, 25);
    const s = parseScenario(
      BASE +
        `byzantine:
  - {behaviour: surround_voter, node: b, validators: 3, from: slot 9, until: epoch 4, params: {every: 2}}
  - {behaviour: withholding_proposer, node: c, validators: 2}
offline:
  - {node: d, from: epoch 3, to: 40}
  - {node: d, from: epoch 6, to: epoch 7}
partitions:
  - {start: 8, heal: epoch 2, groups: [[a], [b, c]]}
  - {start: epoch 2, groups: [[a, b, c, d]]}
`,
      "x.yaml"
    );
    assert.deepEqual(s.byzantine, [
      {behaviour: "surround_voter", validators: 3, node: "b", from: 9, until: 32, params: {every: 2}},
      {behaviour: "withholding_proposer", validators: 2, node: "c", from: 0, until: null, params: {}},
    ]);
    assert.deepEqual(s.offline, [
      {node: "d", from: 24, to: 40},
      {node: "d", from: 48, to: 56},
    ]);
    assert.deepEqual(s.partitions[1], {start: 16, heal: null, groups: [["a", "b", "c", "d"]]});
  });
});

describe("sim scenario: bad files name the key and what was expected", () => {
  it("is an InputError (the CLI exits 2 with the message)", () => {
    const e = fails(BASE + "colour: blue\n", "colour", /one of the keys name, description, duration/);
    assert.ok(e instanceof InputError);
  });

  it("points at the line of the offending key", () => {
    const e = fails(BASE + "network:\n  latency_ms: 200\n  loss: 1\n", "network.loss", /a number in \[0, 1\)/);
    assert.equal(e.line, 10);
    assert.ok(e.message.startsWith("bad.yaml:10: network.loss: expected a number in [0, 1), got 1"), e.message);
  });

  const cases: [string, string, string, RegExp][] = [
    ["YAML syntax", "duration: [epoch 3\n", "", /valid YAML/],
    ["duplicate key", BASE + "duration: 3\n", "", /valid YAML/],
    ["not a mapping", "- 1\n- 2\n", "", /a mapping/],
    ["missing duration", "nodes: [{name: a, validators: 1}]\n", "duration", /length of the run/],
    ["bad duration", BASE.replace("epoch 10", "ten epochs"), "duration", /a length of/],
    ["zero duration", BASE.replace("epoch 10", "0"), "duration", /a length of 1\.\./],
    ["wrong type", BASE + "seconds_per_slot: six\n", "seconds_per_slot", /an integer in 1\.\.60/],
    ["boolean wanted", BASE + "slasher: yes\n", "slasher", /true or false/],
    ["boost out of range", BASE + "proposer_boost: -5\n", "proposer_boost", /an integer/],
    ["negative loss", BASE + "network: {loss: -0.1}\n", "network.loss", /\[0, 1\)/],
    ["unknown network key", BASE + "network: {latency: 5}\n", "network.latency", /latency_ms, jitter_ms, loss/],
    ["no nodes", "duration: 8\nnodes: []\n", "nodes", /at least one node/],
    ["duplicate node", BASE + "  - {name: a, validators: 1}\n", "nodes[4].name", /no other node/],
    ["bad node name", BASE.replace("name: d,", "name: 'd d',"), "nodes[3].name", /a name of/],
    ["fractional validators", BASE.replace("validators: 16}\n  - {name: b", "validators: 1.5}\n  - {name: b"), "nodes[0].validators", /an integer/],
    ["unknown node in a partition", BASE + "partitions: [{start: 8, heal: 16, groups: [[a, b], [c, e]]}]\n", "partitions[0].groups[1][1]", /one of the nodes a, b, c, d/],
    ["node on two sides", BASE + "partitions: [{start: 8, heal: 16, groups: [[a, b], [b, c]]}]\n", "partitions[0].groups[1][0]", /at most one group/],
    ["empty side", BASE + "partitions: [{start: 8, heal: 16, groups: [[a, b], []]}]\n", "partitions[0].groups[1]", /non-empty/],
    ["heal before start", BASE + "partitions: [{start: epoch 3, heal: epoch 2, groups: [[a]]}]\n", "partitions[0].heal", /after the start \(slot 24\)/],
    ["heal beyond the run", BASE + "partitions: [{start: 8, heal: epoch 11, groups: [[a]]}]\n", "partitions[0].heal", /within the run \(at most slot 80/],
    ["start at the end", BASE + "partitions: [{start: epoch 10, groups: [[a]]}]\n", "partitions[0].start", /before the end of the run/],
    [
      "overlapping partitions",
      BASE + "partitions:\n  - {start: 8, heal: 40, groups: [[a]]}\n  - {start: 32, heal: 48, groups: [[b]]}\n",
      "partitions[1].start",
      /does not overlap partitions\[0\]/,
    ],
    ["partition without groups", BASE + "partitions: [{start: 8}]\n", "partitions[0].groups", /lists of node names/],
    ["offline node unknown", BASE + "offline: [{node: z, from: 1, to: 2}]\n", "offline[0].node", /one of the nodes/],
    ["offline beyond the run", BASE + "offline: [{node: a, from: 1, to: epoch 20}]\n", "offline[0].to", /within the run/],
    ["offline backwards", BASE + "offline: [{node: a, from: 9, to: 9}]\n", "offline[0].to", /after from/],
    ["offline overlap", BASE + "offline: [{node: a, from: 1, to: 20}, {node: a, from: 10, to: 30}]\n", "offline[1].from", /does not overlap offline\[0\]/],
    ["byzantine on unknown node", BASE + "byzantine: [{behaviour: double_voter, node: x, validators: 2}]\n", "byzantine[0].node", /one of the nodes/],
    ["unknown behaviour", BASE + "byzantine: [{behaviour: selfish_mining, node: a, validators: 2}]\n", "byzantine[0].behaviour", /double_voter/],
    ["group without validators", BASE + "byzantine: [{behaviour: double_voter, node: a, validators: 0}]\n", "byzantine[0].validators", /1\.\./],
    ["group until before from", BASE + "byzantine: [{behaviour: double_voter, node: a, validators: 1, from: epoch 4, until: epoch 4}]\n", "byzantine[0].until", /after from/],
    ["non-scalar param", BASE + "byzantine: [{behaviour: double_voter, node: a, validators: 1, params: {split: [1, 2]}}]\n", "byzantine[0].params.split", /number, string or boolean/],
    ["unknown expectation", BASE + "expect: {finality: true}\n", "expect.finality", /min_finalized_epoch/],
    ["participation above 1", BASE + "expect: {min_participation: 1.5}\n", "expect.min_participation", /\[0, 1\]/],
    ["min above max reorgs", BASE + "expect: {max_reorgs: 1, min_reorgs: 2}\n", "expect.min_reorgs", /at most max_reorgs/],
    ["unreachable finality", BASE + "expect: {min_finalized_epoch: 9}\n", "expect.min_finalized_epoch", /0\.\.8/],
    ["offenders slashed without slasher", BASE + "slasher: false\nexpect: {offenders_slashed: true}\n", "expect.offenders_slashed", /slasher: false/],
    [
      "finality after a GST that never comes",
      BASE + "partitions: [{start: 8, heal: never, groups: [[a, b]]}]\nexpect: {finality_within_epochs_of_gst: 3}\n",
      "expect.finality_within_epochs_of_gst",
      /never heals/,
    ],
  ];
  for (const [what, text, path, expected] of cases) {
    it(what, () => {
      fails(text, path, expected);
    });
  }

  it("refuses a file that cannot be read, naming it", async () => {
    await assert.rejects(loadScenario("/nonexistent/scenario.yaml"), (e: unknown) => e instanceof ScenarioError && e.message.startsWith("/nonexistent/scenario.yaml:"));
  });
});
