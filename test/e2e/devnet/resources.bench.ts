/**
 * RSS, CPU and p2p bytes per second of each node of `gnomon devnet --nodes 4 --validators 64`
 * (2-s slots), measured over `--seconds` (default 64, four epochs) once the chain is past epoch 2.
 * RSS and CPU come from /proc/<pid>; bytes are the sums of bytes_sent and bytes_received of each
 * node's TCP sockets (`ss -tinp`), the REST polling of this script excluded (it polls nothing).
 *
 *   npm run bench:devnet [-- --seconds 64]
 */
import {execFileSync} from "node:child_process";
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {parseArgs} from "node:util";
import {stopProcess} from "../helpers/processes.ts";
import {devnetNodes, genesisTime, nodeView, SLOTS_PER_EPOCH, untilSlot, startDevnet} from "./helpers.ts";

const SLOT_MS = 2000;
const TICKS = 100; // USER_HZ on Linux

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m === null ? 0 : Number(m[1]) / 1024;
}

/** Bytes sent + received so far on each pid's TCP sockets (p2p ports only). */
function socketBytes(pids: number[], p2pPorts: Set<number>): Map<number, number> {
  const out = new Map<number, number>(pids.map((p) => [p, 0]));
  const text = execFileSync("ss", ["-tinpH"], {encoding: "utf8", maxBuffer: 64 * 1024 * 1024});
  const lines = text.split("\n");
  for (let i = 0; i < lines.length - 1; i++) {
    const pid = /pid=(\d+)/.exec(lines[i]);
    if (pid === null || !out.has(Number(pid[1]))) continue;
    const ports = [...lines[i].matchAll(/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
    if (!ports.some((p) => p2pPorts.has(p))) continue;
    const info = lines[i + 1];
    const sent = Number(/bytes_sent:(\d+)/.exec(info)?.[1] ?? 0);
    const received = Number(/bytes_received:(\d+)/.exec(info)?.[1] ?? 0);
    out.set(Number(pid[1]), out.get(Number(pid[1]))! + sent + received);
  }
  return out;
}

async function main(): Promise<void> {
  const {values} = parseArgs({options: {seconds: {type: "string", default: "64"}}});
  const seconds = Number(values.seconds);
  const dir = mkdtempSync(join(tmpdir(), "gnomon-devnet-bench-"));
  const {devnet, p2pBase} = await startDevnet(dir, {nodes: 4, validators: 64, slotMs: SLOT_MS});
  try {
    const {nodes} = await devnetNodes(devnet, 4);
    const genesis = await genesisTime(nodes[0].url);
    await untilSlot(genesis, SLOT_MS, 2 * SLOTS_PER_EPOCH);
    const pids = nodes.map((n) => n.pid);
    const p2pPorts = new Set([0, 1, 2, 3].map((i) => p2pBase + i));
    const cpu0 = pids.map(cpuTicks);
    const bytes0 = socketBytes(pids, p2pPorts);
    const t0 = Date.now();
    const rssPeak = pids.map(() => 0);
    while (Date.now() - t0 < seconds * 1000) {
      pids.forEach((p, i) => (rssPeak[i] = Math.max(rssPeak[i], rssMiB(p))));
      await new Promise((r) => setTimeout(r, 1000));
    }
    pids.forEach((p, i) => (rssPeak[i] = Math.max(rssPeak[i], rssMiB(p))));
    const elapsed = (Date.now() - t0) / 1000;
    const bytes1 = socketBytes(pids, p2pPorts);
    const view = await nodeView(nodes[0].url);
    console.log(`4-node devnet, 64 validators, 2-s slots, measured ${elapsed.toFixed(0)} s from slot ${2 * SLOTS_PER_EPOCH} (head ${view.headSlot}, finalized epoch ${view.finalizedEpoch})`);
    console.log("node  RSS now MiB  RSS peak MiB  CPU %  p2p KiB/s (sent+received)");
    pids.forEach((p, i) => {
      const cpu = ((cpuTicks(p) - cpu0[i]) / TICKS / elapsed) * 100;
      const kibs = (bytes1.get(p)! - bytes0.get(p)!) / 1024 / elapsed;
      console.log(`${i}     ${rssMiB(p).toFixed(0).padStart(10)}  ${rssPeak[i].toFixed(0).padStart(12)}  ${cpu.toFixed(1).padStart(5)}  ${kibs.toFixed(1).padStart(9)}`);
    });
  } finally {
    await stopProcess(devnet, "SIGINT");
    rmSync(dir, {recursive: true, force: true});
  }
}

await main();
