/**
 * The in-process targets on a worker thread during `npm run fuzz`: decoding megabytes of SSZ
 * takes the CPU for a while, and on the main thread that would stall the REST client and count
 * as the node's slowness.
 */
import {parentPort, workerData} from "node:worker_threads";
import {inProcessTargets} from "./targets/index.ts";
import {batchSeed, runInProcess, type Finding} from "./runner.ts";

const {seed, until} = workerData as {seed: number; until: number};
const runs: Record<string, number> = {};
const findings: Finding[] = [];
const targets = inProcessTargets();
for (let batch = 0; Date.now() < until; batch++) {
  for (const t of targets) {
    const f = await runInProcess(t, batchSeed(seed, batch), 20);
    runs[t.name] = (runs[t.name] ?? 0) + 20;
    if (f !== null && findings.length < 100) findings.push(f);
  }
}
parentPort!.postMessage({runs, findings});
