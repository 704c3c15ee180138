/**
 * GET /eth/v1/events as a long-lived subscription: decoded `head` events go to the listener,
 * and a dropped or refused stream is reopened with a growing delay (capped) until stopped.
 * Duties never wait on the stream: it only makes them earlier (attest on the block) and fresher
 * (re-fetch on a dependent-root change).
 */
import {sleep, systemTime, type TimeSource} from "../../clock/index.ts";
import type {Logger} from "../../util/logger.ts";
import {errorMessage} from "../../util/errors.ts";
import {ResponseReader} from "./decode.ts";
import {SseParser} from "./sse.ts";
import type {HeadEvent} from "./types.ts";

export interface HeadEventStreamOptions {
  baseUrl: string;
  onHead(event: HeadEvent): void;
  /** Called each time the stream (re)opens, so callers can re-check what they may have missed. */
  onConnect?(): void;
  logger: Logger;
  signal: AbortSignal;
  fetch?: typeof fetch;
  minRetryMs?: number;
  maxRetryMs?: number;
  /** Where the reconnect delays are measured (the client's clock). */
  time?: TimeSource;
}

export function parseHeadEvent(data: string): HeadEvent {
  const r = new ResponseReader("event head");
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch (e) {
    throw r.bad("data", `is not JSON: ${errorMessage(e)}`);
  }
  const o = r.object(json, "data");
  return {
    slot: r.uint(o.slot, "slot"),
    block: r.bytes(o.block, 32, "block"),
    state: r.bytes(o.state, 32, "state"),
    epochTransition: r.bool(o.epoch_transition, "epoch_transition"),
    previousDutyDependentRoot: r.bytes(o.previous_duty_dependent_root, 32, "previous_duty_dependent_root"),
    currentDutyDependentRoot: r.bytes(o.current_duty_dependent_root, 32, "current_duty_dependent_root"),
    executionOptimistic: o.execution_optimistic === true,
  };
}

/** Runs until `signal` aborts; the returned promise settles then. */
export async function runHeadEventStream(opts: HeadEventStreamOptions): Promise<void> {
  const fetchFn = opts.fetch ?? fetch;
  const minRetry = opts.minRetryMs ?? 500;
  const maxRetry = opts.maxRetryMs ?? 10_000;
  const url = `${opts.baseUrl.replace(/\/+$/, "")}/eth/v1/events?topics=head`;
  let delay = minRetry;
  let warned = false;
  while (!opts.signal.aborted) {
    try {
      const res = await fetchFn(url, {headers: {Accept: "text/event-stream"}, signal: opts.signal});
      if (res.status !== 200 || res.body === null) {
        await res.body?.cancel();
        throw new Error(`event stream answered ${res.status}`);
      }
      if (warned) opts.logger.info("event stream reconnected");
      warned = false;
      delay = minRetry;
      opts.onConnect?.();
      const parser = new SseParser();
      const decoder = new TextDecoder();
      for await (const chunk of res.body) {
        for (const msg of parser.push(decoder.decode(chunk, {stream: true}))) {
          if (msg.event !== "head") continue;
          try {
            opts.onHead(parseHeadEvent(msg.data));
          } catch (e) {
            opts.logger.warn({err: errorMessage(e)}, "ignoring a malformed head event");
          }
        }
      }
      if (!opts.signal.aborted) throw new Error("event stream closed by the node");
    } catch (e) {
      if (opts.signal.aborted) break;
      // One warning per outage: a node that is down for a while should not flood the log.
      if (!warned) opts.logger.warn({err: errorMessage(e)}, "event stream unavailable: retrying");
      else opts.logger.debug({err: errorMessage(e), retryMs: delay}, "event stream still unavailable");
      warned = true;
      await sleep(opts.time ?? systemTime, delay, opts.signal);
      delay = Math.min(maxRetry, delay * 2);
    }
  }
}
