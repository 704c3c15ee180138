/**
 * `gnomon bench block`: state_transition of the INPUTS.md block (slot 32016, 128 attestations) on
 * its pre-state (slot 32015) with N validators, with or without signature verification.
 */
import type {Command, ParsedOptions} from "../src/cli/command.ts";
import {SLOTS_PER_EPOCH, useNetwork} from "../src/params/index.ts";
import {BlsWorkerPool} from "../src/crypto/index.ts";
import {
  cloneCachedBeaconState,
  computeCommitteeCount,
  createCachedBeaconState,
  processSlots,
  stateTransition,
  stateTransitionAsync,
} from "../src/state-transition/index.ts";
import {bytesEqual, toHex} from "../src/util/bytes.ts";
import {GnomonError, InputError} from "../src/util/errors.ts";
import {warmEpochCaches} from "./epoch.ts";
import {bench, median} from "./harness.ts";
import {inputBenchOptions, inputOptions, printStateBench, runOptions, validatorsOption} from "./inputs/cli.ts";
import {BLOCK_BENCH_ATTESTATIONS, BLOCK_BENCH_PRE_SLOT, BLOCK_BENCH_SLOT, loadBlockInput} from "./inputs/index.ts";

export const blockBench: Command = {
  name: "block",
  summary: "Time state_transition of the INPUTS.md 128-attestation block (slot 32016)",
  usage: "block --validators <n> [options]",
  options: {
    validators: {type: "string", valueName: "n", description: "Validator count, at least 16384 (INPUTS.md: 16384, 65536, 262144, 1048576) (required)"},
    "verify-signatures": {type: "boolean", description: "Verify every signature of the block (one batch), as a node importing it does"},
    "sync-verify": {type: "boolean", description: "With --verify-signatures: verify on the calling thread (stateTransition), not on the BLS worker pool"},
    "from-checkpoint": {
      type: "boolean",
      description: "Start from the pre-state already advanced to slot 32016 (the checkpoint state a node caches), as the chain imports the block",
    },
    ...inputBenchOptions(10),
  },
  details: [
    "Protocol:",
    "  setup (not timed): load the cached SSZ pre-state and block (or build, sign and cache them),",
    "  check their roots, build the EpochContext (shufflings, proposers, pubkey index), start the",
    "  BLS worker pool (with --verify-signatures), with --from-checkpoint process_slots",
    "  32015 -> 32016 on the pre-state, and run the warm-up runs (these also decompress the public",
    "  keys the block's signatures use; the cache is shared by every run, as in a node).",
    "  each timed run: state_transition(pre, block): clone the pre-state (sharing the tree and",
    "  the epoch caches, not the ViewDU's node caches), process_slots 32015 -> 32016 (not with",
    "  --from-checkpoint: the pre-state is at the block's slot already), then without",
    "  --verify-signatures process_block (stateTransition); with it (stateTransitionAsync, as the",
    "  chain imports blocks) the proposer, randao and 128 aggregate attestation signature sets",
    "  handed to the BLS worker pool, process_block and the post-state root",
    "  computed while they are verified, and the verdict awaited (with --sync-verify: one batch",
    "  verified on the calling thread after process_block, stateTransition); then the post-state",
    "  hash_tree_root checked against block.state_root.",
    "Prints median/min/max ms, the median CPU time of a run (every thread of the process, from",
    "process.cpuUsage), the process's peak RSS, and the pre- and post-state roots; with",
    "--json the last line is {bench, validators, median_ms, min_ms, max_ms, rss_mb, pre_state_root,",
    "post_state_root}. Progress of input building goes to stderr.",
    "Example: gnomon bench block --validators 65536 --verify-signatures --json",
  ].join("\n"),
  async run(opts: ParsedOptions): Promise<number> {
    const config = useNetwork("mainnet");
    const validators = validatorsOption(opts, SLOTS_PER_EPOCH);
    // The block's attestations must come from the SLOTS_PER_EPOCH slots it can include.
    const includable = computeCommitteeCount(validators) * SLOTS_PER_EPOCH;
    if (includable < BLOCK_BENCH_ATTESTATIONS) {
      throw new InputError(
        `--validators ${validators} gives ${includable} includable committees; the block needs ${BLOCK_BENCH_ATTESTATIONS} (at least 16384 validators)`
      );
    }
    const {runs, warmup} = runOptions(opts, 10);
    const verify = opts["verify-signatures"] === true;
    const onWorkers = verify && opts["sync-verify"] !== true;
    const input = await loadBlockInput(validators, inputOptions(opts));

    const fromCheckpoint = opts["from-checkpoint"] === true;
    let pre = createCachedBeaconState(input.pre, config);
    warmEpochCaches(pre);
    if (fromCheckpoint) {
      pre = cloneCachedBeaconState(pre);
      processSlots(pre, BLOCK_BENCH_SLOT);
      pre.state.commit();
    }
    const pool = new BlsWorkerPool();
    const transitionOpts = {verifyStateRoot: true, verifyProposer: verify, verifySignatures: verify, preStateMayBeAtBlockSlot: fromCheckpoint};
    if (onWorkers) await pool.start();
    const seen: {root?: Uint8Array} = {};
    const cpuMs: number[] = [];
    const result = await bench(
      `block ${validators}`,
      async () => {
        const cpuStart = process.cpuUsage();
        const post = onWorkers
          ? await stateTransitionAsync(pre, input.block, {...transitionOpts, verifier: pool})
          : stateTransition(pre, input.block, transitionOpts);
        const cpu = process.cpuUsage(cpuStart);
        cpuMs.push((cpu.user + cpu.system) / 1000);
        // Already computed and checked against block.state_root inside the transition.
        const root = post.state.hashTreeRoot();
        if (!bytesEqual(root, input.postStateRoot)) {
          throw new GnomonError("BENCH_NONDETERMINISTIC", `post-state root ${toHex(root)} is not the block's ${toHex(input.postStateRoot)}`);
        }
        seen.root = root;
      },
      {runs, warmup}
    );
    await pool.close();
    printStateBench(
      {
        bench: "block",
        title:
          `bench block: ${validators} validators, state_transition ${fromCheckpoint ? `from the checkpoint state at ${BLOCK_BENCH_SLOT}` : `${BLOCK_BENCH_PRE_SLOT} -> ${BLOCK_BENCH_SLOT}`}, ` +
          `${input.block.message.body.attestations.length} attestations, signatures ${verify ? (onWorkers ? "verified (BLS worker pool)" : "verified (batch, calling thread)") : "not verified"} (mainnet)`,
        validators,
        result,
        preStateRoot: input.preStateRoot,
        postStateRoot: seen.root as Uint8Array,
        // The warm-up runs come first.
        notes: [`CPU per run (all threads): median ${median(cpuMs.slice(warmup)).toFixed(1)} ms`],
      },
      opts.json === true
    );
    return 0;
  },
};
