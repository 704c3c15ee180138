/**
 * The pure part of `gnomon bench soak`: reading the node's status lines, the slope of a series
 * after warm-up, and the chain checks (participation, finality lag at epoch boundaries).
 */
import {InputError} from "../../src/util/errors.ts";

/** What one status line of `gnomon dev` says (see src/node/statusLine.ts). */
export interface StatusLine {
  slot: number;
  epoch: number;
  headSlot: number;
  justifiedEpoch: number;
  finalizedEpoch: number;
  /** Previous epoch's target participation in [0, 1]; null in epoch 0. */
  participation: number | null;
}

const STATUS_RE =
  /^slot (\d+) epoch (\d+) \| head (\d+) \S+ \| justified (\d+) \S+ \| finalized (\d+) \S+ \| participation (-|\d+(?:\.\d+)?%) \| peers \d+$/;

export function parseStatusLine(msg: string): StatusLine | null {
  const m = STATUS_RE.exec(msg);
  if (m === null) return null;
  return {
    slot: Number(m[1]),
    epoch: Number(m[2]),
    headSlot: Number(m[3]),
    justifiedEpoch: Number(m[4]),
    finalizedEpoch: Number(m[5]),
    participation: m[6] === "-" ? null : Number(m[6].slice(0, -1)) / 100,
  };
}

/** One line of the node's JSON log (pino): its level, module and message. */
export interface LogRecord {
  level: number;
  module?: string;
  msg: string;
}

export function parseLogLine(line: string): LogRecord | null {
  if (!line.startsWith("{")) return null;
  try {
    const o = JSON.parse(line) as Record<string, unknown>;
    if (typeof o.level !== "number") return null;
    return {level: o.level, module: typeof o.module === "string" ? o.module : undefined, msg: typeof o.msg === "string" ? o.msg : ""};
  } catch {
    return null;
  }
}

/** "90" or "90s", "20m", "2h", "1h30m" to seconds. */
export function parseDuration(text: string, name: string): number {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  const re = /(\d+(?:\.\d+)?)(h|m|s)/gy;
  let total = 0;
  let end = 0;
  for (let m = re.exec(t); m !== null; m = re.exec(t)) {
    total += Number(m[1]) * (m[2] === "h" ? 3600 : m[2] === "m" ? 60 : 1);
    end = re.lastIndex;
  }
  if (end === 0 || end !== t.length) throw new InputError(`--${name} must be a duration such as 600, 90s, 20m or 1h30m, got "${text}"`);
  return total;
}

/** Least-squares slope of v over t (units of v per unit of t); null with fewer than 2 distinct t. */
export function linearSlope(points: ReadonlyArray<{t: number; v: number}>): number | null {
  const n = points.length;
  if (n < 2) return null;
  let st = 0;
  let sv = 0;
  for (const p of points) {
    st += p.t;
    sv += p.v;
  }
  const mt = st / n;
  const mv = sv / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mt) * (p.v - mv);
    den += (p.t - mt) ** 2;
  }
  return den === 0 ? null : num / den;
}

/** Percent of one core used between two cpuUsage readings (microseconds) over `wallMs`. */
export function cpuPercent(cpuMicrosBefore: number, cpuMicrosAfter: number, wallMs: number): number {
  if (!(wallMs > 0)) return 0;
  return ((cpuMicrosAfter - cpuMicrosBefore) / 1000 / wallMs) * 100;
}

/**
 * The chain checks of a soak run, fed every status line: the lowest participation seen, and at
 * every line from epoch `finalityFromEpoch` on, whether the finalized epoch is the current
 * epoch - 2 (what FFG reaches when every validator attests).
 */
export class ChainChecks {
  readonly finalityFromEpoch: number;
  lines = 0;
  last: StatusLine | null = null;
  minParticipation: number | null = null;
  /** Lines whose participation was below 100%. */
  partialLines = 0;
  boundariesChecked = 0;
  finalityLagged: StatusLine[] = [];
  /** Lines whose head was not the line's slot (a missed or late block). */
  headBehind = 0;
  private lastBoundaryEpoch = -1;

  constructor(finalityFromEpoch = 4) {
    this.finalityFromEpoch = finalityFromEpoch;
  }

  add(s: StatusLine): void {
    this.lines++;
    this.last = s;
    if (s.headSlot !== s.slot) this.headBehind++;
    if (s.participation !== null) {
      if (this.minParticipation === null || s.participation < this.minParticipation) this.minParticipation = s.participation;
      if (s.participation < 1) this.partialLines++;
    }
    // The first line of each epoch is its boundary (normally the epoch's first slot).
    if (s.epoch >= this.finalityFromEpoch && s.epoch > this.lastBoundaryEpoch) {
      this.lastBoundaryEpoch = s.epoch;
      this.boundariesChecked++;
      if (s.finalizedEpoch !== s.epoch - 2) this.finalityLagged.push(s);
    }
  }

  /** True when nothing was below 100% and every checked boundary had finalized = epoch - 2. */
  get ok(): boolean {
    return this.partialLines === 0 && this.finalityLagged.length === 0 && this.boundariesChecked > 0;
  }
}

export interface Sample {
  /** Seconds since the node started. */
  t: number;
  rssMiB: number;
  heapUsedMiB: number;
  /** RSS outside the resident V8 heap (native allocations, code, buffers, thread stacks). */
  outsideHeapMiB: number;
  /** V8 heap used after the last mark-compact before this sample, if one ran since the previous sample. */
  liveHeapMiB: number | null;
  /** process.cpuUsage() user + system, microseconds. */
  cpuMicros: number;
}

export interface SoakVerdict {
  warmupSeconds: number;
  samplesAfterWarmup: number;
  /** Least-squares slopes after warm-up, MiB per minute (null without enough points). */
  rssSlope: number | null;
  outsideHeapSlope: number | null;
  liveHeapSlope: number | null;
  liveHeapReadings: number;
  /**
   * outsideHeapSlope + liveHeapSlope: RSS growth without the swing of collectable garbage, which
   * V8 lets grow and shrink by tens of MiB between full collections.
   */
  growthSlope: number | null;
  rssAvg: number | null;
  rssMin: number | null;
  rssMax: number | null;
  rssFirst: number | null;
  rssLast: number | null;
  /** Average CPU % of one core after warm-up. */
  cpuAfterWarmup: number | null;
}

/** Slopes, averages and extremes over the samples taken at or after `warmupSeconds`. */
export function computeVerdict(samples: readonly Sample[], warmupSeconds: number): SoakVerdict {
  const after = samples.filter((s) => s.t >= warmupSeconds);
  const perMinute = (pts: {t: number; v: number}[]): number | null => {
    const slope = linearSlope(pts);
    return slope === null ? null : slope * 60;
  };
  const live = after.filter((s) => s.liveHeapMiB !== null).map((s) => ({t: s.t, v: s.liveHeapMiB as number}));
  const rssSlope = perMinute(after.map((s) => ({t: s.t, v: s.rssMiB})));
  const outsideHeapSlope = perMinute(after.map((s) => ({t: s.t, v: s.outsideHeapMiB})));
  const liveHeapSlope = perMinute(live);
  const rss = after.map((s) => s.rssMiB);
  const first = after[0];
  const last = after[after.length - 1];
  return {
    warmupSeconds,
    samplesAfterWarmup: after.length,
    rssSlope,
    outsideHeapSlope,
    liveHeapSlope,
    liveHeapReadings: live.length,
    growthSlope: outsideHeapSlope === null || liveHeapSlope === null ? null : outsideHeapSlope + liveHeapSlope,
    rssAvg: rss.length > 0 ? rss.reduce((a, b) => a + b, 0) / rss.length : null,
    rssMin: rss.length > 0 ? rss.reduce((a, b) => Math.min(a, b)) : null,
    rssMax: rss.length > 0 ? rss.reduce((a, b) => Math.max(a, b)) : null,
    rssFirst: first?.rssMiB ?? null,
    rssLast: last?.rssMiB ?? null,
    cpuAfterWarmup: after.length >= 2 ? cpuPercent(first.cpuMicros, last.cpuMicros, (last.t - first.t) * 1000) : null,
  };
}

export function formatElapsed(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  const mm = String(m).padStart(h > 0 ? 2 : 1, "0");
  return `${h > 0 ? `${h}:` : ""}${mm}:${String(r).padStart(2, "0")}`;
}
