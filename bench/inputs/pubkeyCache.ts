/**
 * The interop public keys of validators 0..n-1, kept on disk because deriving a million of them
 * takes minutes. The file holds the keys of indices 0..k-1 back to back (48 bytes each) and only
 * ever grows: asking for more keys derives the missing tail and appends it, chunk by chunk, so an
 * interrupted run keeps what it finished.
 *
 * Every load checks the file before trusting it: a whole number of keys, and a sample of keys
 * (the first, the last, fixed and random positions) re-derived from their index. A file that
 * fails is rebuilt from scratch.
 */
import {closeSync, fstatSync, ftruncateSync, openSync, readSync, writeSync} from "node:fs";
import {availableParallelism} from "node:os";
import {join} from "node:path";
import {Worker} from "node:worker_threads";
import {interopPubkey, PUBKEY_LENGTH} from "../../src/crypto/index.ts";
import {bytesEqual} from "../../src/util/bytes.ts";
import {defaultCacheDir, ensureCacheDir} from "./cacheDir.ts";
import {BenchInputError} from "./errors.ts";
import type {PubkeyJob, PubkeyResult} from "./pubkeyWorker.ts";

export const PUBKEY_CACHE_FILE = "interop-pubkeys.bin";

/** Keys per worker job: large enough to amortize messaging, small enough for steady progress. */
const CHUNK = 4096;
/** Below this many missing keys, starting threads costs more than it saves. */
const MIN_KEYS_FOR_WORKERS = 2 * CHUNK;
const SAMPLES = 8;

export interface PubkeyCacheOptions {
  cacheDir?: string;
  /** Called as keys are derived (not for keys read from the cache). */
  onProgress?: (done: number, total: number) => void;
  /** Worker threads for derivation; default: the available cores. */
  threads?: number;
}

/** The cached keys of indices 0..count-1, as one buffer of count*48 bytes. */
export async function loadInteropPubkeys(count: number, opts: PubkeyCacheOptions = {}): Promise<Uint8Array> {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new BenchInputError("BENCH_UNSUPPORTED_INPUT", `validator count must be a non-negative integer, got ${count}`);
  }
  const path = join(ensureCacheDir(opts.cacheDir ?? defaultCacheDir()), PUBKEY_CACHE_FILE);
  const fd = openOrFail(path);
  try {
    let have = validKeyCount(fd);
    if (have < 0) {
      ftruncateSync(fd, 0);
      have = 0;
    }
    if (have < count) await deriveInto(fd, have, count, opts);
    const out = new Uint8Array(count * PUBKEY_LENGTH);
    readFully(fd, out, 0);
    return out;
  } finally {
    closeSync(fd);
  }
}

function openOrFail(path: string): number {
  try {
    return openSync(path, "a+");
  } catch (e) {
    throw new BenchInputError("BENCH_CACHE_IO", `cannot open the pubkey cache ${path}: ${(e as Error).message}`, {cause: e});
  }
}

/**
 * The number of keys the file holds after dropping a torn trailing record, or -1 when a sampled
 * key differs from its derivation (the file is then not to be trusted at all).
 */
function validKeyCount(fd: number): number {
  const size = fstatSync(fd).size;
  const have = Math.floor(size / PUBKEY_LENGTH);
  if (size !== have * PUBKEY_LENGTH) ftruncateSync(fd, have * PUBKEY_LENGTH);
  if (have === 0) return 0;
  const key = new Uint8Array(PUBKEY_LENGTH);
  for (const index of samplePositions(have)) {
    readFully(fd, key, index * PUBKEY_LENGTH);
    if (!bytesEqual(key, interopPubkey(index))) return -1;
  }
  return have;
}

function samplePositions(have: number): number[] {
  const picks = new Set<number>([0, have - 1]);
  for (let s = 1; s <= SAMPLES / 2; s++) picks.add(Math.floor((have * s) / (SAMPLES / 2 + 1)));
  while (picks.size < Math.min(have, SAMPLES + 2)) picks.add(Math.floor(Math.random() * have));
  return [...picks];
}

function readFully(fd: number, out: Uint8Array, position: number): void {
  let off = 0;
  while (off < out.length) {
    const n = readSync(fd, out, off, out.length - off, position + off);
    if (n === 0) throw new BenchInputError("BENCH_CACHE_IO", "pubkey cache ended early while reading");
    off += n;
  }
}

function appendFully(fd: number, data: Uint8Array): void {
  let off = 0;
  while (off < data.length) off += writeSync(fd, data, off, data.length - off);
}

async function deriveInto(fd: number, from: number, to: number, opts: PubkeyCacheOptions): Promise<void> {
  const total = to - from;
  const threads = Math.max(1, Math.min(opts.threads ?? availableParallelism(), Math.ceil(total / CHUNK)));
  if (total < MIN_KEYS_FOR_WORKERS || threads === 1) {
    for (let start = from; start < to; start += CHUNK) {
      const end = Math.min(to, start + CHUNK);
      const keys = new Uint8Array((end - start) * PUBKEY_LENGTH);
      for (let i = start; i < end; i++) keys.set(interopPubkey(i), (i - start) * PUBKEY_LENGTH);
      appendFully(fd, keys);
      opts.onProgress?.(end - from, total);
    }
    return;
  }
  await deriveWithWorkers(fd, from, to, threads, opts);
}

/** Farms chunks out to worker threads and appends the results strictly in index order. */
async function deriveWithWorkers(fd: number, from: number, to: number, threads: number, opts: PubkeyCacheOptions): Promise<void> {
  const total = to - from;
  const workers = Array.from({length: threads}, () => new Worker(new URL("./pubkeyWorker.ts", import.meta.url)));
  const ready = new Map<number, Uint8Array>();
  let nextJob = from;
  let nextWrite = from;
  try {
    await new Promise<void>((resolve, reject) => {
      const dispatch = (w: Worker): void => {
        if (nextJob >= to) return;
        const job: PubkeyJob = {start: nextJob, end: Math.min(to, nextJob + CHUNK)};
        nextJob = job.end;
        w.postMessage(job);
      };
      for (const w of workers) {
        w.on("error", reject);
        w.on("message", (res: PubkeyResult) => {
          ready.set(res.start, res.keys);
          try {
            for (let keys = ready.get(nextWrite); keys !== undefined; keys = ready.get(nextWrite)) {
              ready.delete(nextWrite);
              appendFully(fd, keys);
              nextWrite += keys.length / PUBKEY_LENGTH;
              opts.onProgress?.(nextWrite - from, total);
            }
          } catch (e) {
            reject(e);
            return;
          }
          if (nextWrite >= to) resolve();
          else dispatch(w);
        });
        dispatch(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
