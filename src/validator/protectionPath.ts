/**
 * Where `slashing-protection export|import` find the database: the client's `<data-dir>/
 * slashing-protection`, or `gnomon dev`'s `<data-dir>/validator/slashing-protection` when given
 * the dev data dir, or (with the default data dir) the default dev one. Export creates nothing: a
 * mistyped path is an error naming every place looked at, not a new empty database. Import may
 * start a new client's history, in a data dir whose parent folder exists (no folder chains).
 */
import {existsSync, statSync} from "node:fs";
import {dirname, join} from "node:path";
import {InputError} from "../util/errors.ts";
import {slashingProtectionPath} from "./client.ts";

const DEFAULT_DEV_DATA_DIR = join("data", "dev");

export function locateSlashingProtection(dataDir: string, opts: {isDefaultDataDir: boolean; forImport: boolean}): string {
  const candidates = [slashingProtectionPath(dataDir), slashingProtectionPath(join(dataDir, "validator"))];
  if (opts.isDefaultDataDir) candidates.push(slashingProtectionPath(join(DEFAULT_DEV_DATA_DIR, "validator")));
  const found = candidates.find((p) => existsSync(p));
  if (found !== undefined) return found;
  if (opts.forImport && isDirectory(dirname(dataDir))) return candidates[0];
  const where = candidates.join(", ");
  if (opts.forImport) {
    throw new InputError(`neither ${dataDir} nor its parent folder exists (looked for a slashing-protection database in ${where}); give the right --data-dir`);
  }
  throw new InputError(`no slashing-protection database found (looked in ${where}); give the --data-dir of gnomon validator or gnomon dev`);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
