/**
 * Worker thread of the pubkey cache: derives the interop public keys of one index range and posts
 * them back as one transferable buffer of 48-byte keys.
 */
import {parentPort} from "node:worker_threads";
import {interopPubkey, PUBKEY_LENGTH} from "../../src/crypto/index.ts";

export interface PubkeyJob {
  start: number;
  end: number;
}

export interface PubkeyResult {
  start: number;
  keys: Uint8Array;
}

if (parentPort !== null) {
  const port = parentPort;
  port.on("message", (job: PubkeyJob) => {
    const keys = new Uint8Array((job.end - job.start) * PUBKEY_LENGTH);
    for (let i = job.start; i < job.end; i++) keys.set(interopPubkey(i), (i - job.start) * PUBKEY_LENGTH);
    const result: PubkeyResult = {start: job.start, keys};
    port.postMessage(result, [keys.buffer]);
  });
}
