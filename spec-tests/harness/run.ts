/**
 * The run loop: one case at a time through its runner, classified as passed, failed (with the
 * message) or skipped (with the reason). Nothing a case does (throwing, corrupt files, a runner
 * that fails to load) stops the run.
 */
import type {CaseRef} from "./discover.ts";
import {FileCaseContext} from "./context.ts";
import {checkManifest} from "./manifest.ts";
import {CaseFailure, SkipCase, type Runner, type RunnerLoader} from "./types.ts";
import {GnomonError} from "../../src/util/errors.ts";
import {CaseFileError, SnappyError, YamlError} from "./errors.ts";

export type CaseStatus = "passed" | "failed" | "skipped";

export interface CaseResult {
  ref: CaseRef;
  status: CaseStatus;
  /** Failure message or skip reason. */
  message?: string;
  /** The case failed because a vector file could not be read or parsed (bad input, not a disagreement). */
  badInput?: boolean;
  ms: number;
}

export interface RunOptions {
  /** Skipped cases fail, and so do cases with files the runner never read. */
  strict: boolean;
  /**
   * Keep cases of runners missing from the registry as skipped even when strict (for the mocha
   * suite while runners are still being written).
   */
  allowMissingRunners?: boolean;
}

type Loaded = {runner: Runner} | {missing: string} | {error: string};

/** Loads each runner once; a missing entry or a failing import is remembered, not thrown. */
export class RunnerSet {
  private readonly registry: Readonly<Record<string, RunnerLoader>>;
  private readonly loaded = new Map<string, Promise<Loaded>>();

  constructor(registry: Readonly<Record<string, RunnerLoader>>) {
    this.registry = registry;
  }

  has(name: string): boolean {
    return Object.hasOwn(this.registry, name);
  }

  get(name: string): Promise<Loaded> {
    let p = this.loaded.get(name);
    if (p === undefined) {
      p = this.load(name);
      this.loaded.set(name, p);
    }
    return p;
  }

  private async load(name: string): Promise<Loaded> {
    if (!this.has(name)) return {missing: `runner ${name} not implemented`};
    try {
      const runner = await this.registry[name]();
      if (runner?.name !== name) return {error: `runner module for ${name} exports a runner named "${String(runner?.name)}"`};
      return {runner};
    } catch (e) {
      return {error: `runner ${name} failed to load: ${describeError(e)}`};
    }
  }
}

export async function runCase(ref: CaseRef, runners: RunnerSet, opts: RunOptions): Promise<CaseResult> {
  const start = performance.now();
  const outcome = await classify(ref, runners, opts);
  return {ref, ...outcome, ms: performance.now() - start};
}

async function classify(ref: CaseRef, runners: RunnerSet, opts: RunOptions): Promise<Omit<CaseResult, "ref" | "ms">> {
  const loaded = await runners.get(ref.runner);
  if ("missing" in loaded) {
    return opts.strict && !opts.allowMissingRunners
      ? {status: "failed", message: `${loaded.missing} (--strict fails skipped cases)`}
      : {status: "skipped", message: loaded.missing};
  }
  if ("error" in loaded) return {status: "failed", message: loaded.error};
  try {
    const ctx = new FileCaseContext(ref);
    checkManifest(ctx);
    await loaded.runner.run(ctx);
    if (opts.strict) {
      const unread = ctx.unreadFiles();
      if (unread.length > 0) return {status: "failed", message: `unread file(s): ${unread.join(", ")}`};
    }
    return {status: "passed"};
  } catch (e) {
    if (e instanceof SkipCase) {
      return opts.strict
        ? {status: "failed", message: `${e.message} (--strict fails skipped cases)`}
        : {status: "skipped", message: e.message};
    }
    const badInput = e instanceof YamlError || e instanceof SnappyError || e instanceof CaseFileError;
    return {status: "failed", message: describeError(e), ...(badInput ? {badInput} : {})};
  }
}

/** Expected failures by their message; anything else also by its type and where it was thrown. */
export function describeError(e: unknown): string {
  if (e instanceof CaseFailure || e instanceof GnomonError) return e.message;
  if (e instanceof Error) {
    const at = e.stack?.split("\n").find((l) => l.trimStart().startsWith("at "));
    return `${e.name}: ${e.message}${at ? ` (${at.trim()})` : ""}`;
  }
  return `thrown non-error: ${String(e)}`;
}

/** Runs every case in order, reporting each result as it comes. */
export async function runCases(
  refs: readonly CaseRef[],
  runners: RunnerSet,
  opts: RunOptions,
  onResult?: (r: CaseResult) => void
): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const ref of refs) {
    const r = await runCase(ref, runners, opts);
    results.push(r);
    onResult?.(r);
  }
  return results;
}
