/**
 * How fast whole nodes run on the simulated network: N BeaconNodes with their validator clients
 * (real BLS) for E minimal epochs with link latency, jitter and loss, printing wall time,
 * simulated slots per second and the network's counters. `npm run bench:simnet` (defaults: 4
 * nodes, 64 validators, 100 epochs; NODES, VALIDATORS, EPOCHS override).
 */
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {runSimNodes} from "./simNodes.ts";

const nodes = Number(process.env.NODES ?? 4);
const validators = Number(process.env.VALIDATORS ?? 64);
const epochs = Number(process.env.EPOCHS ?? 100);
const dir = mkdtempSync(join(tmpdir(), "gnomon-simnet-bench-"));
try {
  const cpu0 = process.cpuUsage();
  const run = await runSimNodes({dir, seed: "bench", nodes, validators, epochs, latencyMs: 100, jitterMs: 50, loss: 0.01});
  const cpu = process.cpuUsage(cpu0);
  const slots = epochs * 8;
  console.log(
    JSON.stringify({
      nodes,
      validators,
      epochs,
      wallSeconds: +(run.wallMs / 1000).toFixed(1),
      cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(1),
      slotsPerSecond: +(slots / (run.wallMs / 1000)).toFixed(1),
      finalized: run.finalized,
      sameHead: new Set(run.heads).size === 1,
      traceEvents: run.events.length,
      network: run.stats,
    })
  );
} finally {
  rmSync(dir, {recursive: true, force: true});
}
