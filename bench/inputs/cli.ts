/**
 * What the benchmarks on the INPUTS.md states share: the --validators, run and input-cache
 * options, progress on stderr while inputs are built, and the result printout (human lines, then
 * the JSON line).
 */
import {intOption, type OptionSpec, type ParsedOptions} from "../../src/cli/command.ts";
import {toHex} from "../../src/util/bytes.ts";
import {InputError} from "../../src/util/errors.ts";
import type {BenchResult} from "../harness.ts";
import {peakRssMiB} from "../harness.ts";
import type {InputOptions} from "./index.ts";

/** 4Mi validators: beyond this the pubkey derivation alone takes over an hour. */
export const MAX_BENCH_VALIDATORS = 4 * 1024 * 1024;

/** Every committee of the inputs has a member from SLOTS_PER_EPOCH validators on (mainnet: 32). */
export function validatorsOption(opts: ParsedOptions, min: number): number {
  const n = intOption(opts, "validators", min, MAX_BENCH_VALIDATORS);
  if (n === undefined) throw new InputError("missing required option --validators");
  return n;
}

/** --runs, --warmup, --cache-dir, --rebuild and --json, with this default number of runs. */
export function inputBenchOptions(defaultRuns: number): Record<string, OptionSpec> {
  return {
    runs: {type: "string", valueName: "r", description: "Measured runs", default: String(defaultRuns)},
    warmup: {type: "string", valueName: "w", description: "Unmeasured runs before the measured ones", default: "1"},
    "cache-dir": {type: "string", valueName: "dir", description: "Where pubkeys and built inputs are kept (default: bench/.cache, or $GNOMON_BENCH_CACHE)"},
    rebuild: {type: "boolean", description: "Rebuild the input even if a cached copy exists"},
    json: {type: "boolean", description: "Print one JSON object as the last line"},
  };
}

/** The parsed --runs and --warmup of inputBenchOptions. */
export function runOptions(opts: ParsedOptions, defaultRuns: number): {runs: number; warmup: number} {
  return {runs: intOption(opts, "runs", 1, 1000) ?? defaultRuns, warmup: intOption(opts, "warmup", 0, 100) ?? 1};
}

/** Input loading as --cache-dir and --rebuild ask, with progress on stderr. */
export function inputOptions(opts: ParsedOptions): InputOptions {
  return progressOptions(opts["cache-dir"] as string | undefined, opts.rebuild === true);
}

/** Progress callbacks for input building, on stderr so that stdout stays parseable. */
export function progressOptions(cacheDir: string | undefined, rebuild: boolean): InputOptions {
  const tty = process.stderr.isTTY === true;
  let shown = -1;
  const started = performance.now();
  return {
    cacheDir,
    rebuild,
    log: (line) => process.stderr.write(`${line}\n`),
    onPubkeyProgress: (done, total) => {
      const pct = Math.floor((done * 100) / total);
      // Every percent on a terminal, every tenth otherwise (logs).
      const step = tty ? pct : Math.floor(pct / 10);
      if (step === shown) return;
      shown = step;
      const secs = ((performance.now() - started) / 1000).toFixed(0);
      const line = `deriving interop pubkeys: ${done}/${total} (${pct}%, ${secs} s)`;
      process.stderr.write(tty ? `\r${line}${done === total ? "\n" : ""}` : `${line}\n`);
    },
  };
}

export interface StateBenchOutcome {
  bench: "epoch" | "block";
  title: string;
  validators: number;
  result: BenchResult;
  preStateRoot: Uint8Array;
  postStateRoot: Uint8Array;
  notes?: string[];
}

function fmt(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(2);
}

/** The human summary, then (with `json`) exactly one JSON object as the last line. */
export function printStateBench(o: StateBenchOutcome, json: boolean): void {
  const rss = peakRssMiB();
  const r = o.result;
  console.log(o.title);
  console.log(`  runs: ${r.runs}  median: ${fmt(r.medianMs)} ms  min: ${fmt(r.minMs)} ms  max: ${fmt(r.maxMs)} ms`);
  console.log(`  peak RSS: ${rss.toFixed(0)} MiB`);
  console.log(`  pre-state root:  ${toHex(o.preStateRoot)}`);
  console.log(`  post-state root: ${toHex(o.postStateRoot)}`);
  for (const note of o.notes ?? []) console.log(`  ${note}`);
  if (json) {
    console.log(
      JSON.stringify({
        bench: o.bench,
        validators: o.validators,
        median_ms: round3(r.medianMs),
        min_ms: round3(r.minMs),
        max_ms: round3(r.maxMs),
        rss_mb: Math.round(rss),
        pre_state_root: toHex(o.preStateRoot),
        post_state_root: toHex(o.postStateRoot),
      })
    );
  }
}

function round3(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
