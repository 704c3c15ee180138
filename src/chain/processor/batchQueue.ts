/**
 * A bounded queue of gossip messages of one kind that are validated in batches: a batch's
 * signatures go to the BLS verifier as one multi-verification, and while a worker verifies one
 * batch the main thread prepares the next (up to `maxInFlight` batches at once). Validation only
 * reads the chain, so it runs outside the processor's exclusive lane; each batch's import step
 * is then queued on that lane.
 */
import {BoundedQueue} from "./boundedQueue.ts";

export interface BatchQueueOptions<T, R> {
  capacity: number;
  batchSize: number;
  maxInFlight: number;
  /** Validates and imports a batch; one result per item, in order. Must not reject. */
  process(items: T[]): Promise<R[]>;
  /** The result of an item refused because the queue is full. */
  dropped(item: T): R;
  /** Told of a process() that rejected (a bug): its items got the `dropped` result. */
  onError?(e: unknown): void;
}

interface Entry<T, R> {
  item: T;
  resolve(r: R): void;
}

export class BatchQueue<T, R> {
  private readonly queue: BoundedQueue<Entry<T, R>>;
  private readonly opts: BatchQueueOptions<T, R>;
  private inFlight = 0;
  processed = 0;

  constructor(opts: BatchQueueOptions<T, R>) {
    this.opts = opts;
    this.queue = new BoundedQueue(opts.capacity);
  }

  push(item: T): Promise<R> {
    return new Promise<R>((resolve) => {
      if (!this.queue.push({item, resolve})) {
        resolve(this.opts.dropped(item));
        return;
      }
      // Let the caller's synchronous pushes gather into one batch.
      queueMicrotask(() => this.pump());
    });
  }

  get length(): number {
    return this.queue.length;
  }

  get dropped(): number {
    return this.queue.dropped;
  }

  get active(): number {
    return this.inFlight;
  }

  private pump(): void {
    while (this.inFlight < this.opts.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.take(this.opts.batchSize);
      this.inFlight++;
      void this.runBatch(batch);
    }
  }

  private async runBatch(batch: Entry<T, R>[]): Promise<void> {
    // Give I/O callbacks a turn first: with a verifier that answers synchronously, batch after
    // batch would otherwise run on microtasks alone and hold back a block's database write.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      const results = await this.opts.process(batch.map((e) => e.item));
      batch.forEach((e, i) => e.resolve(results[i]));
    } catch (e) {
      // process() is written not to reject; should it, no caller may hang on a lost verdict.
      batch.forEach((entry) => entry.resolve(this.opts.dropped(entry.item)));
      this.opts.onError?.(e);
    } finally {
      this.processed += batch.length;
      this.inFlight--;
      this.pump();
    }
  }
}
