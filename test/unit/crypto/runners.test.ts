import {strict as assert} from "node:assert";
import {existsSync, readdirSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {parse} from "yaml";
import {runner as blsRunner} from "../../../spec-tests/runners/bls.ts";
import {runner as shufflingRunner} from "../../../spec-tests/runners/shuffling.ts";
import {CaseFailure, SkipCase, type CaseContext} from "../../../spec-tests/harness/types.ts";

const VECTORS = process.env.SPEC_TESTS_DIR ?? fileURLToPath(new URL("../../../../shared/spec-tests", import.meta.url));
const TESTS = join(VECTORS, "tests");

/**
 * A CaseContext over one case folder, with optional in-memory replacements of YAML documents
 * (to feed a runner a tampered case).
 */
function caseContext(
  dir: string,
  where: {preset: "minimal" | "general"; runner: string; handler: string; suite: string},
  overrides: Record<string, unknown> = {},
): CaseContext {
  const fileNames = readdirSync(dir);
  return {
    dir,
    preset: where.preset,
    fork: "phase0",
    runner: where.runner,
    handler: where.handler,
    suite: where.suite,
    name: dir.split("/").pop() as string,
    files: () => [...fileNames],
    has: (file) => fileNames.includes(file),
    readSsz: () => {
      throw new Error("no SSZ in this runner");
    },
    readYaml: <T>(name: string) =>
      (name in overrides ? overrides[name] : parse(readFileSync(join(dir, `${name}.yaml`), "utf8"), {intAsBigInt: true})) as T,
    readFile: (file) => readFileSync(join(dir, file)),
    markRead: () => {},
  };
}

function casesOf(preset: string, runner: string, handler: string, suite: string): string[] {
  const root = join(TESTS, preset, "phase0", runner, handler, suite);
  return readdirSync(root).map((name) => join(root, name));
}

describe("spec-test runners bls and shuffling (local context)", function () {
  // Sixty BLS cases and the shuffling vectors, on a machine others share.
  this.timeout(60_000);
  // Without the vectors every test below would check nothing: that is a failure, not a skip.
  before(function () {
    if (!existsSync(TESTS)) throw new Error(`no spec-test vectors at ${TESTS}: put them in ../shared/spec-tests or set SPEC_TESTS_DIR`);
  });

  it("passes every phase0 bls case", async () => {
    const handlers = readdirSync(join(TESTS, "general", "phase0", "bls"));
    assert.deepEqual(handlers.sort(), ["aggregate", "aggregate_verify", "fast_aggregate_verify", "sign", "verify"]);
    let count = 0;
    for (const handler of handlers) {
      for (const dir of casesOf("general", "bls", handler, "bls")) {
        await blsRunner.run(caseContext(dir, {preset: "general", runner: "bls", handler, suite: "bls"}));
        count++;
      }
    }
    assert.equal(count, 60);
  });

  it("fails bls cases whose expected output is wrong", async () => {
    const where = (handler: string) => ({preset: "general" as const, runner: "bls", handler, suite: "bls"});
    const verifyDir = join(TESTS, "general/phase0/bls/verify/bls/verify_valid_case_195246ee3bd3b6ec");
    const data = parse(readFileSync(join(verifyDir, "data.yaml"), "utf8")) as {input: unknown; output: boolean};
    assert.equal(data.output, true);
    await assert.rejects(async () => blsRunner.run(caseContext(verifyDir, where("verify"), {data: {...data, output: false}})), CaseFailure);

    const aggDir = join(TESTS, "general/phase0/bls/aggregate/bls/aggregate_infinity_signature");
    const agg = parse(readFileSync(join(aggDir, "data.yaml"), "utf8")) as {input: unknown; output: string};
    await assert.rejects(async () => blsRunner.run(caseContext(aggDir, where("aggregate"), {data: {...agg, output: null}})), CaseFailure);
    await assert.rejects(
      async () => blsRunner.run(caseContext(aggDir, where("aggregate"), {data: {input: [], output: agg.output}})),
      CaseFailure,
    );
    // Empty input with a null output is the real `aggregate_na_signatures` vector: it passes.
    await blsRunner.run(caseContext(aggDir, where("aggregate"), {data: {input: [], output: null}}));
  });

  it("skips bls handlers outside phase0", async () => {
    const dir = join(TESTS, "general/phase0/bls/verify/bls/verify_valid_case_195246ee3bd3b6ec");
    await assert.rejects(
      async () => blsRunner.run(caseContext(dir, {preset: "general", runner: "bls", handler: "eth_aggregate_pubkeys", suite: "bls"})),
      SkipCase,
    );
  });

  it("passes the minimal shuffling cases up to 1000 indices (both per-index and whole list)", async () => {
    let count = 0;
    for (const dir of casesOf("minimal", "shuffling", "core", "shuffle")) {
      const n = Number(dir.split("_").pop());
      if (n > 1000) continue;
      await shufflingRunner.run(caseContext(dir, {preset: "minimal", runner: "shuffling", handler: "core", suite: "shuffle"}));
      count++;
    }
    assert.equal(count, 270);
  });

  it("fails a shuffling case with two mapping entries swapped", async () => {
    const dir = casesOf("minimal", "shuffling", "core", "shuffle").find((d) => d.endsWith("_100")) as string;
    const where = {preset: "minimal" as const, runner: "shuffling", handler: "core", suite: "shuffle"};
    const data = parse(readFileSync(join(dir, "mapping.yaml"), "utf8"), {intAsBigInt: true}) as {mapping: bigint[]};
    const mapping = [...data.mapping];
    [mapping[40], mapping[41]] = [mapping[41], mapping[40]];
    await assert.rejects(async () => shufflingRunner.run(caseContext(dir, where, {mapping: {...data, mapping}})), CaseFailure);
    // The same case under the mainnet round count must not match either.
    await assert.rejects(async () => shufflingRunner.run(caseContext(dir, {...where, preset: "mainnet" as never})), CaseFailure);
  });
});
