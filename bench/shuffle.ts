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
      description: "computeShuffledIndex calls per run (default: n, one per index)",
    },
    preset: {type: "string", valueName: "name", description: "Preset whose SHUFFLE_ROUND_COUNT is used (mainnet | minimal)", default: "mainnet"},
    json: {type: "boolean", description: "Print one JSON line with the results last"},
  },
  details: "Example: gnomon bench shuffle --validators 1048576 --runs 5",
  async run(opts: ParsedOptions): Promise<number> {
    const n = intOption(opts, "validators", 1, 2 ** 32 - 1);
    if (n === undefined) throw new InputError("missing required option --validators");
    const runs = intOption(opts, "runs", 1, 10_000) ?? 10;
    const indexCalls = intOption(opts, "index-calls", 1, n) ?? n;
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

    // Every run starts from a new seed, so the time includes computing the round hashes that
    // computeShuffledIndex then reuses across calls with that seed.
    let run = 0;
    const perIndex = await bench(
      `computeShuffledIndex x ${indexCalls}`,
      () => {
        const runSeed = digest(new TextEncoder().encode(`gnomon bench shuffle ${run++}`));
        for (let i = 0; i < indexCalls; i++) computeShuffledIndex(i, n, runSeed, rounds);
      },
      {runs, warmup: 1},
    );
    perIndex.extra = {"per call (us)": (perIndex.medianMs * 1000) / indexCalls};
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
