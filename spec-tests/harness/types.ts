/**
 * The contract between the spec-test harness (walks vectors, reports) and the runners (one per
 * `<runner>` folder of the official layout). A runner gets one case at a time and throws on
 * failure; it reads its files only through the CaseContext, so that `--strict` can tell which
 * files of a case were never looked at.
 */
import type {PresetName} from "../../src/params/index.ts";

export interface CaseContext {
  /** Absolute path of the case folder. */
  readonly dir: string;
  readonly preset: PresetName | "general";
  readonly fork: string;
  readonly runner: string;
  readonly handler: string;
  readonly suite: string;
  readonly name: string;
  /** Every file name in the case folder. */
  files(): string[];
  /** True if `file` (full file name, e.g. "post.ssz_snappy") exists. Does not mark it read. */
  has(file: string): boolean;
  /** Decompressed SSZ bytes of `<name>.ssz_snappy` (snappy block format); marks it read. */
  readSsz(name: string): Uint8Array;
  /** Parsed `<name>.yaml` (integers as bigint, hex strings as strings); marks it read. */
  readYaml<T = unknown>(name: string): T;
  /** Raw bytes of a file; marks it read. */
  readFile(file: string): Uint8Array;
  /** Marks a file as consumed without reading it (only for files that carry no expectation). */
  markRead(file: string): void;
}

/** Thrown by a runner for a case it cannot run; reported as skipped with the reason. */
export class SkipCase extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "SkipCase";
  }
}

/** Thrown by a runner when the case disagrees with Gnomon; reported as failed with the message. */
export class CaseFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CaseFailure";
  }
}

export interface Runner {
  /** The `<runner>` folder name, e.g. "operations". */
  readonly name: string;
  /** Runs one case; throws CaseFailure (or any error) on failure, SkipCase to skip. */
  run(ctx: CaseContext): void | Promise<void>;
}

/** Imports a runner module on first use (see spec-tests/runners/index.ts). */
export type RunnerLoader = () => Promise<Runner>;
