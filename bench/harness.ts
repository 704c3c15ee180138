/**
 * Shared benchmark helper for `gnomon bench <name>`: runs a function a few times after warm-up
 * and reports median/min/max wall time and the process's peak RSS. Medians, because the
 * development machines are shared and single runs are noisy.
 */
import {performance} from "node:perf_hooks";

export interface BenchOptions {
  /** Measured runs (>= 1). */
  runs: number;
  /** Unmeasured runs first, so the JIT has compiled the hot code. */
  warmup?: number;
  /** Called before every run (warm-up included), outside the timed region. */
  beforeEach?: () => void;
}

export interface BenchResult {
  name: string;
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Extra figures a benchmark wants to report (per-call times, sizes...). */
  extra?: Record<string, number | string>;
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Times `fn` `runs` times after `warmup` unmeasured calls. */
export async function bench(name: string, fn: () => unknown, opts: BenchOptions): Promise<BenchResult> {
  const runs = Math.max(1, Math.floor(opts.runs));
  const warmup = Math.max(0, Math.floor(opts.warmup ?? 1));
  for (let i = 0; i < warmup; i++) {
    opts.beforeEach?.();
    await fn();
  }
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    opts.beforeEach?.();
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return {name, runs, medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times)};
}

/** A result from times measured by the benchmark itself. */
export function resultOf(name: string, times: number[], extra?: Record<string, number | string>): BenchResult {
  return {name, runs: times.length, medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times), extra};
}

/** Peak resident set size of this process so far, in MiB. */
export function peakRssMiB(): number {
  // resourceUsage().maxRSS is in KiB.
  return process.resourceUsage().maxRSS / 1024;
}

function fmt(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(4);
}

/**
 * Prints a table of results, then (with `json`) one JSON line last, so that scripts can take
 * the final line of stdout.
 */
export function report(title: string, results: BenchResult[], json: boolean, meta: Record<string, unknown> = {}): void {
  const rss = peakRssMiB();
  console.log(title);
  const w = Math.max(...results.map((r) => r.name.length), 4);
  console.log(`  ${"case".padEnd(w)}  ${"median ms".padStart(10)}  ${"min ms".padStart(10)}  ${"max ms".padStart(10)}  runs`);
  for (const r of results) {
    console.log(`  ${r.name.padEnd(w)}  ${fmt(r.medianMs).padStart(10)}  ${fmt(r.minMs).padStart(10)}  ${fmt(r.maxMs).padStart(10)}  ${r.runs}`);
    for (const [k, v] of Object.entries(r.extra ?? {})) console.log(`  ${"".padEnd(w)}    ${k}: ${typeof v === "number" ? fmt(v) : v}`);
  }
  console.log(`  peak RSS: ${rss.toFixed(0)} MiB`);
  if (json) console.log(JSON.stringify({bench: title, ...meta, results, peakRssMiB: Math.round(rss)}));
}
