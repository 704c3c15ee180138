/**
 * Timers built on a TimeSource, so the code that waits (retries, backoffs, request timeouts,
 * heartbeats) runs on the same time as the slot clock: wall time in a node, virtual time in a
 * test or a simulation.
 */
import type {TimeSource} from "./timeSource.ts";

/** Resolves after `ms` of the source's time, or at once when `signal` aborts (never rejects). */
export function sleep(time: TimeSource, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const handle = time.setTimeout(done, ms);
    function done(): void {
      time.clearTimeout(handle);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, {once: true});
  });
}

export interface TimeoutSignal {
  /** Aborts with a "TimeoutError" DOMException (as AbortSignal.timeout does) after `ms`. */
  readonly signal: AbortSignal;
  /** Drops the timer once the guarded work is over, so it holds no process open. */
  cancel(): void;
}

/** AbortSignal.timeout on the source's time. */
export function timeoutSignal(time: TimeSource, ms: number): TimeoutSignal {
  const controller = new AbortController();
  const handle = time.setTimeout(() => controller.abort(new DOMException(`timed out after ${ms} ms`, "TimeoutError")), ms);
  return {signal: controller.signal, cancel: () => time.clearTimeout(handle)};
}

/** Runs `fn` every `ms` of the source's time until the returned function is called. */
export function every(time: TimeSource, ms: number, fn: () => void): () => void {
  let stopped = false;
  let handle: unknown;
  const arm = (): void => {
    handle = time.setTimeout(() => {
      if (stopped) return;
      arm();
      fn();
    }, ms);
  };
  arm();
  return () => {
    stopped = true;
    time.clearTimeout(handle);
  };
}
