/**
 * Work on an index range spread over worker threads. The range is cut into chunks that the
 * workers take one after another (a worker gets the next chunk when it answers one, so a slower
 * thread takes fewer). A worker that fails hands its chunk back to the others; with no worker
 * left, the remaining chunks run on the calling thread. Every chunk is done exactly once.
 *
 * The worker module calls serveRangeChunks with the function it runs on a chunk.
 */
import {parentPort, Worker, workerData, type Transferable} from "node:worker_threads";

export interface RangeChunk {
  start: number;
  end: number;
}

interface ChunkAnswer<R> {
  chunk: RangeChunk;
  result: R;
}

export interface RangeWorkOptions<R> {
  /** The worker module (it calls serveRangeChunks). */
  worker: URL;
  /** Handed to every worker as its workerData. */
  workerData?: unknown;
  threads: number;
  start: number;
  end: number;
  chunkSize: number;
  /** Takes the result of a chunk, in the order chunks finish. An exception stops the work and rejects. */
  onResult(chunk: RangeChunk, result: R): void;
  /** Runs a chunk on the calling thread (when no worker is left). */
  runHere(chunk: RangeChunk): R;
}

export function runRangeOnWorkers<R>(opts: RangeWorkOptions<R>): Promise<void> {
  const queue: RangeChunk[] = [];
  for (let start = opts.start; start < opts.end; start += opts.chunkSize) queue.push({start, end: Math.min(opts.end, start + opts.chunkSize)});
  return new Promise((resolve, reject) => {
    const live = new Set<Worker>();
    const inFlight = new Map<Worker, RangeChunk>();
    let settled = false;
    const fail = (e: unknown): void => {
      if (settled) return;
      settled = true;
      for (const w of live) void w.terminate();
      live.clear();
      reject(e);
    };
    const finishIfIdle = (): void => {
      if (live.size > 0 || settled) return;
      try {
        for (let chunk = queue.shift(); chunk !== undefined; chunk = queue.shift()) opts.onResult(chunk, opts.runHere(chunk));
      } catch (e) {
        fail(e);
        return;
      }
      settled = true;
      resolve();
    };
    const retire = (w: Worker): void => {
      if (!live.delete(w)) return;
      const chunk = inFlight.get(w);
      inFlight.delete(w);
      if (chunk !== undefined) queue.unshift(chunk);
      void w.terminate();
      finishIfIdle();
    };
    const next = (w: Worker): void => {
      const chunk = queue.shift();
      inFlight.delete(w);
      if (chunk === undefined) {
        retire(w);
        return;
      }
      inFlight.set(w, chunk);
      w.postMessage(chunk);
    };
    for (let k = 0; k < opts.threads && k < queue.length; k++) {
      let w: Worker;
      try {
        w = new Worker(opts.worker, {workerData: opts.workerData});
      } catch {
        continue;
      }
      live.add(w);
      w.on("message", (answer: ChunkAnswer<R>) => {
        if (settled) return;
        try {
          opts.onResult(answer.chunk, answer.result);
        } catch (e) {
          fail(e);
          return;
        }
        next(w);
      });
      w.on("error", () => retire(w));
      w.on("exit", () => retire(w));
      next(w);
    }
    finishIfIdle();
  });
}

/**
 * In a worker module: answers each chunk with `work(chunk, workerData)`, transferring the buffers
 * `transfer` names instead of copying them.
 */
export function serveRangeChunks<R>(work: (chunk: RangeChunk, data: unknown) => R, transfer?: (result: R) => Transferable[]): void {
  const port = parentPort;
  if (port === null) return;
  port.on("message", (chunk: RangeChunk) => {
    const result = work(chunk, workerData);
    const answer: ChunkAnswer<R> = {chunk, result};
    port.postMessage(answer, transfer?.(result) ?? []);
  });
}
