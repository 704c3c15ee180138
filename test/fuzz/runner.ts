/**
 * Runs targets and collects findings, each with what it takes to replay it: the seed and
 * fast-check path of an in-process counterexample, the seed and index (and the case itself) of a
 * REST request.
 */
import fc from "fast-check";
import {sampleAt, seedAt, type InProcessTarget} from "./target.ts";
import {checkAnswer, type OracleOptions} from "./oracle.ts";
import {send} from "./rest/client.ts";
import {describeCase, restCase, type RestCase} from "./rest/requests.ts";

export interface Finding {
  target: string;
  violation: string;
  /** Replays it: `npm run fuzz -- --replay <this as JSON>` or, for REST, the case file. */
  replay: {target: string; seed: number; path?: string; index?: number};
  input: unknown;
}

/** `numRuns` inputs of `target` from `seed`; at most one finding (fast-check shrinks it first). */
export async function runInProcess(target: InProcessTarget, seed: number, numRuns: number, path?: string): Promise<Finding | null> {
  const r = await fc.check(
    fc.asyncProperty(target.arbitrary, async (input) => (await target.check(input)) === null),
    {seed, numRuns, path, endOnFailure: path !== undefined}
  );
  if (!r.failed || r.counterexample === null) {
    if (r.failed && r.errorInstance !== undefined) {
      return {target: target.name, violation: `threw: ${String(r.errorInstance)}`, replay: {target: target.name, seed, path: r.counterexamplePath ?? undefined}, input: null};
    }
    return null;
  }
  const input = r.counterexample[0];
  return {
    target: target.name,
    violation: (await target.check(input)) ?? "failed",
    replay: {target: target.name, seed, path: r.counterexamplePath ?? undefined},
    input: target.show(input),
  };
}

export interface RestRunOptions extends OracleOptions {
  url: string;
  seed: number;
  /** Requests to send (or until `until`). */
  count?: number;
  /** Stop sending at this time (performance.now() ms). */
  until?: number;
  /** Requests per second (default: one after another). */
  rate?: number;
  /** Per-request timeout: no answer by then is a finding (default 30 s). */
  timeoutMs?: number;
  onAnswer?(c: RestCase, status: number | null, ms: number): void;
}

export interface RestRunResult {
  sent: number;
  byStatus: Map<number, number>;
  errorBodies: number;
  findings: Finding[];
}

/** The `index`th REST case of a run seeded with `seed`. */
export const restCaseAt = (seed: number, index: number): RestCase => sampleAt(restCase, seed, index);

async function one(opts: RestRunOptions, index: number, result: RestRunResult): Promise<void> {
  const c = restCaseAt(opts.seed, index);
  let violation: string | null;
  let status: number | null = null;
  let ms = 0;
  try {
    const res = await send(opts.url, c, opts.timeoutMs ?? 30_000);
    status = res?.status ?? null;
    ms = res?.ms ?? 0;
    violation = checkAnswer(res, opts);
  } catch (e) {
    violation = (e as Error).message;
  }
  result.byStatus.set(status ?? 0, (result.byStatus.get(status ?? 0) ?? 0) + 1);
  if (status !== null && status >= 400) result.errorBodies++;
  opts.onAnswer?.(c, status, ms);
  if (violation !== null) {
    result.findings.push({target: "rest", violation: `${violation} <- ${describeCase(c)}`, replay: {target: "rest", seed: opts.seed, index}, input: c});
  }
}

export async function runRest(opts: RestRunOptions): Promise<RestRunResult> {
  const result: RestRunResult = {sent: 0, byStatus: new Map(), errorBodies: 0, findings: []};
  const pending = new Set<Promise<void>>();
  const started = performance.now();
  for (let i = 0; ; i++) {
    if (opts.count !== undefined && i >= opts.count) break;
    if (opts.until !== undefined && performance.now() >= opts.until) break;
    if (opts.rate !== undefined) {
      const due = started + (i * 1000) / opts.rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    const p = one(opts, i, result).finally(() => pending.delete(p));
    pending.add(p);
    result.sent++;
    if (opts.rate === undefined) await p;
  }
  await Promise.all(pending);
  return result;
}

/** Seeds for successive batches of an in-process target in a long run. */
export const batchSeed = seedAt;
