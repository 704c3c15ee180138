/**
 * What a replay prints: progress while running, then a table per runner/handler, every failed or
 * skipped case with its reason, and the final line `spec-tests: N passed, M failed, K skipped`.
 */
import {caseId} from "./discover.ts";
import type {CaseResult} from "./run.ts";

export interface Tally {
  passed: number;
  failed: number;
  skipped: number;
  ms: number;
}

export function tally(results: readonly CaseResult[]): Tally {
  const t: Tally = {passed: 0, failed: 0, skipped: 0, ms: 0};
  for (const r of results) {
    t[r.status]++;
    t.ms += r.ms;
  }
  return t;
}

export function summaryLine(results: readonly CaseResult[]): string {
  const t = tally(results);
  return `spec-tests: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`;
}

/** One row per preset/runner/handler, in run order, and a total row. */
export function formatTable(results: readonly CaseResult[]): string[] {
  const groups = new Map<string, CaseResult[]>();
  for (const r of results) {
    const key = `${r.ref.preset}\0${r.ref.runner}\0${r.ref.handler}`;
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = []));
    g.push(r);
  }
  const header = ["preset", "runner", "handler", "passed", "failed", "skipped", "time"];
  const rows = [...groups.entries()].map(([key, rs]) => {
    const t = tally(rs);
    return [...key.split("\0"), String(t.passed), String(t.failed), String(t.skipped), seconds(t.ms)];
  });
  const total = tally(results);
  rows.push(["total", "", "", String(total.passed), String(total.failed), String(total.skipped), seconds(total.ms)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  // Names left-aligned, numbers right-aligned.
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd();
  return [line(header), ...rows.slice(0, -1).map(line), line(rows[rows.length - 1])];
}

/** Every failed case, then every skipped case, with its message. */
export function formatProblems(results: readonly CaseResult[]): string[] {
  const lines: string[] = [];
  for (const status of ["failed", "skipped"] as const) {
    for (const r of results) {
      if (r.status === status) lines.push(`${status.toUpperCase()} ${caseId(r.ref)}: ${r.message ?? ""}`);
    }
  }
  return lines;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

/**
 * On a TTY, one line rewritten in place; otherwise a plain line every `intervalMs`, so that logs
 * of CI runs show the run is alive without one line per case.
 */
export class Progress {
  private readonly total: number;
  private readonly stream: ProgressStream;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private done = 0;
  private failed = 0;
  private lastPrint: number;
  private lineShown = false;

  constructor(total: number, stream: ProgressStream, opts: {intervalMs?: number; now?: () => number} = {}) {
    this.total = total;
    this.stream = stream;
    this.now = opts.now ?? (() => performance.now());
    this.intervalMs = opts.intervalMs ?? (stream.isTTY ? 100 : 5000);
    this.lastPrint = this.now();
  }

  update(r: CaseResult): void {
    this.done++;
    if (r.status === "failed") this.failed++;
    const t = this.now();
    if (t - this.lastPrint < this.intervalMs && this.done < this.total) return;
    this.lastPrint = t;
    const text = `spec-tests: ${this.done}/${this.total} cases, ${this.failed} failed (${r.ref.runner}/${r.ref.handler})`;
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[2K${text}`);
      this.lineShown = true;
    } else if (this.done < this.total) {
      this.stream.write(`${text}\n`);
    }
  }

  /** Clears the in-place line so the report starts on a clean line. */
  finish(): void {
    if (this.lineShown) this.stream.write("\r\x1b[2K");
    this.lineShown = false;
  }
}
