/**
 * Preloaded (`node --import`) into the node a soak run watches: answers each "sample" message on
 * the IPC channel with the process's own memory and CPU figures, and the V8 heap left after the
 * latest full (mark-compact) collection since the previous sample: the live heap, which RSS hides
 * behind the garbage V8 lets pile up between collections. The channel is unreferenced, so the
 * node exits when its own work is done, as it would without the probe.
 */
import {getHeapStatistics, GCProfiler} from "node:v8";

export interface ProbeReading {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  /** Resident part of the V8 heap: RSS minus this is the memory outside the JS heap. */
  heapPhysical: number;
  external: number;
  arrayBuffers: number;
  /** process.cpuUsage(): every thread of the process, microseconds. */
  cpuUser: number;
  cpuSystem: number;
  /** Peak RSS so far, bytes. */
  maxRss: number;
  /** Heap used after the last mark-compact since the previous reading, or null if none ran. */
  liveHeap: number | null;
  /** Mark-compacts since start. */
  majorGcs: number;
}

let profiler: GCProfiler | null = null;
let majorGcs = 0;

/** Heap used after the last mark-compact since the previous call (starts the profiler on first use). */
function takeLiveHeap(): number | null {
  if (profiler === null) {
    profiler = new GCProfiler();
    profiler.start();
    return null;
  }
  const stats = profiler.stop()?.statistics ?? [];
  profiler.start();
  let live: number | null = null;
  for (const s of stats) {
    if (s.gcType !== "MarkSweepCompact") continue;
    majorGcs++;
    live = s.afterGC.heapStatistics.usedHeapSize;
  }
  return live;
}

export function readProbe(): ProbeReading {
  const liveHeap = takeLiveHeap();
  const m = process.memoryUsage();
  const cpu = process.cpuUsage();
  return {
    rss: m.rss,
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    heapPhysical: getHeapStatistics().total_physical_size,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    cpuUser: cpu.user,
    cpuSystem: cpu.system,
    maxRss: process.resourceUsage().maxRSS * 1024,
    liveHeap,
    majorGcs,
  };
}

if (process.send !== undefined && process.channel !== undefined) {
  takeLiveHeap();
  process.on("message", (m) => {
    if (m === "sample") process.send?.({probe: readProbe()});
  });
  process.channel.unref();
}
