/** Entry point of a BLS worker thread (see blsPool.ts and the message parts in blsJob.ts). */
import {parentPort} from "node:worker_threads";
import {decodeSignaturesPart, verifyJob, type BlsJobResponse, type BlsPubkeysPart, type BlsSignaturesPart, type DecodedSignatures} from "./blsJob.ts";

if (parentPort !== null) {
  const port = parentPort;
  const waiting = new Map<number, DecodedSignatures>();
  port.on("message", (part: BlsSignaturesPart | BlsPubkeysPart) => {
    if (part.kind === "signatures") {
      waiting.set(part.id, decodeSignaturesPart(part));
      return;
    }
    const decoded = waiting.get(part.id);
    waiting.delete(part.id);
    const response: BlsJobResponse = {id: part.id, valid: decoded !== undefined && verifyJob(decoded, part.pubkeys)};
    port.postMessage(response);
  });
  port.postMessage("ready");
}
