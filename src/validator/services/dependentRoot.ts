import {bytesEqual} from "../../util/bytes.ts";
import type {Fetched} from "./epochCache.ts";

/** Cached duties computed from another dependent root than the head's are stale. */
export function isStale(cached: Fetched<unknown> | null, headDependentRoot: Uint8Array): boolean {
  return cached !== null && cached.dependentRoot !== null && !bytesEqual(cached.dependentRoot, headDependentRoot);
}
