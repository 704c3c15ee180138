import {strict as assert} from "node:assert";
import {readdirSync, readFileSync} from "node:fs";
import {mkdtemp, rm, stat} from "node:fs/promises";
import {tmpdir} from "node:os";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";
import {InterchangeError} from "../../../../src/validator/slashingProtection/errors.ts";
import {runInterchangeTest, runInterchangeTestFile} from "../../../../src/validator/slashingProtection/interchangeTest.ts";
import {hex, pubkey, rejection, root} from "./helpers.ts";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures");
const files = readdirSync(fixtures).filter((f) => f.startsWith("interchange-") && f.endsWith(".json")).sort();
const load = (name: string): any => JSON.parse(readFileSync(join(fixtures, `interchange-${name}.json`), "utf8"));

describe("slashingProtection / interchange test runner", function () {
  this.timeout(30_000);

  it("has the fixtures this suite expects", () => {
    for (const name of ["double_vote", "surround", "surrounded", "double_proposal", "same_root_resign", "watermark_after_import", "wrong_genesis_validators_root", "slashable_import"]) {
      assert.ok(files.includes(`interchange-${name}.json`), name);
    }
  });

  for (const file of files) {
    it(`passes ${file} exactly`, async () => {
      const result = await runInterchangeTestFile(join(fixtures, file));
      assert.equal(result.mismatch, null, result.mismatch?.description);
      assert.equal(result.passed, true);
      const test = JSON.parse(readFileSync(join(fixtures, file), "utf8"));
      const expectedChecks = test.steps.reduce((n: number, s: any) => n + 1 + s.blocks.length + s.attestations.length, 0);
      assert.equal(result.checks, expectedChecks);
      assert.equal(result.stepsRun, test.steps.length);
    });
  }

  it("fails, naming the first mismatch, when something that must be refused is signed", async () => {
    const test = load("double_vote");
    test.steps[0].attestations[0].should_succeed = false;
    const result = await runInterchangeTest(test);
    assert.equal(result.passed, false);
    assert.deepEqual({...result.mismatch, description: undefined}, {step: 0, kind: "attestation", index: 0, expected: false, actual: true, description: undefined});
    assert.match(result.mismatch!.description, /attestation 1->3: signed/);
  });

  it("fails on a refusal of something the complete strategy signs: no tolerated mismatch", async () => {
    const test = load("double_proposal");
    test.steps[0].blocks[0].should_succeed = true;
    const result = await runInterchangeTest(test);
    assert.equal(result.passed, false);
    assert.deepEqual([result.mismatch!.kind, result.mismatch!.index, result.mismatch!.expected, result.mismatch!.actual], ["block", 0, true, false]);
    assert.match(result.mismatch!.description, /block slot 10: DOUBLE_PROPOSAL/);
  });

  it("judges by should_succeed_complete where a file gives it", async () => {
    const test = load("double_proposal");
    test.steps[0].blocks[0].should_succeed_complete = true;
    const result = await runInterchangeTest(test);
    assert.equal(result.passed, false);
    assert.equal(result.mismatch!.expected, true);
    test.steps[0].blocks[0].should_succeed = true;
    test.steps[0].blocks[0].should_succeed_complete = false;
    assert.equal((await runInterchangeTest(test)).passed, true);
  });

  it("fails when an import that should be refused succeeds, or the other way round", async () => {
    const wrong = load("wrong_genesis_validators_root");
    wrong.steps[0].should_succeed = true;
    const r1 = await runInterchangeTest(wrong);
    assert.equal(r1.passed, false);
    assert.deepEqual([r1.mismatch!.kind, r1.mismatch!.expected, r1.mismatch!.actual], ["import", true, false]);
    assert.match(r1.mismatch!.description, /GENESIS_VALIDATORS_ROOT_MISMATCH/);

    const good = load("surround");
    good.steps[0].should_succeed = false;
    const r2 = await runInterchangeTest(good);
    assert.deepEqual([r2.passed, r2.mismatch!.kind, r2.mismatch!.actual], [false, "import", true]);
  });

  it("reads the older single-step layout with numeric fields", async () => {
    const result = await runInterchangeTest({
      name: "legacy",
      genesis_validators_root: hex(root(0)),
      should_succeed: true,
      interchange: {
        metadata: {interchange_format_version: "5", genesis_validators_root: hex(root(0))},
        data: [{pubkey: hex(pubkey(1)), signed_blocks: [], signed_attestations: [{source_epoch: "0", target_epoch: "0"}]}],
      },
      blocks: [],
      attestations: [
        {pubkey: hex(pubkey(1)), source_epoch: 0, target_epoch: 0, should_succeed: false},
        {pubkey: hex(pubkey(1)), source_epoch: 0, target_epoch: 1, should_succeed: true},
      ],
    });
    assert.equal(result.passed, true, result.mismatch?.description);
    assert.equal(result.checks, 3);
  });

  it("rejects a malformed test file with a typed error", async () => {
    for (const bad of [null, {name: "x"}, {name: "x", genesis_validators_root: hex(root(0)), steps: [{should_succeed: "yes", interchange: {}}]}]) {
      const e = await rejection(runInterchangeTest(bad));
      assert.ok(e instanceof InterchangeError && e.code === "INTERCHANGE_TEST_MALFORMED", String(e));
    }
    const missing = await rejection(runInterchangeTestFile(join(fixtures, "nope.json")));
    assert.ok(missing instanceof InterchangeError && missing.code === "INTERCHANGE_TEST_MALFORMED");
  });

  it("uses a given fresh database path and refuses an existing one", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gnomon-interchange-runner-"));
    try {
      const dbPath = join(dir, "db");
      assert.equal((await runInterchangeTest(load("surround"), {dbPath})).passed, true);
      assert.ok((await stat(dbPath)).isDirectory());
      const e = await rejection(runInterchangeTest(load("surround"), {dbPath}));
      assert.ok(e instanceof InterchangeError && e.code === "INTERCHANGE_TEST_MALFORMED");
    } finally {
      await rm(dir, {recursive: true, force: true});
    }
  });
});
