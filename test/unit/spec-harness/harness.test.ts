import {strict as assert} from "node:assert";
import {join} from "node:path";
import {UintBigintType, type Type} from "@chainsafe/ssz";
import {ACTIVE_PRESET, presets, setActivePreset} from "../../../src/params/index.ts";
import {createPhase0Types} from "../../../src/types/index.ts";
import {discoverCases, resolveTestsRoot} from "../../../spec-tests/harness/discover.ts";
import {RunnerSet, runCases, type CaseResult, type RunOptions} from "../../../spec-tests/harness/run.ts";
import {SkipCase, type Runner} from "../../../spec-tests/harness/types.ts";
import {formatProblems, formatTable, Progress, summaryLine} from "../../../spec-tests/harness/report.ts";
import {runners} from "../../../spec-tests/runners/index.ts";
import {uint16Case, VectorTree} from "./vectorTree.ts";

describe("spec-harness run loop", () => {
  const tree = new VectorTree();
  const previous = {preset: ACTIVE_PRESET};

  // A stand-in for a runner another engineer owns: it throws in the ways a real one might.
  const flaky: Runner = {
    name: "shuffling",
    run(ctx) {
      ctx.markRead("mapping.yaml");
      if (ctx.name === "type_error") (undefined as unknown as {x: number}).x;
      if (ctx.name === "not_an_error") throw "plain string";
      if (ctx.name === "skipped") throw new SkipCase("needs a feature that is not there");
    },
  };
  // Only these runners exist here, whatever the shared registry holds by now.
  const registry = {ssz_generic: runners.ssz_generic, ssz_static: runners.ssz_static, shuffling: async () => flaky};

  before(() => {
    tree.addCase(uint16Case("uint_16_ok", 0x1234));
    const badRoot = uint16Case("uint_16_bad_root", 0x1234);
    badRoot.files["meta.yaml"] = `root: '0x${"ab".repeat(32)}'\n`;
    tree.addCase(badRoot);
    const badValue = uint16Case("uint_16_bad_value", 0x1234);
    badValue.files["value.yaml"] = "4661\n";
    tree.addCase(badValue);
    const truncatedDir = tree.addCase(uint16Case("uint_16_truncated", 0x1234));
    tree.write(join(truncatedDir.slice(tree.root.length), "serialized.ssz_snappy"), new Uint8Array([0x02, 0x04, 0x34]));
    const extra = uint16Case("uint_16_unread_file", 7);
    extra.files["notes.yaml"] = "note: nobody reads me\n";
    tree.addCase(extra);
    const malformed = uint16Case("uint_16_malformed_yaml", 7);
    malformed.files["value.yaml"] = "[1, 2\n";
    tree.addCase(malformed);
    tree.addCase(uint16Case("uint_16_wrong_manifest", 7, {manifest: {handler: "bitlist"}}));
    tree.addCase(uint16Case("uint_16_no_manifest", 7, {manifest: false}));
    tree.addCase({
      preset: "general",
      runner: "ssz_generic",
      handler: "uints",
      suite: "invalid",
      name: "uint_16_one_byte_longer",
      files: {"serialized.ssz_snappy": new Uint8Array([1, 2, 3])},
    });
    tree.addCase({
      preset: "general",
      runner: "ssz_generic",
      handler: "uints",
      suite: "invalid",
      name: "uint_16_but_valid",
      files: {"serialized.ssz_snappy": new Uint8Array([1, 2])},
    });
    for (const name of ["type_error", "not_an_error", "skipped", "fine"]) {
      tree.addCase({preset: "minimal", runner: "shuffling", handler: "core", suite: "shuffle", name, files: {"mapping.yaml": "seed: '0x00'\n"}});
    }
    tree.addCase({preset: "minimal", runner: "light_client", handler: "sync", suite: "pyspec_tests", name: "light_client_sync", files: {"slots.yaml": "1\n"}});

    // ssz_static over exact uint64: 2**64-1 cannot pass through a double.
    const types = createPhase0Types(presets.minimal, {uint64: new UintBigintType(8)});
    const Checkpoint = types.Checkpoint as unknown as Type<{epoch: bigint; root: Uint8Array}>;
    const checkpoint = {epoch: 2n ** 64n - 1n, root: new Uint8Array(32).fill(0x11)};
    const root = "0x" + Buffer.from(Checkpoint.hashTreeRoot(checkpoint)).toString("hex");
    const staticFiles = {
      "serialized.ssz_snappy": Checkpoint.serialize(checkpoint),
      "value.yaml": `epoch: 18446744073709551615\nroot: '0x${"11".repeat(32)}'\n`,
      "roots.yaml": `root: '${root}'\n`,
    };
    const ssz = {preset: "minimal", runner: "ssz_static", suite: "ssz_one"};
    tree.addCase({...ssz, handler: "Checkpoint", name: "case_0", files: staticFiles});
    tree.addCase({
      ...ssz,
      handler: "Checkpoint",
      name: "case_1",
      files: {...staticFiles, "value.yaml": `epoch: 18446744073709551614\nroot: '0x${"11".repeat(32)}'\n`},
    });
    tree.addCase({...ssz, handler: "NoSuchContainer", name: "case_0", files: staticFiles});
  });

  after(() => {
    tree.remove();
    setActivePreset(previous.preset);
  });

  async function run(opts: RunOptions): Promise<Map<string, CaseResult>> {
    const refs = discoverCases(resolveTestsRoot(tree.root), {preset: "minimal", fork: "phase0"});
    const results = await runCases(refs, new RunnerSet(registry), opts);
    assert.equal(results.length, refs.length, "every case has a result");
    return new Map(results.map((r) => [`${r.ref.runner}/${r.ref.handler}/${r.ref.suite}/${r.ref.name}`, r]));
  }

  function expectResult(results: Map<string, CaseResult>, id: string, status: CaseResult["status"], message?: RegExp): void {
    const r = results.get(id);
    assert.ok(r, `no result for ${id}`);
    assert.equal(r.status, status, `${id}: ${r.message}`);
    if (message) assert.match(r.message ?? "", message, id);
  }

  it("passes good cases and names the failed condition of bad ones, without stopping", async () => {
    const r = await run({strict: true, allowMissingRunners: true});
    const g = "ssz_generic/uints/valid";
    expectResult(r, `${g}/uint_16_ok`, "passed");
    expectResult(r, `${g}/uint_16_no_manifest`, "passed");
    expectResult(r, `${g}/uint_16_bad_root`, "failed", /hash_tree_root is 0x34120{60}, meta\.yaml says 0x(ab){32}/);
    expectResult(r, `${g}/uint_16_bad_value`, "failed", /serialize\(value\.yaml\) .*first difference at byte 0.*differs from value\.yaml at value \("4660" vs "4661"\)/);
    expectResult(r, `${g}/uint_16_truncated`, "failed", /^serialized\.ssz_snappy: corrupt snappy data: literal of 2 bytes/);
    expectResult(r, `${g}/uint_16_malformed_yaml`, "failed", /^value\.yaml: malformed YAML \(line \d+, column \d+\)/);
    expectResult(r, `${g}/uint_16_wrong_manifest`, "failed", /^manifest\.yaml: handler is "bitlist" but the case folder says "uints"$/);
    expectResult(r, `${g}/uint_16_unread_file`, "failed", /^unread file\(s\): notes\.yaml$/);
    expectResult(r, "ssz_generic/uints/invalid/uint_16_one_byte_longer", "passed");
    expectResult(r, "ssz_generic/uints/invalid/uint_16_but_valid", "failed", /^deserialize accepted 2 invalid bytes 0x0102$/);
    expectResult(r, "shuffling/core/shuffle/type_error", "failed", /^TypeError: .*\(at .*harness\.test\.ts:\d+:\d+\)/);
    expectResult(r, "shuffling/core/shuffle/not_an_error", "failed", /^thrown non-error: plain string$/);
    expectResult(r, "shuffling/core/shuffle/skipped", "failed", /needs a feature that is not there \(--strict fails skipped cases\)/);
    expectResult(r, "shuffling/core/shuffle/fine", "passed");
    expectResult(r, "light_client/sync/pyspec_tests/light_client_sync", "skipped", /^runner light_client not implemented$/);
    expectResult(r, "ssz_static/Checkpoint/ssz_one/case_0", "passed");
    expectResult(r, "ssz_static/Checkpoint/ssz_one/case_1", "failed", /differs from value\.yaml at value\.epoch \("18446744073709551615" vs "18446744073709551614"\)/);
    expectResult(r, "ssz_static/NoSuchContainer/ssz_one/case_0", "failed", /^unknown phase0 SSZ type "NoSuchContainer"$/);
  });

  it("without --strict, skips stay skipped and unread files are not checked", async () => {
    const r = await run({strict: false});
    expectResult(r, "ssz_generic/uints/valid/uint_16_unread_file", "passed");
    expectResult(r, "shuffling/core/shuffle/skipped", "skipped", /^needs a feature that is not there$/);
    expectResult(r, "light_client/sync/pyspec_tests/light_client_sync", "skipped", /^runner light_client not implemented$/);
  });

  it("under --strict, a runner that is not implemented fails its cases", async () => {
    const r = await run({strict: true});
    expectResult(r, "light_client/sync/pyspec_tests/light_client_sync", "failed", /^runner light_client not implemented \(--strict fails skipped cases\)$/);
  });

  it("a runner that fails to load fails its cases with the reason", async () => {
    const refs = discoverCases(resolveTestsRoot(tree.root), {preset: "minimal", fork: "phase0", runners: ["shuffling"]});
    const broken = {
      shuffling: async () => {
        throw new Error("module not found");
      },
    };
    const results = await runCases(refs, new RunnerSet(broken), {strict: false});
    assert.equal(results.length, 4);
    for (const r of results) {
      assert.equal(r.status, "failed");
      assert.match(r.message ?? "", /^runner shuffling failed to load: Error: module not found \(at /);
    }
  });

  it("walks general and preset vectors, with runner, handler and case filters", () => {
    const root = resolveTestsRoot(tree.root);
    assert.equal(resolveTestsRoot(tree.testsDir), root, "--dir may point at tests/ itself");
    const all = discoverCases(root, {preset: "minimal", fork: "phase0"});
    assert.deepEqual([...new Set(all.map((c) => c.preset))], ["general", "minimal"]);
    assert.equal(discoverCases(root, {preset: "mainnet", fork: "phase0"}).every((c) => c.preset === "general"), true);
    const some = discoverCases(root, {preset: "minimal", fork: "phase0", runners: ["ssz_generic"], handlers: ["uints"], caseSubstring: "invalid/"});
    assert.deepEqual(some.map((c) => c.name), ["uint_16_but_valid", "uint_16_one_byte_longer"]);
  });
});

describe("spec-harness report", () => {
  const ref = (runner: string, handler: string, name: string) => ({preset: "minimal" as const, fork: "phase0", runner, handler, suite: "s", name, dir: "/x"});
  const results: CaseResult[] = [
    {ref: ref("ssz_static", "Fork", "a"), status: "passed", ms: 1500},
    {ref: ref("ssz_static", "Fork", "b"), status: "failed", message: "hash_tree_root is 0x00", ms: 500},
    {ref: ref("sanity", "slots", "c"), status: "skipped", message: "runner sanity not implemented", ms: 0},
  ];

  it("prints a table per runner/handler, every problem, and the summary line", () => {
    const table = formatTable(results);
    assert.match(table[0], /^preset\s+runner\s+handler\s+passed\s+failed\s+skipped\s+time$/);
    assert.match(table[1], /^minimal\s+ssz_static\s+Fork\s+1\s+1\s+0\s+2\.0s$/);
    assert.match(table[2], /^minimal\s+sanity\s+slots\s+0\s+0\s+1\s+0\.0s$/);
    assert.match(table[3], /^total\s+1\s+1\s+1\s+2\.0s$/);
    assert.deepEqual(formatProblems(results), [
      "FAILED minimal/phase0/ssz_static/Fork/s/b: hash_tree_root is 0x00",
      "SKIPPED minimal/phase0/sanity/slots/s/c: runner sanity not implemented",
    ]);
    assert.equal(summaryLine(results), "spec-tests: 1 passed, 1 failed, 1 skipped");
  });

  it("progress: a line per interval when not a TTY, one rewritten line on a TTY", () => {
    let t = 0;
    const plain: string[] = [];
    const p = new Progress(3, {write: (s: string) => plain.push(s), isTTY: false}, {intervalMs: 1000, now: () => t});
    p.update(results[0]);
    t = 1500;
    p.update(results[1]);
    t = 1600;
    p.update(results[2]);
    p.finish();
    assert.deepEqual(plain, ["spec-tests: 2/3 cases, 1 failed (ssz_static/Fork)\n"]);

    const tty: string[] = [];
    const q = new Progress(2, {write: (s: string) => tty.push(s), isTTY: true}, {intervalMs: 0, now: () => 0});
    q.update(results[0]);
    q.update(results[1]);
    q.finish();
    assert.deepEqual(tty, [
      "\r\x1b[2Kspec-tests: 1/2 cases, 0 failed (ssz_static/Fork)",
      "\r\x1b[2Kspec-tests: 2/2 cases, 1 failed (ssz_static/Fork)",
      "\r\x1b[2K",
    ]);
  });
});
