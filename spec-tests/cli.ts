/**
 * `gnomon spec-test`: replays the official consensus spec-test vectors through the runners of
 * spec-tests/runners and reports per runner/handler. Exit status: 0 if nothing failed, 1 if a
 * case failed, 2 for bad flags, an unusable vectors directory, or a vector file that cannot be
 * parsed (malformed YAML, corrupt snappy: that case fails, the run goes on, the status says
 * "bad input").
 */
import type {Command, ParsedOptions} from "../src/cli/command.ts";
import {isPresetName, useNetwork, type PresetName} from "../src/params/index.ts";
import {InputError} from "../src/util/errors.ts";
import {discoverCases, listRunners, resolveTestsRoot, vectorsRootOf} from "./harness/discover.ts";
import {checkVectorsPreset} from "./harness/presetCheck.ts";
import {formatProblems, formatTable, Progress, summaryLine, tally, type ProgressStream} from "./harness/report.ts";
import {RunnerSet, runCases} from "./harness/run.ts";
import type {RunnerLoader} from "./harness/types.ts";
import {runners as defaultRunners} from "./runners/index.ts";

/** The forks Gnomon implements; vectors of other forks cannot be replayed. */
export const SUPPORTED_FORKS: readonly string[] = ["phase0"];

export interface SpecTestSettings {
  testsRoot: string;
  preset: PresetName;
  fork: string;
  runners?: string[];
  handlers?: string[];
  caseSubstring?: string;
  strict: boolean;
}

export interface SpecTestIo {
  /** Receives the report, one line per call. */
  out(line: string): void;
  /** Receives progress. */
  progress: ProgressStream;
}

/** Validates the flags (and $SPEC_TESTS_DIR / $SPEC_TESTS_PRESET); throws InputError. */
export function settingsFromOptions(
  opts: ParsedOptions,
  env: NodeJS.ProcessEnv = process.env,
  registry: Readonly<Record<string, RunnerLoader>> = defaultRunners
): SpecTestSettings {
  const dir = stringOpt(opts, "dir") ?? nonEmpty(env.SPEC_TESTS_DIR);
  if (dir === undefined) throw new InputError("no vectors directory: pass --dir <path> or set SPEC_TESTS_DIR");
  const preset = stringOpt(opts, "preset") ?? nonEmpty(env.SPEC_TESTS_PRESET);
  if (preset === undefined) throw new InputError("missing --preset (minimal or mainnet)");
  if (!isPresetName(preset)) throw new InputError(`unknown preset "${preset}" (expected minimal or mainnet)`);
  const fork = stringOpt(opts, "fork") ?? "phase0";
  if (!SUPPORTED_FORKS.includes(fork)) {
    throw new InputError(`unknown fork "${fork}" (Gnomon replays: ${SUPPORTED_FORKS.join(", ")})`);
  }
  const testsRoot = resolveTestsRoot(dir);
  checkVectorsPreset(vectorsRootOf(testsRoot), preset, fork);

  const runners = listOpt(opts, "runner");
  if (runners) {
    const known = new Set([...Object.keys(registry), ...listRunners(testsRoot, preset, fork)]);
    const unknown = runners.filter((r) => !known.has(r));
    if (unknown.length > 0) {
      throw new InputError(`unknown runner(s) ${unknown.join(", ")} (known: ${[...known].sort().join(", ")})`);
    }
  }
  return {
    testsRoot,
    preset,
    fork,
    runners,
    handlers: listOpt(opts, "handler"),
    caseSubstring: stringOpt(opts, "case"),
    strict: opts.strict === true,
  };
}

/** Runs the selected cases and prints the report; resolves to the exit status. */
export async function replay(
  s: SpecTestSettings,
  io: SpecTestIo,
  registry: Readonly<Record<string, RunnerLoader>> = defaultRunners
): Promise<number> {
  useNetwork(s.preset);
  const cases = discoverCases(s.testsRoot, s);
  if (cases.length === 0) {
    const filters = [
      s.runners && `--runner ${s.runners.join(",")}`,
      s.handlers && `--handler ${s.handlers.join(",")}`,
      s.caseSubstring && `--case ${s.caseSubstring}`,
    ].filter(Boolean);
    throw new InputError(
      `no cases under ${s.testsRoot} for preset ${s.preset}, fork ${s.fork}${filters.length ? ` with ${filters.join(" ")}` : ""}`
    );
  }
  const progress = new Progress(cases.length, io.progress);
  const results = await runCases(cases, new RunnerSet(registry), {strict: s.strict}, (r) => progress.update(r));
  progress.finish();

  for (const line of formatTable(results)) io.out(line);
  const problems = formatProblems(results);
  if (problems.length > 0) {
    io.out("");
    for (const line of problems) io.out(line);
  }
  io.out("");
  io.out(summaryLine(results));
  if (results.some((r) => r.badInput)) return 2;
  return tally(results).failed > 0 ? 1 : 0;
}

export const specTestCommand: Command = {
  name: "spec-test",
  summary: "Replay the official consensus spec-test vectors",
  usage: "spec-test --dir <vectors> --preset minimal|mainnet [options]",
  options: {
    dir: {
      type: "string",
      valueName: "path",
      description: "Vectors root (the folder holding tests/) or its tests/ folder (default: $SPEC_TESTS_DIR)",
    },
    preset: {type: "string", valueName: "minimal|mainnet", description: "Preset of the vectors to run (default: $SPEC_TESTS_PRESET)"},
    fork: {type: "string", valueName: "fork", description: "Fork folder to run", default: "phase0"},
    runner: {type: "string", valueName: "a,b", description: "Only these runners (comma-separated)"},
    handler: {type: "string", valueName: "x,y", description: "Only these handlers (comma-separated)"},
    case: {type: "string", valueName: "text", description: "Only cases whose <runner>/<handler>/<suite>/<case> contains this text"},
    strict: {type: "boolean", description: "Fail skipped cases and cases with files the runner never read"},
  },
  details: [
    "Runs tests/<preset>/<fork>/... and tests/general/<fork>/... (general vectors, e.g. bls and",
    "ssz_generic, run under either preset). Prints a table per runner/handler, every failed or",
    "skipped case with its reason, and `spec-tests: N passed, M failed, K skipped`.",
    "Exit status: 0 if no case failed, 1 if one did, 2 for bad flags or directories, or when a",
    "vector file could not be parsed (malformed YAML, corrupt snappy; the run still goes on).",
    "",
    "Example:",
    "  gnomon spec-test --dir ../shared/spec-tests --preset minimal --runner ssz_static --strict",
  ].join("\n"),
  async run(opts: ParsedOptions): Promise<number> {
    const settings = settingsFromOptions(opts);
    return replay(settings, {out: (line) => console.log(line), progress: process.stderr});
  },
};

function stringOpt(opts: ParsedOptions, name: string): string | undefined {
  const v = opts[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || v === "") throw new InputError(`--${name} needs a value`);
  return v;
}

function listOpt(opts: ParsedOptions, name: string): string[] | undefined {
  const v = stringOpt(opts, name);
  if (v === undefined) return undefined;
  const items = v.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (items.length === 0) throw new InputError(`--${name} needs at least one name`);
  return items;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === "" ? undefined : v;
}
