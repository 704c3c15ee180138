/**
 * The processor in front of the chain. Everything that changes fork choice, the pools or the
 * database's anchor runs as an exclusive job, one at a time, as under the mutex it replaces, but
 * picked by lane: blocks first, then the chain's own work (clock ticks, REST calls, production),
 * then aggregates, attestations and operations. Lanes are bounded: a job pushed to a full lane is
 * refused with ProcessorQueueFullError and counted, so a flood of gossip costs memory only up to
 * the bounds and never holds a block back behind thousands of attestations.
 */
import {GnomonError} from "../../util/errors.ts";
import {BoundedQueue} from "./boundedQueue.ts";

export const LANES = ["block", "chain", "aggregate", "attestation", "operation"] as const;
export type Lane = (typeof LANES)[number];

export const DEFAULT_LANE_CAPACITY: Readonly<Record<Lane, number>> = {
  block: 1024,
  // Clock ticks and REST calls are the node's own work: never refused.
  chain: Number.POSITIVE_INFINITY,
  aggregate: 4096,
  attestation: 16384,
  operation: 4096,
};

export const ProcessorErrorCode = {QUEUE_FULL: "PROCESSOR_QUEUE_FULL", CLOSED: "PROCESSOR_CLOSED"} as const;

export class ProcessorError extends GnomonError {}

export interface LaneStats {
  queued: number;
  dropped: number;
  processed: number;
}

interface Job {
  run(): Promise<void>;
}

export class ChainProcessor {
  private readonly lanes: Record<Lane, BoundedQueue<Job>>;
  private readonly processed: Record<Lane, number>;
  private running = false;

  constructor(capacity: Partial<Record<Lane, number>> = {}) {
    const caps = {...DEFAULT_LANE_CAPACITY, ...capacity};
    this.lanes = Object.fromEntries(LANES.map((l) => [l, new BoundedQueue<Job>(caps[l])])) as Record<Lane, BoundedQueue<Job>>;
    this.processed = Object.fromEntries(LANES.map((l) => [l, 0])) as Record<Lane, number>;
  }

  /**
   * Runs `task` exclusively, after the jobs of higher lanes that are waiting. Rejects with a
   * ProcessorError QUEUE_FULL when the lane is full (the task is not run).
   */
  run<T>(task: () => Promise<T>, lane: Lane = "chain"): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const job: Job = {
        run: () =>
          Promise.resolve()
            .then(task)
            .then(resolve, reject)
            .finally(() => {
              this.processed[lane]++;
            }),
      };
      if (!this.lanes[lane].push(job)) {
        reject(new ProcessorError(ProcessorErrorCode.QUEUE_FULL, `the ${lane} queue is full (${this.lanes[lane].capacity})`));
        return;
      }
      this.kick();
    });
  }

  /** Resolves once every job queued so far (and those they queue) has run. */
  async drain(): Promise<void> {
    // A no-op in the last lane runs only after every lane above it is empty; it reports whether
    // anything was queued behind it meanwhile.
    for (;;) {
      const idle = await this.run(async () => this.pending() === 0, "operation").catch(() => this.run(async () => false));
      if (idle) return;
    }
  }

  pending(): number {
    let n = 0;
    for (const l of LANES) n += this.lanes[l].length;
    return n;
  }

  stats(): Record<Lane, LaneStats> {
    return Object.fromEntries(
      LANES.map((l) => [l, {queued: this.lanes[l].length, dropped: this.lanes[l].dropped, processed: this.processed[l]}])
    ) as Record<Lane, LaneStats>;
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    // A microtask later, so a caller's synchronous pushes are all queued before the first pick.
    queueMicrotask(() => void this.loop());
  }

  private async loop(): Promise<void> {
    for (;;) {
      const job = this.next();
      if (job === undefined) break;
      await job.run();
    }
    this.running = false;
  }

  private next(): Job | undefined {
    for (const l of LANES) {
      const job = this.lanes[l].shift();
      if (job !== undefined) return job;
    }
    return undefined;
  }
}
