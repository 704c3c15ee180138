/**
 * Swap-or-not shuffling (phase0 beacon-chain.md `compute_shuffled_index` /
 * `compute_shuffled_permutation`).
 *
 * Each round r is an involution f_r on positions [0, n): x and flip = (pivot - x) mod n swap
 * places when the bit of hash(seed ++ r ++ uint32_le(max(x, flip) // 256)) at max(x, flip) is set.
 * compute_shuffled_index(i) = f_{R-1}(...f_0(i)).
 */
import {SHUFFLE_ROUND_COUNT} from "../params/index.ts";
import {CryptoError} from "./errors.ts";
import {digest} from "./sha256.ts";

const SEED_LENGTH = 32;
/** Buckets are serialized as 4 bytes, so the spec itself cannot shuffle 2**40 or more indices. */
const MAX_INDEX_COUNT = 2 ** 40;

function checkArgs(indexCount: number, seed: Uint8Array, rounds: number): void {
  if (!Number.isInteger(indexCount) || indexCount < 0 || indexCount > MAX_INDEX_COUNT) {
    throw new CryptoError("SHUFFLE_INVALID_ARGUMENT", `index count must be an integer in [0, 2**40], got ${indexCount}`);
  }
  if (!(seed instanceof Uint8Array) || seed.length !== SEED_LENGTH) {
    throw new CryptoError("SHUFFLE_INVALID_ARGUMENT", `seed must be ${SEED_LENGTH} bytes`);
  }
  if (!Number.isInteger(rounds) || rounds < 0 || rounds > 256) {
    throw new CryptoError("SHUFFLE_INVALID_ARGUMENT", `round count must be an integer in [0, 256], got ${rounds}`);
  }
}

/** uint64_le(hash(seed ++ round)[0:8]) mod indexCount, exactly. */
function pivotOf(seedRound: Uint8Array, indexCount: number): number {
  const h = digest(seedRound);
  const v = new DataView(h.buffer, h.byteOffset, 8).getBigUint64(0, true);
  return Number(v % BigInt(indexCount));
}

/** Writes `bucket` as uint32 little-endian at buf[33..37) (buf = seed ++ round ++ bucket). */
function setBucket(buf: Uint8Array, bucket: number): void {
  buf[33] = bucket & 0xff;
  buf[34] = (bucket >>> 8) & 0xff;
  buf[35] = (bucket >>> 16) & 0xff;
  buf[36] = (bucket >>> 24) & 0xff;
}

// computeShuffledIndex is called over and over with the same seed and count (committee lookups,
// compute_proposer_index), so the pivots of the last (seed, count, rounds) are kept. `indexBuf`
// holds seed ++ round ++ bucket; its seed part is the cache key.
const indexBuf = new Uint8Array(SEED_LENGTH + 1 + 4);
let cachedPivots: number[] = [];
let cachedCount = -1;
/**
 * Source hashes of the same (seed, count, rounds), flat: slot r * buckets + bucket holds the 32
 * bytes of hash(seed ++ r ++ bucket). Many calls with one seed (a whole epoch's committees looked
 * up index by index) reuse the same rounds x buckets, so each hash is computed once. Built only
 * after SOURCE_CACHE_AFTER calls with one seed (the proposer lookup makes a handful of calls per
 * seed and must not pay for a table), and only while it stays under SOURCE_CACHE_MAX_BYTES.
 */
const SOURCE_CACHE_AFTER = 64;
const SOURCE_CACHE_MAX_BYTES = 64 * 1024 * 1024;
let callsWithSeed = 0;
let sourceBuckets = 0;
let sourceCache: Uint8Array | null = null;
let sourceHave: Uint8Array | null = null;

function pivotsFor(indexCount: number, seed: Uint8Array, rounds: number): number[] {
  let sameSeed = cachedCount === indexCount && cachedPivots.length === rounds;
  for (let i = 0; sameSeed && i < SEED_LENGTH; i++) if (indexBuf[i] !== seed[i]) sameSeed = false;
  if (sameSeed) return cachedPivots;
  indexBuf.set(seed, 0);
  const seedRound = indexBuf.subarray(0, SEED_LENGTH + 1);
  const pivots = new Array<number>(rounds);
  for (let r = 0; r < rounds; r++) {
    indexBuf[SEED_LENGTH] = r;
    pivots[r] = pivotOf(seedRound, indexCount);
  }
  cachedPivots = pivots;
  cachedCount = indexCount;
  callsWithSeed = 0;
  sourceCache = null;
  sourceHave = null;
  return pivots;
}

/**
 * compute_shuffled_index(index, index_count, seed) with `rounds` rounds (default: the active
 * preset's SHUFFLE_ROUND_COUNT). Position i of a shuffled list holds indices[computeShuffledIndex(i)].
 * The first call for a seed costs one hash per round; later calls with the same seed reuse the
 * round hashes. Use computeShuffledList for whole committees.
 */
export function computeShuffledIndex(index: number, indexCount: number, seed: Uint8Array, rounds: number = SHUFFLE_ROUND_COUNT): number {
  checkArgs(indexCount, seed, rounds);
  if (!Number.isInteger(index) || index < 0 || index >= indexCount) {
    throw new CryptoError("SHUFFLE_INDEX_OUT_OF_RANGE", `index ${index} is not below index count ${indexCount}`);
  }
  const pivots = pivotsFor(indexCount, seed, rounds);
  if (sourceCache === null && ++callsWithSeed > SOURCE_CACHE_AFTER) {
    sourceBuckets = Math.ceil(indexCount / 256);
    if (rounds * sourceBuckets * 32 <= SOURCE_CACHE_MAX_BYTES) {
      sourceCache = new Uint8Array(rounds * sourceBuckets * 32);
      sourceHave = new Uint8Array(rounds * sourceBuckets);
    }
  }
  let cur = index;
  for (let r = 0; r < rounds; r++) {
    const flip = (pivots[r] + indexCount - cur) % indexCount;
    const position = cur > flip ? cur : flip;
    const bucket = Math.floor(position / 256);
    const byteInBucket = Math.floor((position % 256) / 8);
    let byte: number;
    if (sourceCache !== null) {
      const slot = r * sourceBuckets + bucket;
      if (sourceHave![slot] === 0) {
        indexBuf[SEED_LENGTH] = r;
        setBucket(indexBuf, bucket);
        sourceCache.set(digest(indexBuf), slot * 32);
        sourceHave![slot] = 1;
      }
      byte = sourceCache[slot * 32 + byteInBucket];
    } else {
      indexBuf[SEED_LENGTH] = r;
      setBucket(indexBuf, bucket);
      byte = digest(indexBuf)[byteInBucket];
    }
    if (((byte >> (position % 8)) & 1) === 1) cur = flip;
  }
  return cur;
}

/**
 * Swaps out[j] and out[sum - j] for each j in [lo, hi] whose bit is set, where lo > sum - lo so
 * that j is always the larger of the pair (the position whose bit the spec reads). One hash per
 * 256 positions. The swap is branchless (the bits are random, so a branch would mispredict half
 * the time) and works on an Int32Array view so that values above 2**31 stay unboxed.
 */
function swapRange(out: Int32Array, buf: Uint8Array, hi: number, lo: number, sum: number): void {
  let j = hi;
  let k = sum - hi;
  while (j >= lo) {
    const bucket = j >>> 8;
    const chunkLo = Math.max(lo, bucket * 256);
    setBucket(buf, bucket);
    const source = digest(buf);
    for (; j >= chunkLo; j--, k++) {
      const mask = -((source[(j & 0xff) >>> 3] >>> (j & 7)) & 1);
      const a = out[j];
      const b = out[k];
      const d = (a ^ b) & mask;
      out[j] = a ^ d;
      out[k] = b ^ d;
    }
  }
}

/**
 * The whole list shuffled at once: `out[i] = indices[computeShuffledIndex(i, n, seed)]` for
 * every i, so a committee is a contiguous slice of `out` (as compute_committee reads it).
 *
 * Applying round r to a list (A'[x] = A[f_r(x)]) composes on the inside, so the rounds run from
 * R-1 down to 0. Each round walks the two mirror ranges of its pivot once: [0, pivot] pairs x
 * with pivot - x, and (pivot, n) pairs x with pivot + n - x.
 */
export function computeShuffledList(indices: Uint32Array, seed: Uint8Array, rounds: number = SHUFFLE_ROUND_COUNT): Uint32Array {
  const n = indices.length;
  checkArgs(n, seed, rounds);
  const out = indices.slice();
  if (n <= 1) return out;
  const view = new Int32Array(out.buffer, out.byteOffset, n);
  const buf = new Uint8Array(SEED_LENGTH + 1 + 4);
  buf.set(seed, 0);
  const seedRound = buf.subarray(0, SEED_LENGTH + 1);
  for (let r = rounds - 1; r >= 0; r--) {
    buf[SEED_LENGTH] = r;
    const pivot = pivotOf(seedRound, n);
    swapRange(view, buf, pivot, Math.floor(pivot / 2) + 1, pivot);
    swapRange(view, buf, n - 1, Math.floor((pivot + n) / 2) + 1, pivot + n);
  }
  return out;
}
