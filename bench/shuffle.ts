/**
 * `gnomon bench shuffle`: the whole-list swap-or-not shuffle (what an epoch's committees cost)
 * against per-index compute_shuffled_index calls (what the spec's reference code does).
 */
import type {Command, ParsedOptions} from "../src/cli/command.ts";
import {intOption} from "../src/cli/command.ts";
import {computeShuffledIndex, computeShuffledList, digest} from "../src/crypto/index.ts";
import {SHUFFLE_ROUND_COUNT, isPresetName, useNetwork} from "../src/params/index.ts";
import {InputError} from "../src/util/errors.ts";
import {bench, report, type BenchResult} from "./harness.ts";

/** Per-index calls cost ~90 hashes each; past this many, time a sample and project to N. */
const DEFAULT_INDEX_CALLS = 16384;

export const shuffleBench: Command = {
  name: "shuffle",
  summary: "Time the committee shuffle of N validator indices",
  usage: "shuffle --validators <n> [options]",
  options: {
    validators: {type: "string", valueName: "n", description: "Number of indices to shuffle (required)"},
    runs: {type: "string", valueName: "r", description: "Measured runs per case", default: "10"},
    "index-calls": {
      type: "string",
      valueName: "m",
      description: `computeShuffledIndex calls timed per run (default: min(n, ${DEFAULT_INDEX_CALLS}); the time for n calls is projected from them)`,
    },
    preset: {type: "string", valueName: "name", description: "Preset whose SHUFFLE_ROUND_COUNT is used (mainnet | minimal)", default: "mainnet"},
    json: {type: "boolean", description: "Print one JSON line with the results last"},
  },
  details: "Example: gnomon bench shuffle --validators 1048576 --runs 5",
  async run(opts: ParsedOptions): Promise<number> {
    const n = intOption(opts, "validators", 1, 2 ** 32 - 1);
    if (n === undefined) throw new InputError("missing required option --validators");
    const runs = intOption(opts, "runs", 1, 10_000) ?? 10;
    const indexCalls = intOption(opts, "index-calls", 1, n) ?? Math.min(n, DEFAULT_INDEX_CALLS);
    const presetName = String(opts.preset);
    if (!isPresetName(presetName)) throw new InputError(`--preset must be mainnet or minimal, got "${presetName}"`);
    useNetwork(presetName);
    const rounds = SHUFFLE_ROUND_COUNT;

    const indices = new Uint32Array(n);
    for (let i = 0; i < n; i++) indices[i] = i;
    // A fixed seed keeps runs comparable; a fresh one per run would be as good for the timing.
    const seed = digest(new TextEncoder().encode("gnomon bench shuffle"));

    const results: BenchResult[] = [];
    const list = await bench(`computeShuffledList (${n} indices)`, () => computeShuffledList(indices, seed, rounds), {runs, warmup: 1});
    results.push(list);

    let next = 0;
    const perIndex = await bench(
      `computeShuffledIndex x ${indexCalls}`,
      () => {
        for (let i = 0; i < indexCalls; i++) {
          computeShuffledIndex(next, n, seed, rounds);
          next = next + 1 === n ? 0 : next + 1;
        }
      },
      {runs, warmup: 1},
    );
    const perCallUs = (perIndex.medianMs * 1000) / indexCalls;
    perIndex.extra = {"per call (us)": perCallUs};
    if (indexCalls < n) perIndex.extra[`projected for ${n} calls (ms)`] = (perCallUs * n) / 1000;
    results.push(perIndex);

    report(`bench shuffle: ${n} indices, ${rounds} rounds (${presetName})`, results, opts.json === true, {
      validators: n,
      rounds,
      preset: presetName,
      indexCalls,
    });
    return 0;
  },
};
