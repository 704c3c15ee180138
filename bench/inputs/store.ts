/**
 * Built inputs on disk: SSZ files plus a JSON manifest holding the roots they must reproduce.
 * The manifest is written last, so a manifest means complete files; files are renamed into place,
 * so a reader never sees half a file. A loader re-hashes what it reads and compares the roots
 * with the manifest before trusting it.
 */
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {ensureCacheDir} from "./cacheDir.ts";
import {BenchInputError} from "./errors.ts";
import {writeFileAtomic} from "../../src/util/fs.ts";

/** Bump when the construction of any input changes: older cached files are then rebuilt. */
export const INPUT_FORMAT = 1;

export interface InputManifest {
  format: number;
  kind: "epoch" | "block";
  validators: number;
  slot: number;
  preStateRoot: string;
  blockRoot?: string;
  postStateRoot?: string;
}

export function inputPath(dir: string, name: string): string {
  return join(dir, name);
}

/** Writes a cache file whole or not at all. */
export function writeAtomic(path: string, data: Uint8Array | string): void {
  try {
    writeFileAtomic(path, data);
  } catch (e) {
    throw new BenchInputError("BENCH_CACHE_IO", `cannot write ${path}: ${(e as Error).message}`, {cause: e});
  }
}

/** Writes the SSZ files, then the manifest. */
export function storeInput(dir: string, manifestName: string, manifest: InputManifest, files: Record<string, Uint8Array>): void {
  ensureCacheDir(dir);
  for (const [name, bytes] of Object.entries(files)) writeAtomic(inputPath(dir, name), bytes);
  writeAtomic(inputPath(dir, manifestName), JSON.stringify(manifest, null, 2) + "\n");
}

/**
 * The manifest and files of a cached input, or null when any is missing, unreadable or of
 * another format or shape than `expect`.
 */
export function readStoredInput(
  dir: string,
  manifestName: string,
  expect: Pick<InputManifest, "kind" | "validators" | "slot">,
  fileNames: string[]
): {manifest: InputManifest; files: Record<string, Uint8Array>} | null {
  let manifest: InputManifest;
  try {
    manifest = JSON.parse(readFileSync(inputPath(dir, manifestName), "utf8")) as InputManifest;
  } catch {
    return null;
  }
  if (
    manifest === null ||
    typeof manifest !== "object" ||
    manifest.format !== INPUT_FORMAT ||
    manifest.kind !== expect.kind ||
    manifest.validators !== expect.validators ||
    manifest.slot !== expect.slot ||
    typeof manifest.preStateRoot !== "string"
  ) {
    return null;
  }
  const files: Record<string, Uint8Array> = {};
  for (const name of fileNames) {
    try {
      const buf = readFileSync(inputPath(dir, name));
      files[name] = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    } catch {
      return null;
    }
  }
  return {manifest, files};
}
