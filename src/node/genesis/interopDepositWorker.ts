/** Entry point of an interop deposit signing thread (see interopSigning.ts). */
import {parentPort, workerData} from "node:worker_threads";
import type {DepositData} from "../../types/index.ts";
import {interopDepositData, type InteropDepositParams} from "./interopDepositData.ts";
import type {SigningJob, SigningResult} from "./interopSigning.ts";

if (parentPort !== null) {
  const port = parentPort;
  const params = workerData as InteropDepositParams;
  port.on("message", (job: SigningJob) => {
    const data: DepositData[] = [];
    for (let i = job.start; i < job.end; i++) data.push(interopDepositData(i, params));
    const result: SigningResult = {start: job.start, data};
    port.postMessage(result);
  });
}
