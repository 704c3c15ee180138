/**
 * Worker thread of the pubkey cache: derives the interop public keys of one index range and posts
 * them back as one transferable buffer of 48-byte keys.
 */
import {interopPubkeys} from "../../src/crypto/index.ts";
import {serveRangeChunks} from "../../src/util/rangeWorkers.ts";

serveRangeChunks(
  (chunk) => interopPubkeys(chunk.start, chunk.end),
  (keys) => [keys.buffer as ArrayBuffer]
);
