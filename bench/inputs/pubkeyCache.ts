/**
 * The interop public keys of validators 0..n-1, kept on disk because deriving a million of them
 * takes minutes. The file holds the keys of indices 0..k-1 back to back (48 bytes each). Asking
 * for more keys derives the missing tail in memory and replaces the file (write, then rename) at
 * checkpoints along the way, so an interrupted run keeps most of its work, and two processes
 * growing the cache at once each write a complete, consistent file instead of interleaving.
 *
 * Every load checks the file before trusting it: a whole number of keys (a torn tail is
 * dropped), and a sample of keys (the first, the last, fixed and random positions) re-derived
 * from their index. A file that fails the sample is derived again from scratch.
 */
import {closeSync, fstatSync, openSync, readSync, statSync} from "node:fs";
import {availableParallelism} from "node:os";
import {join} from "node:path";
import {interopPubkey, interopPubkeys, PUBKEY_LENGTH} from "../../src/crypto/index.ts";
import {bytesEqual} from "../../src/util/bytes.ts";
import {defaultCacheDir, ensureCacheDir} from "./cacheDir.ts";
import {BenchInputError} from "./errors.ts";
import {writeFileAtomic} from "../../src/util/fs.ts";
import {runRangeOnWorkers} from "../../src/util/rangeWorkers.ts";

export const PUBKEY_CACHE_FILE = "interop-pubkeys.bin";

/** Keys per worker job: large enough to amortize messaging, small enough for steady progress. */
const CHUNK = 4096;
/** Below this many missing keys, starting threads costs more than it saves. */
const MIN_KEYS_FOR_WORKERS = 2 * CHUNK;
/** Keys derived between two rewrites of the file (and at least a tenth of the missing keys). */
const CHECKPOINT_KEYS = 65536;
const SAMPLES = 8;

export interface PubkeyCacheOptions {
  cacheDir?: string;
  /** Called as keys are derived (not for keys read from the cache). */
  onProgress?: (done: number, total: number) => void;
  /** Worker threads for derivation; default: the available cores. */
  threads?: number;
}

/** The keys of indices 0..count-1, as one buffer of count*48 bytes. */
export async function loadInteropPubkeys(count: number, opts: PubkeyCacheOptions = {}): Promise<Uint8Array> {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new BenchInputError("BENCH_UNSUPPORTED_INPUT", `validator count must be a non-negative integer, got ${count}`);
  }
  const path = join(ensureCacheDir(opts.cacheDir ?? defaultCacheDir()), PUBKEY_CACHE_FILE);
  const {keys: cached, corrupt} = readCachedKeys(path, count);
  const have = Math.min(cached.length / PUBKEY_LENGTH, count);
  const keys = new Uint8Array(count * PUBKEY_LENGTH);
  keys.set(cached.subarray(0, have * PUBKEY_LENGTH));
  if (have === count) return keys;

  const total = count - have;
  const checkpointEvery = Math.max(CHECKPOINT_KEYS, Math.ceil(total / 10));
  let saved = have;
  await derive(keys, have, count, opts, (done) => {
    opts.onProgress?.(done - have, total);
    if (done === count || done - saved >= checkpointEvery) {
      // Never shrink a good file that holds more keys (or that another process grew meanwhile).
      if (corrupt || done * PUBKEY_LENGTH >= fileSize(path)) writeKeys(path, keys.subarray(0, done * PUBKEY_LENGTH));
      saved = done;
    }
  });
  return keys;
}

/**
 * The trusted part of the cache file, at most `count` keys: whole keys only, nothing when the file
 * is missing or (`corrupt`) a sampled key is wrong.
 */
function readCachedKeys(path: string, count: number): {keys: Uint8Array; corrupt: boolean} {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return {keys: new Uint8Array(0), corrupt: false};
    throw new BenchInputError("BENCH_CACHE_IO", `cannot read the pubkey cache ${path}: ${(e as Error).message}`, {cause: e});
  }
  let keys: Uint8Array;
  try {
    const whole = Math.min(count, Math.floor(fstatSync(fd).size / PUBKEY_LENGTH));
    keys = new Uint8Array(whole * PUBKEY_LENGTH);
    for (let off = 0; off < keys.length; ) {
      const n = readSync(fd, keys, off, keys.length - off, off);
      if (n === 0) return {keys: new Uint8Array(0), corrupt: true};
      off += n;
    }
  } finally {
    closeSync(fd);
  }
  const whole = keys.length / PUBKEY_LENGTH;
  for (const index of samplePositions(whole)) {
    if (!bytesEqual(keys.subarray(index * PUBKEY_LENGTH, (index + 1) * PUBKEY_LENGTH), interopPubkey(index))) {
      return {keys: new Uint8Array(0), corrupt: true};
    }
  }
  return {keys, corrupt: false};
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function samplePositions(have: number): number[] {
  if (have === 0) return [];
  const picks = new Set<number>([0, have - 1]);
  for (let s = 1; s <= SAMPLES / 2; s++) picks.add(Math.floor((have * s) / (SAMPLES / 2 + 1)));
  while (picks.size < Math.min(have, SAMPLES + 2)) picks.add(Math.floor(Math.random() * have));
  return [...picks];
}

function writeKeys(path: string, keys: Uint8Array): void {
  try {
    writeFileAtomic(path, keys);
  } catch (e) {
    throw new BenchInputError("BENCH_CACHE_IO", `cannot write the pubkey cache ${path}: ${(e as Error).message}`, {cause: e});
  }
}

/** Fills keys[from..to) in index order, calling `onDone(k)` each time keys 0..k-1 are all present. */
async function derive(
  keys: Uint8Array,
  from: number,
  to: number,
  opts: PubkeyCacheOptions,
  onDone: (done: number) => void
): Promise<void> {
  const threads = Math.max(1, Math.min(opts.threads ?? availableParallelism(), Math.ceil((to - from) / CHUNK)));
  if (to - from < MIN_KEYS_FOR_WORKERS || threads === 1) {
    for (let start = from; start < to; start += CHUNK) {
      const end = Math.min(to, start + CHUNK);
      keys.set(interopPubkeys(start, end), start * PUBKEY_LENGTH);
      onDone(end);
    }
    return;
  }
  await deriveWithWorkers(keys, from, to, threads, onDone);
}

/** Farms chunks out to worker threads; results are placed by index, progress reported in order. */
async function deriveWithWorkers(
  keys: Uint8Array,
  from: number,
  to: number,
  threads: number,
  onDone: (done: number) => void
): Promise<void> {
  const finished = new Map<number, number>();
  let contiguous = from;
  await runRangeOnWorkers<Uint8Array>({
    worker: new URL("./pubkeyWorker.ts", import.meta.url),
    threads,
    start: from,
    end: to,
    chunkSize: CHUNK,
    onResult(chunk, derived) {
      keys.set(derived, chunk.start * PUBKEY_LENGTH);
      finished.set(chunk.start, chunk.end);
      for (let end = finished.get(contiguous); end !== undefined; end = finished.get(contiguous)) {
        finished.delete(contiguous);
        contiguous = end;
        onDone(contiguous);
      }
    },
    runHere: (chunk) => interopPubkeys(chunk.start, chunk.end),
  });
}
