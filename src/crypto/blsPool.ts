/**
 * Signature-set verification on worker threads, so that the calling thread (a node's event
 * loop, or the rest of a state transition) runs while the pairings are computed.
 *
 * A batch is cut into jobs verified independently, each a multi-verification with its own
 * random scalars: the batch is valid iff every job is, exactly the answer of one
 * multi-verification of the whole batch. Every job's signatures are posted first, so the workers
 * decode and subgroup-check them while the calling thread sums the aggregate sets' public keys
 * (the keys live on this thread, in the pubkey cache) and posts them job by job.
 *
 * Small batches stay on the calling thread, where the hand-off would cost more than it saves.
 * A worker that fails (or a closed pool) never loses a job: its sets are verified on the calling
 * thread instead.
 */
import {availableParallelism} from "node:os";
import {Worker} from "node:worker_threads";
import {packPublicKeys, packSignatures, type BlsJobResponse, type BlsPubkeysPart} from "./blsJob.ts";
import {CryptoError} from "./errors.ts";
import {verifySignatureSets, type SignatureSet} from "./signatureSets.ts";

export interface BlsPoolOptions {
  /** Worker threads, started on first use (default: one per core, at most 4). */
  workers?: number;
  /** Batches with fewer sets are verified on the calling thread (default 4). */
  minSetsForWorkers?: number;
  /** A batch is split over several workers only into jobs of at least this many sets (default 16). */
  minSetsPerJob?: number;
  /** No job holds more sets than this (default 256). */
  maxSetsPerJob?: number;
}

/** What a state transition or the chain needs to verify signature sets off the calling thread. */
export interface AsyncSignatureVerifier {
  /** Resolves true when every set verifies (an empty batch is valid); never rejects. */
  verifySignatureSets(sets: SignatureSet[]): Promise<boolean>;
}

/** Verification on the calling thread, behind the same interface (for callers without a pool). */
export const callingThreadVerifier: AsyncSignatureVerifier = {
  verifySignatureSets: (sets) => Promise.resolve(verifySignatureSets(sets)),
};

/** Counters, for metrics and tests. */
export interface BlsPoolStats {
  /** Jobs answered by a worker. */
  workerJobs: number;
  /** Batches (or parts of batches) verified on the calling thread: small, unpackable, or after close. */
  callerThreadBatches: number;
  /** Jobs of a failed or closed worker, verified on the calling thread instead. */
  recoveredJobs: number;
}

interface Job {
  id: number;
  sets: SignatureSet[];
  resolve: (valid: boolean) => void;
}

interface PoolWorker {
  worker: Worker;
  jobs: Map<number, Job>;
  /** Sets in this worker's queue, to send new jobs to the least loaded worker. */
  queuedSets: number;
  ready: Promise<void>;
  dead: boolean;
}

/**
 * One worker per core, at most 4. blst's multi-verification already spreads its pairings over the
 * cores on its own threads; the workers overlap signature decoding with the caller's work and
 * with each other.
 */
export function defaultBlsWorkerCount(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

function positiveInt(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new CryptoError("BLS_INVALID_POOL_OPTION", `${name} must be a positive integer, got ${value}`);
  }
  return value;
}

export class BlsWorkerPool implements AsyncSignatureVerifier {
  readonly workerCount: number;
  readonly minSetsForWorkers: number;
  readonly minSetsPerJob: number;
  readonly maxSetsPerJob: number;
  private readonly workers: (PoolWorker | null)[];
  readonly stats: BlsPoolStats = {workerJobs: 0, callerThreadBatches: 0, recoveredJobs: 0};
  private nextJobId = 0;
  private closed = false;

  constructor(opts: BlsPoolOptions = {}) {
    this.workerCount = positiveInt(opts.workers, defaultBlsWorkerCount(), "workers");
    this.minSetsForWorkers = positiveInt(opts.minSetsForWorkers, 4, "minSetsForWorkers");
    this.minSetsPerJob = positiveInt(opts.minSetsPerJob, 16, "minSetsPerJob");
    this.maxSetsPerJob = positiveInt(opts.maxSetsPerJob, 256, "maxSetsPerJob");
    this.workers = new Array<PoolWorker | null>(this.workerCount).fill(null);
  }

  /** Starts every worker now and resolves when they can take jobs (otherwise the first batch waits). */
  async start(): Promise<void> {
    if (this.closed) return;
    await Promise.all(this.workers.map((_, i) => this.workerAt(i).ready));
  }

  verifySignatureSets(sets: SignatureSet[]): Promise<boolean> {
    if (this.closed || sets.length < this.minSetsForWorkers) {
      this.stats.callerThreadBatches++;
      return Promise.resolve(verifySignatureSets(sets));
    }
    // Each job costs a final exponentiation and a hand-off: split only batches big enough to gain.
    const n = sets.length;
    const jobCount = Math.max(1, Math.min(this.workerCount, Math.floor(n / this.minSetsPerJob)), Math.ceil(n / this.maxSetsPerJob));
    const perJob = Math.ceil(n / jobCount);
    return new Promise<boolean>((resolve) => {
      let remaining = Math.ceil(n / perJob);
      let settled = false;
      const done = (valid: boolean): void => {
        if (settled) return;
        if (!valid) {
          settled = true;
          resolve(false);
        } else if (--remaining === 0) {
          settled = true;
          resolve(true);
        }
      };
      try {
        this.dispatch(sets, perJob, done);
      } catch {
        // A worker that cannot even be created: verify here.
        if (!settled) {
          settled = true;
          this.stats.callerThreadBatches++;
          resolve(verifySignatureSets(sets));
        }
      }
    });
  }

  /** Posts a batch's jobs: every job's signatures first, decoded by the workers while the keys are summed here. */
  private dispatch(sets: SignatureSet[], perJob: number, done: (valid: boolean) => void): void {
    let decided = false;
    const posted: {w: PoolWorker; id: number; sets: SignatureSet[]}[] = [];
    try {
      for (let start = 0; start < sets.length && !decided; start += perJob) {
        const chunk = sets.slice(start, start + perJob);
        const id = this.nextJobId++;
        const packed = packSignatures(id, chunk);
        if (packed.kind === "part") {
          const w = this.leastLoaded();
          if (w.jobs.size === 0) w.worker.ref();
          w.jobs.set(id, {id, sets: chunk, resolve: done});
          w.queuedSets += chunk.length;
          w.worker.postMessage(packed.part, [packed.part.signatures.buffer as ArrayBuffer, packed.part.roots.buffer as ArrayBuffer]);
          posted.push({w, id, sets: chunk});
        } else {
          if (packed.kind === "unpackable") this.stats.callerThreadBatches++;
          const valid = packed.kind === "unpackable" && verifySignatureSets(chunk);
          if (!valid) decided = true;
          done(valid);
        }
      }
    } catch (e) {
      // The caller verifies the batch itself; the jobs already posted are only let go.
      decided = true;
      throw e;
    } finally {
      for (const {w, id, sets: chunk} of posted) {
        // A job of a batch already decided still gets its second part, so the worker lets it go.
        const part: BlsPubkeysPart = decided ? {kind: "pubkeys", id, pubkeys: null} : packPublicKeys(id, chunk);
        if (part.pubkeys === null) decided = true;
        w.worker.postMessage(part, part.pubkeys === null ? [] : [part.pubkeys.buffer as ArrayBuffer]);
      }
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Terminates the workers. Jobs in flight, and every later batch, are verified on the calling thread. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const live = this.workers.filter((w): w is PoolWorker => w !== null);
    this.workers.fill(null);
    for (const w of live) this.retire(w);
    await Promise.all(live.map((w) => w.worker.terminate()));
  }

  private leastLoaded(): PoolWorker {
    let best = this.workerAt(0);
    for (let i = 1; i < this.workerCount; i++) {
      const w = this.workerAt(i);
      if (w.queuedSets < best.queuedSets) best = w;
    }
    return best;
  }

  private workerAt(i: number): PoolWorker {
    const existing = this.workers[i];
    if (existing !== null) return existing;
    const worker = new Worker(new URL("./blsWorker.ts", import.meta.url));
    // An idle worker must not keep the process alive; it is ref'd while it holds jobs.
    worker.unref();
    let markReady: () => void = () => {};
    const w: PoolWorker = {worker, jobs: new Map(), queuedSets: 0, ready: new Promise((r) => (markReady = r)), dead: false};
    worker.on("message", (msg: BlsJobResponse | "ready") => {
      if (msg === "ready") {
        markReady();
        return;
      }
      const job = w.jobs.get(msg.id);
      if (job === undefined) return;
      w.jobs.delete(msg.id);
      w.queuedSets -= job.sets.length;
      if (w.jobs.size === 0) worker.unref();
      this.stats.workerJobs++;
      job.resolve(msg.valid === true);
    });
    const fail = (): void => {
      markReady();
      if (this.workers[i] === w) this.workers[i] = null;
      this.retire(w);
    };
    worker.on("error", fail);
    worker.on("exit", fail);
    this.workers[i] = w;
    return w;
  }

  /** Verifies a dead or closed worker's remaining jobs here. */
  private retire(w: PoolWorker): void {
    if (w.dead) return;
    w.dead = true;
    const jobs = [...w.jobs.values()];
    w.jobs.clear();
    w.queuedSets = 0;
    for (const job of jobs) {
      this.stats.recoveredJobs++;
      job.resolve(verifySignatureSets(job.sets));
    }
  }
}
