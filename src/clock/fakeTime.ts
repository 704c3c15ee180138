import type {TimeSource} from "./timeSource.ts";

/**
 * A manually advanced TimeSource: `advance(ms)` runs every timer that falls due, in time order
 * (timers due at the same instant in the order they were set), so a run is deterministic.
 */
export class FakeTime implements TimeSource {
  private t: number;
  private seq = 0;
  private timers = new Map<number, {at: number; fn: () => void}>();

  constructor(startMs: number) {
    this.t = startMs;
  }

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, {at: this.t + Math.max(0, ms), fn});
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Timers set and not yet fired or cleared. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** When the earliest pending timer falls due; null when none is pending. */
  nextTimerAt(): number | null {
    const next = this.earliest(Infinity);
    return next === null ? null : this.timers.get(next)!.at;
  }

  advance(ms: number): void {
    const end = this.t + ms;
    while (this.fireNext(end));
    this.t = end;
  }

  advanceTo(ms: number): void {
    this.advance(Math.max(0, ms - this.t));
  }

  /**
   * Moves to `endMs` one timer at a time, awaiting `settle` before each: the work a timer started
   * (requests over real sockets, imports, signatures) finishes before time moves on, as it would
   * within a slot of wall time. `settle` resolving means "nothing left to do until a timer fires".
   */
  async runUntil(endMs: number, settle: () => Promise<void>): Promise<void> {
    for (;;) {
      await settle();
      if (!this.fireNext(endMs)) break;
    }
    if (endMs > this.t) this.t = endMs;
  }

  /** Fires the earliest timer due by `end`; false when none is. */
  private fireNext(end: number): boolean {
    const id = this.earliest(end);
    if (id === null) return false;
    const tm = this.timers.get(id)!;
    this.timers.delete(id);
    this.t = Math.max(this.t, tm.at);
    tm.fn();
    return true;
  }

  private earliest(end: number): number | null {
    let nextId: number | null = null;
    let nextAt = Infinity;
    for (const [id, tm] of this.timers) {
      // Ids grow with setting order, so the first found at an instant is the earliest set.
      if (tm.at <= end && tm.at < nextAt) {
        nextAt = tm.at;
        nextId = id;
      }
    }
    return nextId;
  }
}
