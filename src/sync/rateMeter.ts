/**
 * Blocks per second over a sliding window, for the status line. Samples are counts at times
 * from the caller's clock, so it runs on virtual time in tests.
 */
export class RateMeter {
  private readonly windowMs: number;
  private readonly samples: {at: number; count: number}[] = [];

  constructor(windowMs = 10_000) {
    this.windowMs = windowMs;
  }

  add(count: number, at: number): void {
    this.samples.push({at, count});
    this.prune(at);
  }

  /** Events per second in the window ending at `now` (0 with no sample in it). */
  perSecond(now: number): number {
    this.prune(now);
    if (this.samples.length === 0) return 0;
    let total = 0;
    for (const s of this.samples) total += s.count;
    // A window that began less than windowMs ago (sync just started) is measured from its first sample.
    const span = Math.max(1000, Math.min(this.windowMs, now - this.samples[0].at + 1000));
    return (total * 1000) / span;
  }

  private prune(now: number): void {
    while (this.samples.length > 0 && this.samples[0].at <= now - this.windowMs) this.samples.shift();
  }
}
