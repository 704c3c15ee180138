/**
 * The benchmark inputs of INPUTS.md, loaded from bench/.cache/ when a checked copy is there and
 * built (then cached) otherwise.
 */
import {ACTIVE_PRESET} from "../../src/params/index.ts";
import {ssz, type BeaconStateView, type SignedBeaconBlock} from "../../src/types/index.ts";
import {toHex} from "../../src/util/bytes.ts";
import {buildBenchBlock} from "./benchBlock.ts";
import {buildBenchState} from "./benchState.ts";
import {defaultCacheDir} from "./cacheDir.ts";
import {BenchInputError} from "./errors.ts";
import {
  BLOCK_BENCH_ATTESTATIONS,
  BLOCK_BENCH_PRE_SLOT,
  BLOCK_BENCH_SLOT,
  EPOCH_BENCH_SLOT,
  EXPECTED_EPOCH_PRE_STATE_ROOTS,
} from "./layout.ts";
import {prehashValidators} from "./prehashValidators.ts";
import {loadInteropPubkeys} from "./pubkeyCache.ts";
import {INPUT_FORMAT, readStoredInput, storeInput} from "./store.ts";

export * from "./layout.ts";

export interface InputOptions {
  cacheDir?: string;
  /** Build afresh even when a cached copy exists (the new build replaces it). */
  rebuild?: boolean;
  /** Progress lines for a human (the CLI sends them to stderr). */
  log?: (line: string) => void;
  /** Progress of pubkey derivation, when keys are missing from the cache. */
  onPubkeyProgress?: (done: number, total: number) => void;
}

export interface EpochInput {
  state: BeaconStateView;
  preStateRoot: Uint8Array;
  fromCache: boolean;
}

export interface BlockInput {
  pre: BeaconStateView;
  block: SignedBeaconBlock;
  preStateRoot: Uint8Array;
  postStateRoot: Uint8Array;
  fromCache: boolean;
}

/** The inputs are defined on the mainnet preset (committee counts, history lengths). */
function assertMainnet(): void {
  if (ACTIVE_PRESET !== "mainnet") {
    throw new BenchInputError("BENCH_UNSUPPORTED_INPUT", `benchmark inputs use the mainnet preset, not "${ACTIVE_PRESET}"`);
  }
}

/** Throws when INPUTS.md lists a root for this input and `root` is not it. */
export function checkExpectedEpochRoot(validators: number, root: Uint8Array): void {
  const expected = EXPECTED_EPOCH_PRE_STATE_ROOTS[validators];
  if (expected !== undefined && toHex(root) !== expected) {
    throw new BenchInputError(
      "BENCH_INPUT_MISMATCH",
      `the built epoch pre-state for ${validators} validators has root ${toHex(root)}, INPUTS.md says ${expected}`
    );
  }
}

function deserializeState(bytes: Uint8Array): BeaconStateView | null {
  let state: BeaconStateView;
  try {
    state = ssz.BeaconState.deserializeToViewDU(bytes);
  } catch {
    return null;
  }
  prehashValidators(state.validators);
  return state;
}

async function pubkeysFor(validators: number, dir: string, opts: InputOptions): Promise<Uint8Array> {
  return loadInteropPubkeys(validators, {cacheDir: dir, onProgress: opts.onPubkeyProgress});
}

/** Builds the pre-state of INPUTS.md at `slot` (pubkeys from the cache) and hashes it. */
export async function buildPreState(
  validators: number,
  slot: number,
  opts: InputOptions = {}
): Promise<{state: BeaconStateView; root: Uint8Array}> {
  assertMainnet();
  const dir = opts.cacheDir ?? defaultCacheDir();
  const pubkeys = await pubkeysFor(validators, dir, opts);
  opts.log?.(`building the pre-state at slot ${slot} for ${validators} validators`);
  const state = buildBenchState(validators, slot, pubkeys);
  return {state, root: state.hashTreeRoot()};
}

/** The epoch benchmark's pre-state (slot 32031). */
export async function loadEpochInput(validators: number, opts: InputOptions = {}): Promise<EpochInput> {
  assertMainnet();
  const dir = opts.cacheDir ?? defaultCacheDir();
  const manifestName = `epoch-${validators}.json`;
  const stateName = `epoch-${validators}.ssz`;
  if (opts.rebuild !== true) {
    const stored = readStoredInput(dir, manifestName, {kind: "epoch", validators, slot: EPOCH_BENCH_SLOT}, [stateName]);
    if (stored !== null) {
      opts.log?.(`loading the cached epoch pre-state for ${validators} validators`);
      const state = deserializeState(stored.files[stateName]);
      const root = state?.hashTreeRoot();
      const expected = EXPECTED_EPOCH_PRE_STATE_ROOTS[validators] ?? stored.manifest.preStateRoot;
      if (state !== null && root !== undefined && toHex(root) === stored.manifest.preStateRoot && toHex(root) === expected) {
        return {state, preStateRoot: root, fromCache: true};
      }
      opts.log?.("the cached epoch pre-state does not match its recorded root; rebuilding it");
    }
  }
  const {state, root} = await buildPreState(validators, EPOCH_BENCH_SLOT, opts);
  checkExpectedEpochRoot(validators, root);
  storeInput(
    dir,
    manifestName,
    {format: INPUT_FORMAT, kind: "epoch", validators, slot: EPOCH_BENCH_SLOT, preStateRoot: toHex(root)},
    {[stateName]: state.serialize()}
  );
  return {state, preStateRoot: root, fromCache: false};
}

/** The block benchmark's pre-state (slot 32015) and its signed block at 32016. */
export async function loadBlockInput(validators: number, opts: InputOptions = {}): Promise<BlockInput> {
  assertMainnet();
  const dir = opts.cacheDir ?? defaultCacheDir();
  const manifestName = `block-${validators}.json`;
  const preName = `block-${validators}.pre.ssz`;
  const blockName = `block-${validators}.block.ssz`;
  if (opts.rebuild !== true) {
    const stored = readStoredInput(dir, manifestName, {kind: "block", validators, slot: BLOCK_BENCH_SLOT}, [preName, blockName]);
    if (stored !== null) {
      opts.log?.(`loading the cached block input for ${validators} validators`);
      const pre = deserializeState(stored.files[preName]);
      const preStateRoot = pre?.hashTreeRoot();
      let block: SignedBeaconBlock | null = null;
      try {
        block = ssz.SignedBeaconBlock.deserialize(stored.files[blockName]);
      } catch {
        block = null;
      }
      const m = stored.manifest;
      if (
        pre !== null &&
        preStateRoot !== undefined &&
        block !== null &&
        toHex(preStateRoot) === m.preStateRoot &&
        toHex(ssz.SignedBeaconBlock.hashTreeRoot(block)) === m.blockRoot &&
        toHex(block.message.state_root) === m.postStateRoot
      ) {
        return {pre, block, preStateRoot, postStateRoot: block.message.state_root, fromCache: true};
      }
      opts.log?.("the cached block input does not match its recorded roots; rebuilding it");
    }
  }
  const {state: pre, root: preStateRoot} = await buildPreState(validators, BLOCK_BENCH_PRE_SLOT, opts);
  opts.log?.(`building and signing the block at slot ${BLOCK_BENCH_SLOT} (${BLOCK_BENCH_ATTESTATIONS} attestations)`);
  const {block, postStateRoot} = buildBenchBlock(pre, BLOCK_BENCH_SLOT, BLOCK_BENCH_ATTESTATIONS);
  storeInput(
    dir,
    manifestName,
    {
      format: INPUT_FORMAT,
      kind: "block",
      validators,
      slot: BLOCK_BENCH_SLOT,
      preStateRoot: toHex(preStateRoot),
      blockRoot: toHex(ssz.SignedBeaconBlock.hashTreeRoot(block)),
      postStateRoot: toHex(postStateRoot),
    },
    {[preName]: pre.serialize(), [blockName]: ssz.SignedBeaconBlock.serialize(block)}
  );
  return {pre, block, preStateRoot, postStateRoot, fromCache: false};
}
