/**
 * Interop deposits signed on worker threads. The index range is cut into chunks that the workers
 * take one after another (a worker asks for the next chunk when it returns one), so a slower
 * thread takes fewer. Each worker derives the keys from the indices: only the indices go out and
 * only the signed deposit data comes back. A worker that fails hands its chunk back to the
 * others, or to the calling thread when none is left: every deposit is signed exactly once.
 */
import {availableParallelism} from "node:os";
import {Worker} from "node:worker_threads";
import type {DepositData} from "../../types/index.ts";
import {interopDepositData, type InteropDepositParams} from "./interopDepositData.ts";

export interface SigningOptions {
  /** Signing threads (default: one per core, at most 8). */
  workers?: number;
  /** Fewer deposits than this are signed on the calling thread, where starting threads would cost more (default 512). */
  minCountForWorkers?: number;
}

/** Sign deposits start..end-1. */
export interface SigningJob {
  start: number;
  end: number;
}

export interface SigningResult {
  start: number;
  data: DepositData[];
}

/** Deposits per job: about a tenth of a second of signing. */
const CHUNK = 128;

export function signInteropDepositsOnWorkers(
  count: number,
  params: InteropDepositParams,
  progress: (done: number) => void,
  opts: SigningOptions = {}
): Promise<DepositData[]> {
  const out = new Array<DepositData>(count);
  let done = 0;
  const signHere = (job: SigningJob): void => {
    for (let i = job.start; i < job.end; i++) out[i] = interopDepositData(i, params);
    done += job.end - job.start;
    progress(done);
  };
  const workerCount = Math.min(opts.workers ?? Math.min(8, availableParallelism()), Math.ceil(count / CHUNK));
  if (count < (opts.minCountForWorkers ?? 512) || workerCount < 1) {
    signHere({start: 0, end: count});
    return Promise.resolve(out);
  }

  const queue: SigningJob[] = [];
  for (let start = 0; start < count; start += CHUNK) queue.push({start, end: Math.min(count, start + CHUNK)});
  return new Promise((resolve) => {
    const live = new Set<Worker>();
    const inFlight = new Map<Worker, SigningJob>();
    const finishIfIdle = (): void => {
      if (live.size > 0) return;
      // No thread left (all done, or all failed): what remains is signed here.
      for (let job = queue.shift(); job !== undefined; job = queue.shift()) signHere(job);
      resolve(out);
    };
    const retire = (w: Worker): void => {
      if (!live.delete(w)) return;
      const job = inFlight.get(w);
      inFlight.delete(w);
      if (job !== undefined) queue.unshift(job);
      void w.terminate();
      finishIfIdle();
    };
    const next = (w: Worker): void => {
      const job = queue.shift();
      if (job === undefined) {
        inFlight.delete(w);
        retire(w);
        return;
      }
      inFlight.set(w, job);
      w.postMessage(job);
    };
    for (let k = 0; k < workerCount; k++) {
      let w: Worker;
      try {
        w = new Worker(new URL("./interopDepositWorker.ts", import.meta.url), {workerData: params});
      } catch {
        continue;
      }
      live.add(w);
      w.on("message", (result: SigningResult) => {
        for (let j = 0; j < result.data.length; j++) out[result.start + j] = result.data[j];
        done += result.data.length;
        progress(done);
        next(w);
      });
      w.on("error", () => retire(w));
      w.on("exit", () => retire(w));
      next(w);
    }
    finishIfIdle();
  });
}
