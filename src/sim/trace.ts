/**
 * The run's event trace and its hash. Events of one virtual instant are held back and written
 * sorted once time moves on: work started at the same instant (imports, REST calls, deliveries)
 * may finish in another order from run to run, but the trace, and its hash, do not.
 */
import {createHash, type Hash} from "node:crypto";
import type {TraceEvent, TraceSink} from "./types.ts";

export class Trace implements TraceSink {
  private readonly hash: Hash = createHash("sha256");
  private pending: string[] = [];
  private pendingT = -Infinity;
  private count = 0;
  private digest: string | null = null;

  private readonly now: () => number;
  private readonly lines: string[] | null;

  /** `now`: the virtual time events are stamped with; `lines`: also keep every line (for --trace FILE). */
  constructor(now: () => number, lines: string[] | null = null) {
    this.now = now;
    this.lines = lines;
  }

  record(event: TraceEvent): void {
    if (this.digest !== null) return;
    const t = event.t;
    if (t !== this.pendingT) {
      this.flush();
      this.pendingT = t;
    }
    this.pending.push(canonicalLine(event));
  }

  /** Stamps an event with the current virtual time. */
  at(event: Omit<TraceEvent, "t">): void {
    this.record({t: this.now(), ...event} as TraceEvent);
  }

  get events(): number {
    return this.count + this.pending.length;
  }

  /** Ends the trace; the hex sha256 of its lines, each ending in a newline. */
  finish(): string {
    if (this.digest === null) {
      this.flush();
      this.digest = this.hash.digest("hex");
    }
    return this.digest;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.pending.sort();
    for (const line of this.pending) {
      this.hash.update(line + "\n");
      this.lines?.push(line);
    }
    this.count += this.pending.length;
    this.pending = [];
  }
}

/** JSON with `t` first and the other keys sorted: one event, one spelling. */
export function canonicalLine(event: TraceEvent): string {
  const keys = Object.keys(event)
    .filter((k) => k !== "t" && event[k] !== undefined)
    .sort();
  const parts = [`"t":${event.t}`];
  for (const k of keys) parts.push(`${JSON.stringify(k)}:${JSON.stringify(event[k])}`);
  return `{${parts.join(",")}}`;
}
