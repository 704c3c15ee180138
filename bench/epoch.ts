/**
 * `gnomon bench epoch`: the phase0 epoch transition on the pre-state of INPUTS.md (slot 32031,
 * the last slot of epoch 1000) with N validators.
 */
import type {Command, ParsedOptions} from "../src/cli/command.ts";
import {SLOTS_PER_EPOCH, useNetwork} from "../src/params/index.ts";
import {
  cloneCachedBeaconState,
  computeEpochAtSlot,
  createCachedBeaconState,
  processSlots,
  type CachedBeaconState,
} from "../src/state-transition/index.ts";
import {bytesEqual, toHex} from "../src/util/bytes.ts";
import {GnomonError} from "../src/util/errors.ts";
import {bench} from "./harness.ts";
import {inputBenchOptions, inputOptions, printStateBench, runOptions, validatorsOption} from "./inputs/cli.ts";
import {EPOCH_BENCH_SLOT, loadEpochInput} from "./inputs/index.ts";

/** Forces the lazily built parts of the epoch caches, so that no run pays for them. */
export function warmEpochCaches(s: CachedBeaconState): void {
  void s.epochCtx.previousShuffling;
  void s.epochCtx.currentShuffling;
  void s.epochCtx.nextShuffling;
  s.epochCtx.getBeaconProposers();
}

export const epochBench: Command = {
  name: "epoch",
  summary: "Time the epoch transition (process_slots 32031 -> 32032) on the INPUTS.md pre-state",
  usage: "epoch --validators <n> [options]",
  options: {
    validators: {type: "string", valueName: "n", description: "Validator count (INPUTS.md: 16384, 65536, 262144, 1048576) (required)"},
    ...inputBenchOptions(5),
  },
  details: [
    "Protocol:",
    "  setup (not timed): load the cached SSZ pre-state (or build it from the interop pubkeys and",
    "  cache it), check its hash_tree_root, build the EpochContext (shufflings of epochs 999-1001,",
    "  proposers, pubkey index) and run the warm-up runs.",
    "  each timed run: clone the pre-state (a ViewDU clone sharing the tree and the epoch caches;",
    "  the ViewDU's own node caches are not carried over), process_slots 32031 -> 32032",
    "  (process_slot, then the full epoch transition 1000 -> 1001), and the post-state",
    "  hash_tree_root.",
    "Prints median/min/max ms, the process's peak RSS, and the pre- and post-state roots; with",
    "--json the last line is {bench, validators, median_ms, min_ms, max_ms, rss_mb, pre_state_root,",
    "post_state_root}. Progress of input building goes to stderr.",
    "Example: gnomon bench epoch --validators 65536 --runs 5 --json",
  ].join("\n"),
  async run(opts: ParsedOptions): Promise<number> {
    const config = useNetwork("mainnet");
    const validators = validatorsOption(opts, SLOTS_PER_EPOCH);
    const {runs, warmup} = runOptions(opts, 5);
    const input = await loadEpochInput(validators, inputOptions(opts));

    const pre = createCachedBeaconState(input.state, config);
    warmEpochCaches(pre);
    const target = EPOCH_BENCH_SLOT + 1;
    const seen: {root?: Uint8Array; post?: CachedBeaconState} = {};
    const result = await bench(
      `epoch ${validators}`,
      () => {
        // keepCache: the pre-state keeps its ViewDU caches, so every run's clone starts alike.
        const s = cloneCachedBeaconState(pre, true);
        processSlots(s, target);
        const root = s.state.hashTreeRoot();
        if (seen.root !== undefined && !bytesEqual(root, seen.root)) {
          throw new GnomonError("BENCH_NONDETERMINISTIC", `post-state root ${toHex(root)} differs from an earlier run's ${toHex(seen.root)}`);
        }
        seen.root = root;
        seen.post = s;
      },
      {runs, warmup}
    );
    const post = seen.post as CachedBeaconState;
    const epoch = computeEpochAtSlot(target) - 1;
    const justified = post.state.current_justified_checkpoint.epoch;
    const finalized = post.state.finalized_checkpoint.epoch;
    printStateBench(
      {
        bench: "epoch",
        title: `bench epoch: ${validators} validators, process_slots ${EPOCH_BENCH_SLOT} -> ${target} + hash_tree_root (mainnet)`,
        validators,
        result,
        preStateRoot: input.preStateRoot,
        postStateRoot: seen.root as Uint8Array,
        notes: [
          `after the transition: justified epoch ${justified}, finalized epoch ${finalized}` +
            (justified === epoch && finalized === epoch - 1 ? "" : ` (INPUTS.md expects ${epoch} and ${epoch - 1})`),
        ],
      },
      opts.json === true
    );
    return 0;
  },
};
