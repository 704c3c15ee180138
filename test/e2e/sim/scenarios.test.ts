/**
 * The shipped scenarios, each run once in process (real nodes, real BLS, virtual time), must bear
 * out what their files claim; a run replays to the same trace; the CLI's exit status follows the
 * verdicts. The full checks (100 seeds of the partition, 100 epochs) are `npm run sim:check`.
 */
import {strict as assert} from "node:assert";
import {execFile, spawn} from "node:child_process";
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {useNetwork} from "../../../src/params/index.ts";
import {computeVerdicts, defaultSimulationDeps, parseScenario, runSimulation, type Scenario, type Verdict} from "../../../src/sim/index.ts";
import {GNOMON, NODE, ROOT} from "../helpers/processes.ts";

const DIR = join(ROOT, "src/sim/scenarios");

function load(name: string): Scenario {
  const path = join(DIR, `${name}.yaml`);
  return parseScenario(readFileSync(path, "utf8"), path);
}

function failing(verdicts: Verdict[]): string {
  return verdicts
    .filter((v) => !v.pass)
    .map((v) => `${v.name}: ${v.summary}`)
    .join("; ");
}

describe("e2e: gnomon sim scenarios", function () {
  this.timeout(120_000);
  after(() => useNetwork("mainnet"));

  for (const name of ["honest", "partition", "slashable-minority", "ex-ante-reorg-no-boost", "ex-ante-reorg-boost", "withholding", "balancing"]) {
    it(`${name}.yaml: every verdict as the file expects (seed 1)`, async () => {
      const scenario = load(name);
      const {observations} = await runSimulation(scenario, {seed: "1"}, defaultSimulationDeps);
      const verdicts = computeVerdicts(observations);
      assert.equal(failing(verdicts), "");
      const byName = new Map(verdicts.map((v) => [v.name, v]));
      // The values behind the verdicts, not only their pass flags.
      if (name === "honest") assert.equal(byName.get("reorgs")!.details.count, 0);
      if (name === "partition") assert.ok((byName.get("liveness")!.details.epochsFromGst as number) <= 3, byName.get("liveness")!.summary);
      if (name === "slashable-minority") {
        const offenders = new Set(observations.offences.map((o) => o.validator));
        assert.ok(offenders.size >= 8, `offenders ${offenders.size}`);
        for (const slashed of observations.slashedAtEnd) for (const v of offenders) assert.ok(slashed.includes(v), `validator ${v} slashed`);
      }
      if (name === "ex-ante-reorg-no-boost") assert.ok((byName.get("reorgs")!.details.orphanedHonestBlocks as unknown[]).length >= 1);
      if (name === "ex-ante-reorg-boost") assert.deepEqual(byName.get("reorgs")!.details.orphanedHonestBlocks, []);
    });
  }

  it("safety-attack.yaml: more than a third Byzantine across a partition finalizes two conflicting checkpoints and names the slashable validators", async () => {
    const scenario = load("safety-attack");
    const {observations} = await runSimulation(scenario, {seed: "1"}, defaultSimulationDeps);
    const safety = computeVerdicts(observations).find((v) => v.name === "safety")!;
    assert.equal(safety.details.safe, false, safety.summary);
    assert.equal(safety.pass, true, "the scenario expects the violation");
    const slashable = safety.details.slashableValidators as number[];
    const byzantine = new Set(observations.byzantineValidators);
    assert.ok(slashable.length * 3 >= 64, `at least a third of the stake is slashable: ${slashable.length}`);
    for (const v of slashable) assert.ok(byzantine.has(v), `validator ${v} named slashable is Byzantine`);
  });

  it("replays a run byte for byte: the same seed gives the same trace, another seed another", async () => {
    const scenario = {...load("partition"), slots: 40, partitions: [{start: 8, heal: 24, groups: [["a", "b"], ["c", "d"]]}], expect: {}};
    const run = async (seed: string, bls: "shared" | "per-node" = "shared"): Promise<string> =>
      (await runSimulation(scenario, {seed, bls}, defaultSimulationDeps)).observations.traceHash;
    const first = await run("7");
    assert.equal(await run("7", "per-node"), first, "the same seed (and every node verifying every signature itself)");
    assert.notEqual(await run("8"), first, "another seed draws other latencies");
  });
});

describe("e2e: gnomon sim command", function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "gnomon-sim-cli-"));
  });
  after(() => rmSync(dir, {recursive: true, force: true}));

  function sim(args: string[]): Promise<{code: number | null; out: string; err: string}> {
    return new Promise((resolve) => {
      execFile(NODE, [GNOMON, "sim", ...args], {maxBuffer: 64 << 20}, (error, stdout, stderr) => {
        resolve({code: error === null ? 0 : typeof error.code === "number" ? error.code : null, out: stdout, err: stderr});
      });
    });
  }

  it("exits 1 when a verdict contradicts the file, with the seed that replays it; --json parses", async () => {
    const path = join(dir, "wrong.yaml");
    writeFileSync(path, "name: wrong\nduration: epoch 4\nnodes:\n  - {name: a, validators: 16}\n  - {name: b, validators: 16}\nexpect:\n  safety: false\n");
    const human = await sim([path, "--seed", "3"]);
    assert.equal(human.code, 1, human.err);
    assert.match(human.out, /FAIL\s+safety/);
    assert.match(human.out, /--seed 3/);
    const json = await sim([path, "--seed", "3", "--json"]);
    assert.equal(json.code, 1, json.err);
    const report = JSON.parse(json.out);
    assert.equal(report.verdicts.find((v: Verdict) => v.name === "safety").pass, false);
    assert.ok(report.performance.slotsPerSecond > 0);
  });

  it("stops at Ctrl-C: exit 130, nodes stopped, no temporary files left", async () => {
    const tmp = mkdtempSync(join(dir, "tmp-"));
    const child = spawn(NODE, [GNOMON, "sim", join(DIR, "honest-long.yaml")], {env: {...process.env, TMPDIR: tmp}, stdio: ["ignore", "pipe", "pipe"]});
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const code = new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
    // Running: the run's temporary folder (the validator clients' data dirs) exists.
    for (let i = 0; i < 200 && readdirSync(tmp).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(readdirSync(tmp).length, 1, "the run started");
    await new Promise((r) => setTimeout(r, 1500));
    child.kill("SIGINT");
    assert.equal(await code, 130, err);
    assert.match(err, /simulation interrupted at slot \d+/);
    assert.deepEqual(readdirSync(tmp), []);
  });

  it("exits 2 on a bad scenario, naming the key", async () => {
    const path = join(dir, "bad.yaml");
    writeFileSync(path, "name: bad\nduration: epoch 4\nnodes:\n  - {name: a, validators: 16}\nnetwork: {loss: 2}\n");
    const r = await sim([path]);
    assert.equal(r.code, 2);
    assert.match(r.err, /network\.loss/);
  });
});
