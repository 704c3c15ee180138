/** File helpers for the CLI and tools (not for the node's database, which has its own batches). */
import {renameSync, rmSync, writeFileSync} from "node:fs";

/**
 * Writes `data` to a temporary file beside `path`, then renames it over `path`: a reader sees
 * the old file or the whole new one, never a part. On failure the temporary file is removed and
 * the error thrown on.
 */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, {force: true});
    throw e;
  }
}
