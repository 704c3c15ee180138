/**
 * The fixed choices of /work/shared/bench/INPUTS.md: slots, synthetic roots and the pre-state roots
 * a faithful construction reproduces. Everything here is input data of the benchmarks, shared
 * with other clients' benchmarks, so it must not follow the active preset: the inputs are defined
 * on the mainnet preset only.
 */

/** The last slot of epoch 1000: the epoch benchmark runs process_slots 32031 -> 32032. */
export const EPOCH_BENCH_SLOT = 32031;
/** The block benchmark's pre-state slot; its block is at BLOCK_BENCH_SLOT. */
export const BLOCK_BENCH_PRE_SLOT = 32015;
export const BLOCK_BENCH_SLOT = 32016;
export const BLOCK_BENCH_ATTESTATIONS = 128;

export const BENCH_VALIDATOR_COUNTS = [16384, 65536, 262144, 1048576] as const;

export const BENCH_GENESIS_TIME = 1606824023;
export const BENCH_GWEI_PER_VALIDATOR = 32_000_000_000;

/** hash_tree_root of the epoch benchmark's pre-state (slot 32031), from INPUTS.md. */
export const EXPECTED_EPOCH_PRE_STATE_ROOTS: Readonly<Record<number, string>> = {
  16384: "0x80fe11aa011af2c24023ac4833121d89833caf6d56b16f028d1200f3b9647090",
  65536: "0xc5ba49f49d066750705dfa9877453ca69431bb1e3808fe721a96ac0f5e31ed91",
  262144: "0xdeb3f8cacf434981d709fb698c5ff60d3f25f2cf1c7e522c42ada48d82b043bf",
  1048576: "0xe6a8b440105a5591fc23df8cf7f16050bb7d8fd9b681b57c9b6f00b67138be8c",
};

function filled(byte: number): Uint8Array {
  return new Uint8Array(32).fill(byte);
}

export const BENCH_GENESIS_VALIDATORS_ROOT = (): Uint8Array => filled(0x42);
export const BENCH_HEADER_BODY_ROOT = (): Uint8Array => filled(0xbd);
export const BENCH_ETH1_DEPOSIT_ROOT = (): Uint8Array => filled(0xde);
export const BENCH_ETH1_BLOCK_HASH = (): Uint8Array => filled(0xe1);

/** `u64le(value) ‖ 0^23 ‖ tag`: the shape of every synthetic root of the inputs. */
function taggedRoot(value: number, tag: number, width: 4 | 8): Uint8Array {
  const out = new Uint8Array(32);
  const view = new DataView(out.buffer);
  if (width === 8) view.setBigUint64(0, BigInt(value), true);
  else view.setUint32(0, value, true);
  out[31] = tag;
  return out;
}

/** block_root(s) = u64le(s) ‖ 0^23 ‖ 0xb1 */
export function benchBlockRoot(slot: number): Uint8Array {
  return taggedRoot(slot, 0xb1, 8);
}

/** state_root(s) = u64le(s) ‖ 0^23 ‖ 0x5a */
export function benchStateRoot(slot: number): Uint8Array {
  return taggedRoot(slot, 0x5a, 8);
}

/** randao_mixes[j] = u32le(j) ‖ 0^27 ‖ 0x7a */
export function benchRandaoMix(index: number): Uint8Array {
  return taggedRoot(index, 0x7a, 4);
}

/** Committees per slot that INPUTS.md states for each validator count (a cross-check). */
export const EXPECTED_COMMITTEES_PER_SLOT: Readonly<Record<number, number>> = {
  16384: 4,
  65536: 16,
  262144: 64,
  1048576: 64,
};
