/**
 * The CaseContext of one case folder on disk. It remembers which files were read, so that the
 * run loop can fail a case under `--strict` when a file carrying an expectation was ignored.
 */
import {readdirSync, readFileSync} from "node:fs";
import {join} from "node:path";
import type {CaseContext} from "./types.ts";
import type {CaseRef} from "./discover.ts";
import {CaseFileError} from "./errors.ts";
import {uncompressSnappyBlock} from "./snappy.ts";
import {parseVectorYaml} from "./yaml.ts";
import {GnomonError} from "../../src/util/errors.ts";

export class FileCaseContext implements CaseContext {
  readonly dir: string;
  readonly preset: CaseRef["preset"];
  readonly fork: string;
  readonly runner: string;
  readonly handler: string;
  readonly suite: string;
  readonly name: string;
  private readonly fileNames: string[];
  private readonly read = new Set<string>();

  constructor(ref: CaseRef) {
    this.dir = ref.dir;
    this.preset = ref.preset;
    this.fork = ref.fork;
    this.runner = ref.runner;
    this.handler = ref.handler;
    this.suite = ref.suite;
    this.name = ref.name;
    try {
      this.fileNames = readdirSync(ref.dir, {withFileTypes: true})
        .filter((e) => !e.isDirectory())
        .map((e) => e.name)
        .sort();
    } catch (e) {
      throw new CaseFileError(`cannot list the case folder: ${(e as Error).message}`);
    }
  }

  files(): string[] {
    return [...this.fileNames];
  }

  has(file: string): boolean {
    return this.fileNames.includes(file);
  }

  readFile(file: string): Uint8Array {
    if (!this.has(file)) throw new CaseFileError(`missing file ${file}`);
    this.read.add(file);
    try {
      return readFileSync(join(this.dir, file));
    } catch (e) {
      throw new CaseFileError(`cannot read ${file}: ${(e as Error).message}`);
    }
  }

  readSsz(name: string): Uint8Array {
    const file = `${name}.ssz_snappy`;
    const compressed = this.readFile(file);
    try {
      return uncompressSnappyBlock(compressed);
    } catch (e) {
      if (e instanceof GnomonError) throw new CaseFileError(`${file}: corrupt snappy data: ${e.message}`);
      throw e;
    }
  }

  readYaml<T = unknown>(name: string): T {
    const file = `${name}.yaml`;
    const text = Buffer.from(this.readFile(file)).toString("utf8");
    return parseVectorYaml(text, file) as T;
  }

  /** Marking a file the case does not have is a no-op, so runners may mark optional files. */
  markRead(file: string): void {
    if (this.has(file)) this.read.add(file);
  }

  /** Files present in the folder that nobody read or marked. */
  unreadFiles(): string[] {
    return this.fileNames.filter((f) => !this.read.has(f));
  }
}
