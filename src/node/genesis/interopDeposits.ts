/**
 * The deposits of the interop ("mock") genesis every client builds for test networks: validator
 * i deposits MAX_EFFECTIVE_BALANCE with its interop key, BLS withdrawal credentials
 * (0x00 ‖ sha256(pubkey)[1:]) and a proof of possession over its DepositMessage. Proof i is
 * against the deposit root of the first i+1 deposits, the root initialize_beacon_state_from_eth1
 * sets before processing deposit i.
 *
 * Signing dominates (a key derivation, a public key and a signature per validator): large
 * counts are signed on worker threads, which derive the keys from the indices themselves (only
 * index ranges go out, only signed deposit data comes back); the deposits are the same bytes
 * either way.
 */
import {availableParallelism} from "node:os";
import type {ChainConfig} from "../../params/index.ts";
import {ssz, type Deposit, type DepositData} from "../../types/index.ts";
import {runRangeOnWorkers} from "../../util/rangeWorkers.ts";
import {DepositTree} from "./depositTree.ts";
import {interopDepositData, interopDepositParams, interopDepositRange} from "./interopDepositData.ts";

export {interopDepositData, interopDepositParams, type InteropDepositParams} from "./interopDepositData.ts";

export type ProgressFn = (done: number, total: number) => void;

export interface InteropDeposits {
  deposits: Deposit[];
  /** hash_tree_root of the list of all deposit data: the eth1 deposit root after the last one. */
  depositRoot: Uint8Array;
}

/** Deposits 0..count-1, signed on the calling thread. */
export function interopDeposits(config: Pick<ChainConfig, "GENESIS_FORK_VERSION">, count: number, onProgress?: ProgressFn): InteropDeposits {
  const params = interopDepositParams(config);
  const progress = progressReporter(count, onProgress);
  const data: DepositData[] = [];
  for (let i = 0; i < count; i++) {
    data.push(interopDepositData(i, params));
    progress(i + 1);
  }
  return withProofs(data);
}

export interface SigningOptions {
  /** Signing threads (default: one per core, at most 8). */
  workers?: number;
  /** Fewer deposits than this are signed on the calling thread, where starting threads would cost more (default 512). */
  minCountForWorkers?: number;
}

/** Deposits per worker job: about a tenth of a second of signing. */
const SIGNING_CHUNK = 128;

/** Deposits 0..count-1, signed on worker threads (small counts on the calling thread). */
export async function interopDepositsOnWorkers(
  config: Pick<ChainConfig, "GENESIS_FORK_VERSION">,
  count: number,
  onProgress?: ProgressFn,
  opts: SigningOptions = {}
): Promise<InteropDeposits> {
  const threads = opts.workers ?? Math.min(8, availableParallelism());
  if (count < (opts.minCountForWorkers ?? 512) || threads < 1) return interopDeposits(config, count, onProgress);
  const params = interopDepositParams(config);
  const progress = progressReporter(count, onProgress);
  const data = new Array<DepositData>(count);
  let done = 0;
  await runRangeOnWorkers<DepositData[]>({
    worker: new URL("./interopDepositWorker.ts", import.meta.url),
    workerData: params,
    threads,
    start: 0,
    end: count,
    chunkSize: SIGNING_CHUNK,
    onResult(chunk, signed) {
      for (let j = 0; j < signed.length; j++) data[chunk.start + j] = signed[j];
      done += signed.length;
      progress(done);
    },
    runHere: (chunk) => interopDepositRange(chunk.start, chunk.end, params),
  });
  return withProofs(data);
}

/** Proofs from an incremental deposit tree (O(depth) each), in index order. */
function withProofs(data: DepositData[]): InteropDeposits {
  const tree = new DepositTree();
  const deposits = data.map((d) => ({proof: tree.push(ssz.DepositData.hashTreeRoot(d)), data: d}));
  return {deposits, depositRoot: tree.root()};
}

/** Calls onProgress about every percent of `count`, and at the end. */
function progressReporter(count: number, onProgress: ProgressFn | undefined): (done: number) => void {
  if (onProgress === undefined) return () => {};
  const step = Math.max(1, Math.floor(count / 100));
  let reported = 0;
  return (done) => {
    if (done === count || done - reported >= step) {
      reported = done;
      onProgress(done, count);
    }
  };
}
