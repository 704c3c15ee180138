/**
 * Replays the official vectors under mocha through the same harness as `gnomon spec-test`: one
 * describe per runner/handler, one it per case; skipped cases are pending with their reason (and
 * fail `npm test`, which forbids pending tests). Missing vectors are a failure, not a skip: a
 * suite that passes without running a vector checks nothing.
 *
 * Environment:
 *   SPEC_TESTS_DIR     vectors root (default: ../shared/spec-tests beside the repository)
 *   SPEC_TESTS_PRESET  minimal (default) or mainnet
 *   SPEC_TESTS_STRICT  strict mode (unread files and skips fail); on unless "0"
 *   SPEC_TESTS_MISSING_RUNNERS  "fail" to fail cases of runners not in the registry yet;
 *                      by default they are pending, so unfinished runners do not fail `npm test`
 */
import {existsSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {ACTIVE_PRESET, isPresetName, setActivePreset, useNetwork} from "../src/params/index.ts";
import {discoverCases, resolveTestsRoot, vectorsRootOf, type CaseRef} from "./harness/discover.ts";
import {checkVectorsPreset} from "./harness/presetCheck.ts";
import {RunnerSet, runCase, type RunOptions} from "./harness/run.ts";
import {runners} from "./runners/index.ts";

const explicitDir = process.env.SPEC_TESTS_DIR || undefined;
const vectorsDir = explicitDir ?? fileURLToPath(new URL("../../shared/spec-tests", import.meta.url));
const presetName = process.env.SPEC_TESTS_PRESET || "minimal";
const opts: RunOptions = {
  strict: process.env.SPEC_TESTS_STRICT !== "0",
  allowMissingRunners: process.env.SPEC_TESTS_MISSING_RUNNERS !== "fail",
};

describe(`spec-tests (${presetName})`, function () {
  // One case replays at most a few hundred blocks; a loaded machine gets room, a hang does not.
  this.timeout(300_000);
  if (!isPresetName(presetName)) {
    it("SPEC_TESTS_PRESET names a preset", () => {
      throw new Error(`SPEC_TESTS_PRESET="${presetName}" is not minimal or mainnet`);
    });
    return;
  }
  if (!existsSync(vectorsDir)) {
    it(`vectors at ${vectorsDir}`, () => {
      throw new Error(
        explicitDir !== undefined
          ? `SPEC_TESTS_DIR=${explicitDir} does not exist`
          : `no spec-test vectors at ${vectorsDir}: put them there (../shared/spec-tests) or set SPEC_TESTS_DIR`
      );
    });
    return;
  }
  let testsRoot: string;
  try {
    testsRoot = resolveTestsRoot(vectorsDir);
  } catch (e) {
    it(`vectors at ${vectorsDir}`, () => {
      throw e;
    });
    return;
  }
  const cases = discoverCases(testsRoot, {preset: presetName, fork: "phase0"});
  const runnerSet = new RunnerSet(runners);
  const skipReasons = new Map<string, number>();
  let previous = {preset: ACTIVE_PRESET};

  // Other suites share this process: select the preset for these cases only, then put it back.
  before(() => {
    previous = {preset: ACTIVE_PRESET};
    useNetwork(presetName);
  });
  after(() => {
    setActivePreset(previous.preset);
    if (skipReasons.size > 0) {
      const lines = [...skipReasons].map(([reason, n]) => `  ${reason}: ${n} case(s)`);
      console.log(`\nspec-tests: pending cases\n${lines.join("\n")}`);
    }
  });

  it("the vectors folder holds phase0 cases of this preset", () => {
    if (cases.length === 0) throw new Error(`no ${presetName} phase0 cases under ${testsRoot}`);
  });

  it("the vectors' preset file agrees with Gnomon's preset", () => {
    checkVectorsPreset(vectorsRootOf(testsRoot), presetName, "phase0");
  });

  for (const [group, refs] of groupByHandler(cases)) {
    describe(group, function () {
      for (const ref of refs) {
        it(`${ref.suite}/${ref.name}`, async function () {
          const r = await runCase(ref, runnerSet, opts);
          if (r.status === "failed") throw new Error(r.message);
          if (r.status === "skipped") {
            const reason = r.message ?? "skipped";
            skipReasons.set(reason, (skipReasons.get(reason) ?? 0) + 1);
            if (this.test) this.test.title += ` (skipped: ${reason})`;
            this.skip();
          }
        });
      }
    });
  }
});

function groupByHandler(cases: CaseRef[]): Map<string, CaseRef[]> {
  const groups = new Map<string, CaseRef[]>();
  for (const c of cases) {
    const key = `${c.preset}/${c.runner}/${c.handler}`;
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = []));
    g.push(c);
  }
  return groups;
}
