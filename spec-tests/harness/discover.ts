/**
 * Finds the cases of the official layout:
 * `tests/<preset>/<fork>/<runner>/<handler>/<suite>/<case>/` plus `tests/general/<fork>/...`
 * (preset-independent vectors such as bls and ssz_generic, run under either preset).
 */
import {readdirSync, statSync} from "node:fs";
import {basename, join, resolve} from "node:path";
import type {PresetName} from "../../src/params/index.ts";
import {InputError} from "../../src/util/errors.ts";

export interface CaseRef {
  preset: PresetName | "general";
  fork: string;
  runner: string;
  handler: string;
  suite: string;
  name: string;
  /** Absolute path of the case folder. */
  dir: string;
}

export interface CaseFilter {
  preset: PresetName;
  fork: string;
  /** Exact runner names; all when absent. */
  runners?: readonly string[];
  /** Exact handler names; all when absent. */
  handlers?: readonly string[];
  /** Substring of `<runner>/<handler>/<suite>/<case>`. */
  caseSubstring?: string;
}

/**
 * The `tests/` folder for `dir`, which may be the vectors' repository root (the folder holding
 * `tests/`) or `tests/` itself.
 */
export function resolveTestsRoot(dir: string): string {
  const abs = resolve(dir);
  if (!isDir(abs)) throw new InputError(`vectors directory ${dir} does not exist or is not a directory`);
  if (isDir(join(abs, "tests"))) return join(abs, "tests");
  if (basename(abs) === "tests" || ["general", "minimal", "mainnet"].some((p) => isDir(join(abs, p)))) return abs;
  throw new InputError(`${dir} holds no tests/ folder of spec-test vectors (expected tests/<preset>/<fork>/...)`);
}

/** The repository root of the vectors (where `presets/` may live), given the `tests/` folder. */
export function vectorsRootOf(testsRoot: string): string {
  return resolve(testsRoot, "..");
}

/** Runner folder names present for the preset and fork (including general). */
export function listRunners(testsRoot: string, preset: PresetName, fork: string): string[] {
  const names = new Set<string>();
  for (const p of [preset, "general"]) for (const r of subdirs(join(testsRoot, p, fork))) names.add(r);
  return [...names].sort();
}

/** Every case matching the filter, in a stable order (general first, then by path). */
export function discoverCases(testsRoot: string, filter: CaseFilter): CaseRef[] {
  const out: CaseRef[] = [];
  const runnerSet = filter.runners ? new Set(filter.runners) : undefined;
  const handlerSet = filter.handlers ? new Set(filter.handlers) : undefined;
  for (const preset of ["general", filter.preset] as const) {
    const forkDir = join(testsRoot, preset, filter.fork);
    for (const runner of subdirs(forkDir)) {
      if (runnerSet && !runnerSet.has(runner)) continue;
      for (const handler of subdirs(join(forkDir, runner))) {
        if (handlerSet && !handlerSet.has(handler)) continue;
        for (const suite of subdirs(join(forkDir, runner, handler))) {
          for (const name of subdirs(join(forkDir, runner, handler, suite))) {
            if (filter.caseSubstring && !`${runner}/${handler}/${suite}/${name}`.includes(filter.caseSubstring)) continue;
            const dir = join(forkDir, runner, handler, suite, name);
            out.push({preset, fork: filter.fork, runner, handler, suite, name, dir});
          }
        }
      }
    }
  }
  return out;
}

/** `<preset>/<fork>/<runner>/<handler>/<suite>/<case>`, the id used in reports. */
export function caseId(c: CaseRef): string {
  return `${c.preset}/${c.fork}/${c.runner}/${c.handler}/${c.suite}/${c.name}`;
}

/** Sorted names of the sub-folders (symlinks followed); files and a missing folder yield none. */
function subdirs(dir: string): string[] {
  if (!isDir(dir)) return [];
  return readdirSync(dir, {withFileTypes: true})
    .filter((e) => e.isDirectory() || (e.isSymbolicLink() && isDir(join(dir, e.name))))
    .map((e) => e.name)
    .sort();
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
