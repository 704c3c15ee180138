import {strict as assert} from "node:assert";
import {ACTIVE_PRESET, setActivePreset} from "../../../src/params/index.ts";
import {main} from "../../../src/cli/main.ts";
import {InputError} from "../../../src/util/errors.ts";
import {replay, settingsFromOptions} from "../../../spec-tests/cli.ts";
import {uint16Case, VectorTree} from "./vectorTree.ts";

/** Runs the CLI with console output captured. */
async function runCli(argv: string[]): Promise<{code: number; stdout: string[]; stderr: string[]}> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const {log, error} = console;
  const write = process.stderr.write;
  console.log = (...a: unknown[]) => void stdout.push(a.join(" "));
  console.error = (...a: unknown[]) => void stderr.push(a.join(" "));
  // Progress goes to stderr; keep it out of the test output.
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    return {code: await main(argv), stdout, stderr};
  } finally {
    console.log = log;
    console.error = error;
    process.stderr.write = write;
  }
}

describe("gnomon spec-test", () => {
  const tree = new VectorTree();
  const previous = {preset: ACTIVE_PRESET};
  const savedEnv = {dir: process.env.SPEC_TESTS_DIR, preset: process.env.SPEC_TESTS_PRESET};

  before(() => {
    delete process.env.SPEC_TESTS_DIR;
    delete process.env.SPEC_TESTS_PRESET;
    tree.addCase(uint16Case("uint_16_ok", 0x0102));
    const bad = uint16Case("uint_16_bad", 0x0102);
    bad.files["meta.yaml"] = `root: '0x${"00".repeat(32)}'\n`;
    tree.addCase(bad);
  });

  after(() => {
    tree.remove();
    if (savedEnv.dir !== undefined) process.env.SPEC_TESTS_DIR = savedEnv.dir;
    if (savedEnv.preset !== undefined) process.env.SPEC_TESTS_PRESET = savedEnv.preset;
    setActivePreset(previous.preset);
  });

  describe("bad input is a one-line error and exit status 2", () => {
    const cases: [string, string[], RegExp][] = [
      ["no --dir and no SPEC_TESTS_DIR", ["--preset", "minimal"], /no vectors directory: pass --dir <path> or set SPEC_TESTS_DIR/],
      ["no preset", ["--dir", "<tree>"], /missing --preset \(minimal or mainnet\)/],
      ["an unknown preset", ["--dir", "<tree>", "--preset", "goerli"], /unknown preset "goerli"/],
      ["a nonexistent directory", ["--dir", "/nonexistent/vectors", "--preset", "minimal"], /does not exist/],
      ["a directory without vectors", ["--dir", "<tree>/tests/general", "--preset", "minimal"], /holds no tests\/ folder/],
      ["an unknown fork", ["--dir", "<tree>", "--preset", "minimal", "--fork", "altair"], /unknown fork "altair"/],
      ["an unknown runner", ["--dir", "<tree>", "--preset", "minimal", "--runner", "ssz_statik"], /unknown runner\(s\) ssz_statik/],
      ["filters that match nothing", ["--dir", "<tree>", "--preset", "minimal", "--case", "nothing-like-this"], /no cases under .* with --case nothing-like-this/],
    ];
    for (const [what, args, message] of cases) {
      it(what, async () => {
        const {code, stderr} = await runCli(["spec-test", ...args.map((a) => a.replace("<tree>", tree.root))]);
        assert.equal(code, 2);
        assert.equal(stderr.length, 1, stderr.join("\n"));
        assert.match(stderr[0], /^gnomon: error: /);
        assert.match(stderr[0], message);
      });
    }

    it("a malformed preset file beside the vectors", async () => {
      tree.write("presets/minimal/phase0.yaml", "SLOTS_PER_EPOCH: [8\n");
      try {
        assert.throws(
          () => settingsFromOptions({dir: tree.root, preset: "minimal"}, {}),
          (e: unknown) => e instanceof InputError && /presets\/minimal\/phase0\.yaml: malformed YAML/.test(e.message)
        );
        const {code, stderr} = await runCli(["spec-test", "--dir", tree.root, "--preset", "minimal"]);
        assert.equal(code, 2);
        assert.match(stderr[0], /^gnomon: error: the vectors' presets\/minimal\/phase0\.yaml: malformed YAML/);
      } finally {
        tree.write("presets/minimal/phase0.yaml", "SLOTS_PER_EPOCH: 8\n");
      }
    });

    it("a preset file that disagrees with Gnomon's preset", () => {
      tree.write("presets/mainnet/phase0.yaml", "SLOTS_PER_EPOCH: 8\n");
      try {
        assert.throws(
          () => settingsFromOptions({dir: tree.root, preset: "mainnet"}, {}),
          /presets\/mainnet\/phase0\.yaml has SLOTS_PER_EPOCH: 8, Gnomon's mainnet preset has 32/
        );
      } finally {
        tree.write("presets/mainnet/phase0.yaml", "SLOTS_PER_EPOCH: 32\n");
      }
    });
  });

  it("takes the directory and preset from the environment", () => {
    const s = settingsFromOptions({}, {SPEC_TESTS_DIR: tree.testsDir, SPEC_TESTS_PRESET: "minimal"});
    assert.equal(s.testsRoot, tree.testsDir);
    assert.equal(s.preset, "minimal");
    assert.equal(s.fork, "phase0");
    assert.equal(s.strict, false);
  });

  it("reports the run and exits 1 when a case failed", async () => {
    const {code, stdout} = await runCli(["spec-test", "--dir", tree.root, "--preset", "minimal", "--strict"]);
    assert.equal(code, 1);
    assert.match(stdout[0], /^preset\s+runner\s+handler\s+passed\s+failed\s+skipped\s+time$/);
    assert.match(stdout[1], /^general\s+ssz_generic\s+uints\s+1\s+1\s+0\s/);
    assert.ok(stdout.some((l) => /^FAILED general\/phase0\/ssz_generic\/uints\/valid\/uint_16_bad: hash_tree_root is 0x02010{60}, meta\.yaml says 0x0{64}$/.test(l)));
    assert.equal(stdout[stdout.length - 1], "spec-tests: 1 passed, 1 failed, 0 skipped");
  });

  it("exits 0 when nothing failed, under either preset for general vectors", async () => {
    for (const preset of ["minimal", "mainnet"] as const) {
      const out: string[] = [];
      const s = settingsFromOptions({dir: tree.root, preset, case: "uint_16_ok", strict: true}, {});
      const code = await replay(s, {out: (l) => out.push(l), progress: {write: () => true}});
      assert.equal(code, 0);
      assert.equal(ACTIVE_PRESET, preset, "the preset flag selects the network");
      assert.equal(out[out.length - 1], "spec-tests: 1 passed, 0 failed, 0 skipped");
    }
  });
});
