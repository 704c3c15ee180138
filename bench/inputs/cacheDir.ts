/**
 * Where built inputs are kept between runs: bench/.cache/ (gitignored), or GNOMON_BENCH_CACHE.
 */
import {mkdirSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {BenchInputError} from "./errors.ts";

export function defaultCacheDir(): string {
  const fromEnv = process.env.GNOMON_BENCH_CACHE;
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  return fileURLToPath(new URL("../.cache/", import.meta.url));
}

export function ensureCacheDir(dir: string): string {
  try {
    mkdirSync(dir, {recursive: true});
  } catch (e) {
    throw new BenchInputError("BENCH_CACHE_IO", `cannot create the cache directory ${dir}: ${(e as Error).message}`, {cause: e});
  }
  return dir;
}
