/**
 * Where `slashing-protection export|import` find the database: the client's `<data-dir>/
 * slashing-protection`, or `gnomon dev`'s `<data-dir>/validator/slashing-protection` when given
 * the dev data dir, or (with the default data dir) the default dev one. Nothing is created by
 * looking: a mistyped path is an error naming every place looked at, not a new empty database.
 */
import {existsSync, statSync} from "node:fs";
import {join} from "node:path";
import {InputError} from "../util/errors.ts";
import {slashingProtectionPath} from "./client.ts";

const DEFAULT_DEV_DATA_DIR = join("data", "dev");

export function locateSlashingProtection(dataDir: string, opts: {isDefaultDataDir: boolean; forImport: boolean}): string {
  const candidates = [slashingProtectionPath(dataDir), slashingProtectionPath(join(dataDir, "validator"))];
  if (opts.isDefaultDataDir) candidates.push(slashingProtectionPath(join(DEFAULT_DEV_DATA_DIR, "validator")));
  const found = candidates.find((p) => existsSync(p));
  if (found !== undefined) return found;
  // An import may start a client's history, but only inside a data dir that exists.
  if (opts.forImport && isDirectory(dataDir)) return candidates[0];
  const where = candidates.join(", ");
  if (opts.forImport) {
    throw new InputError(`the data dir ${dataDir} does not exist (looked for a slashing-protection database in ${where}); create it or give the right --data-dir`);
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
