/** Builds small vector trees in the official layout in a temp dir, for the harness tests. */
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {createRequire} from "node:module";
import {tmpdir} from "node:os";
import {join} from "node:path";

const snappyjs = createRequire(import.meta.url)("snappyjs") as {compress(b: Uint8Array): Uint8Array};

export interface CaseSpec {
  preset: string;
  fork?: string;
  runner: string;
  handler: string;
  suite: string;
  name: string;
  /** File name -> contents; `*.ssz_snappy` values are raw SSZ bytes, compressed on write. */
  files: Record<string, string | Uint8Array>;
  /** Manifest fields to override (to make it disagree with the path); false omits the manifest. */
  manifest?: Record<string, string> | false;
}

export class VectorTree {
  readonly root: string;

  constructor() {
    this.root = mkdtempSync(join(tmpdir(), "gnomon-spec-harness-"));
  }

  get testsDir(): string {
    return join(this.root, "tests");
  }

  addCase(c: CaseSpec): string {
    const fork = c.fork ?? "phase0";
    const dir = join(this.testsDir, c.preset, fork, c.runner, c.handler, c.suite, c.name);
    mkdirSync(dir, {recursive: true});
    if (c.manifest !== false) {
      const m = {preset: c.preset, fork, runner: c.runner, handler: c.handler, suite: c.suite, case: c.name, ...c.manifest};
      writeFileSync(join(dir, "manifest.yaml"), Object.entries(m).map(([k, v]) => `${k}: '${v}'\n`).join(""));
    }
    for (const [file, content] of Object.entries(c.files)) {
      const data = file.endsWith(".ssz_snappy") && typeof content !== "string" ? snappyjs.compress(content) : content;
      writeFileSync(join(dir, file), data);
    }
    return dir;
  }

  write(relPath: string, content: string | Uint8Array): void {
    const path = join(this.root, relPath);
    mkdirSync(join(path, ".."), {recursive: true});
    writeFileSync(path, content);
  }

  remove(): void {
    rmSync(this.root, {recursive: true, force: true});
  }
}

/** A valid ssz_generic uints case for a uint16 value. */
export function uint16Case(name: string, value: number, overrides: Partial<CaseSpec> = {}): CaseSpec {
  const bytes = new Uint8Array([value & 0xff, value >> 8]);
  const root = "0x" + Buffer.from(bytes).toString("hex").padEnd(64, "0");
  return {
    preset: "general",
    runner: "ssz_generic",
    handler: "uints",
    suite: "valid",
    name,
    files: {"serialized.ssz_snappy": bytes, "value.yaml": `${value}\n`, "meta.yaml": `root: '${root}'\n`},
    ...overrides,
  };
}
