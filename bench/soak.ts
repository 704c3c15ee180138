/**
 * `gnomon bench soak` (`npm run soak`): runs `gnomon dev` as a child process in a temp dir for a
 * given time and watches its resources and its chain. The child's RSS, heap and CPU come from
 * the process itself (a preloaded probe answering over IPC); slot, head, finality and
 * participation from the node's status lines. Ends with the RSS slope after warm-up.
 */
import {spawn, type ChildProcess} from "node:child_process";
import {createWriteStream, mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {createInterface} from "node:readline";
import {fileURLToPath, pathToFileURL} from "node:url";
import type {Command, ParsedOptions} from "../src/cli/command.ts";
import {intOption} from "../src/cli/command.ts";
import {isPresetName} from "../src/params/index.ts";
import {InputError} from "../src/util/errors.ts";
import {
  ChainChecks,
  computeVerdict,
  cpuPercent,
  formatElapsed,
  parseDuration,
  parseLogLine,
  parseStatusLine,
  type Sample,
  type StatusLine,
} from "./soak/analysis.ts";
import type {ProbeReading} from "./soak/probe.ts";

const GNOMON_BIN = fileURLToPath(new URL("../bin/gnomon.ts", import.meta.url));
const PROBE = pathToFileURL(fileURLToPath(new URL("./soak/probe.ts", import.meta.url))).href;
const MiB = 1024 * 1024;
/** Minutes at which the summary quotes RSS (those within the run). */
const RSS_MARKS_MINUTES = [2, 5, 10, 20, 30, 60, 120, 240, 480, 1440];
/** How long the node may take to stop after SIGINT before it is killed. */
const STOP_TIMEOUT_MS = 60_000;

interface SoakOptions {
  durationSeconds: number;
  validators: number;
  secondsPerSlot: number;
  preset: string;
  sampleSeconds: number;
  printSeconds: number;
  warmupSeconds: number;
  dataDir: string | undefined;
  keepData: boolean;
  maxGrowthPerHour: number | undefined;
  json: boolean;
}

function readOptions(opts: ParsedOptions): SoakOptions {
  const durationSeconds = parseDuration(String(opts.duration), "duration");
  if (!(durationSeconds >= 10)) throw new InputError("--duration must be at least 10 seconds");
  const preset = String(opts.preset);
  if (!isPresetName(preset)) throw new InputError(`--preset must be mainnet or minimal, got "${preset}"`);
  const sampleSeconds = parseDuration(String(opts["sample-every"]), "sample-every");
  const printSeconds = parseDuration(String(opts["print-every"]), "print-every");
  if (!(sampleSeconds >= 1)) throw new InputError("--sample-every must be at least 1 second");
  if (!(printSeconds >= sampleSeconds)) throw new InputError("--print-every must not be shorter than --sample-every");
  const warmupSeconds = opts.warmup === undefined ? Math.min(300, durationSeconds / 2) : parseDuration(String(opts.warmup), "warmup");
  if (!(warmupSeconds < durationSeconds)) throw new InputError("--warmup must be shorter than --duration");
  let maxGrowthPerHour: number | undefined;
  if (opts["max-growth"] !== undefined) {
    maxGrowthPerHour = Number(opts["max-growth"]);
    if (!Number.isFinite(maxGrowthPerHour)) throw new InputError(`--max-growth must be a number (MiB per hour), got "${String(opts["max-growth"])}"`);
  }
  return {
    durationSeconds,
    validators: intOption(opts, "validators", 1, 2 ** 22)!,
    secondsPerSlot: intOption(opts, "seconds-per-slot", 1, 3600)!,
    preset,
    sampleSeconds,
    printSeconds,
    warmupSeconds,
    dataDir: typeof opts["data-dir"] === "string" ? opts["data-dir"] : undefined,
    keepData: opts["keep-data"] === true,
    maxGrowthPerHour,
    json: opts.json === true,
  };
}

/** What the run saw of the node's log. */
class LogWatch {
  readonly checks = new ChainChecks();
  errors = 0;
  warnings = 0;
  readonly lastErrors: string[] = [];
  readonly tail: string[] = [];

  line(text: string): void {
    this.tail.push(text);
    if (this.tail.length > 40) this.tail.shift();
    const rec = parseLogLine(text);
    if (rec === null) return;
    if (rec.module === "status") {
      const s = parseStatusLine(rec.msg);
      if (s !== null) this.checks.add(s);
    }
    if (rec.level >= 50) {
      this.errors++;
      this.lastErrors.push(text.length > 400 ? `${text.slice(0, 400)}…` : text);
      if (this.lastErrors.length > 5) this.lastErrors.shift();
    } else if (rec.level >= 40) this.warnings++;
  }
}

function toSample(t: number, p: ProbeReading): Sample {
  return {
    t,
    rssMiB: p.rss / MiB,
    heapUsedMiB: p.heapUsed / MiB,
    outsideHeapMiB: (p.rss - p.heapPhysical) / MiB,
    liveHeapMiB: p.liveHeap === null ? null : p.liveHeap / MiB,
    cpuMicros: p.cpuUser + p.cpuSystem,
  };
}

function pct(x: number | null): string {
  return x === null ? "-" : `${(x * 100).toFixed(1)}%`;
}

function signed(x: number | null, digits: number): string {
  if (x === null) return "n/a";
  return `${x >= 0 ? "+" : ""}${x.toFixed(digits)}`;
}

const ROW_HEADER = `${"elapsed".padStart(8)} ${"RSS MiB".padStart(8)} ${"heap MiB".padStart(8)} ${"CPU %".padStart(6)} ${"slot".padStart(6)} ${"head".padStart(6)} ${"final".padStart(5)} ${"partic.".padStart(7)} ${"errors".padStart(6)}`;

function formatRow(s: Sample, cpu: number, status: StatusLine | null, errors: number): string {
  return (
    `${formatElapsed(s.t).padStart(8)} ${s.rssMiB.toFixed(1).padStart(8)} ${s.heapUsedMiB.toFixed(1).padStart(8)} ${cpu.toFixed(1).padStart(6)} ` +
    `${String(status?.slot ?? "-").padStart(6)} ${String(status?.headSlot ?? "-").padStart(6)} ${String(status?.finalizedEpoch ?? "-").padStart(5)} ` +
    `${pct(status?.participation ?? null).padStart(7)} ${String(errors).padStart(6)}`
  );
}

function sampleNear(samples: readonly Sample[], t: number): Sample | undefined {
  let best: Sample | undefined;
  for (const s of samples) if (best === undefined || Math.abs(s.t - t) < Math.abs(best.t - t)) best = s;
  return best;
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    child.once("exit", () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

async function run(opts: ParsedOptions): Promise<number> {
  const o = readOptions(opts);
  const dir = o.dataDir ?? mkdtempSync(join(tmpdir(), "gnomon-soak-"));
  const removeDir = o.dataDir === undefined && !o.keepData;
  const logPath = join(dir, "dev.log");
  const log = createWriteStream(logPath, {flags: "a"});
  const csv = createWriteStream(join(dir, "samples.csv"), {flags: "a"});
  csv.write("seconds,rss,heap_total,heap_physical,heap_used,live_heap,major_gcs,external,array_buffers,cpu_user_us,cpu_system_us,slot,finalized_epoch\n");
  const watch = new LogWatch();

  const args = [
    "--import", PROBE, GNOMON_BIN, "dev",
    "--validators", String(o.validators),
    "--seconds-per-slot", String(o.secondsPerSlot),
    "--preset", o.preset,
    "--data-dir", join(dir, "data"),
    "--rest-port", "0",
    "--p2p-port", "0",
    "--discovery", "false",
  ];
  console.log(
    `soak: gnomon dev, ${o.validators} validators, ${o.secondsPerSlot} s slots, ${o.preset} preset, ${formatElapsed(o.durationSeconds)} ` +
      `(warm-up ${formatElapsed(o.warmupSeconds)}); node log and samples.csv in ${dir}${removeDir ? " (removed at the end; --keep-data keeps it)" : ""}`
  );
  const t0 = Date.now();
  const child = spawn(process.execPath, args, {stdio: ["ignore", "pipe", "pipe", "ipc"]});
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({input: stream}).on("line", (line) => {
      log.write(`${line}\n`);
      watch.line(line);
    });
  }

  const samples: Sample[] = [];
  let lastReading: ProbeReading | null = null;
  let waiting: ((p: ProbeReading | null) => void) | null = null;
  child.on("message", (m: unknown) => {
    const p = (m as {probe?: ProbeReading}).probe;
    if (p === undefined) return;
    lastReading = p;
    waiting?.(p);
    waiting = null;
  });
  const takeSample = (): Promise<Sample | null> =>
    new Promise((resolve) => {
      if (!child.connected) return resolve(null);
      const timer = setTimeout(() => finish(null), 10_000);
      const finish = (p: ProbeReading | null): void => {
        clearTimeout(timer);
        if (p === null) return resolve(null);
        const s = toSample((Date.now() - t0) / 1000, p);
        samples.push(s);
        const last = watch.checks.last;
        csv.write(
          `${s.t.toFixed(1)},${p.rss},${p.heapTotal},${p.heapPhysical},${p.heapUsed},${p.liveHeap ?? ""},${p.majorGcs},${p.external},${p.arrayBuffers},` +
            `${p.cpuUser},${p.cpuSystem},${last?.slot ?? ""},${last?.finalizedEpoch ?? ""}\n`
        );
        resolve(s);
      };
      waiting = finish;
      try {
        child.send("sample");
      } catch {
        finish(null);
      }
    });

  let stopRequested = false;
  let stopping = false;
  const onSignal = (): void => {
    if (stopRequested) process.exit(130);
    stopRequested = true;
    // A terminal's Ctrl-C reaches the node too: its exit is then no early exit.
    stopping = true;
    console.log("soak: interrupted, stopping the node");
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  let exitedEarly = false;
  child.once("exit", () => {
    if (!stopping) exitedEarly = true;
  });

  console.log(ROW_HEADER);
  let lastPrinted: Sample | null = null;
  let nextPrint = o.printSeconds;
  const end = t0 + o.durationSeconds * 1000;
  while (!stopRequested && !exitedEarly && Date.now() < end) {
    const wait = Math.min(o.sampleSeconds * 1000, end - Date.now());
    await new Promise((r) => setTimeout(r, Math.max(0, wait)));
    if (stopRequested || exitedEarly) break;
    const s = await takeSample();
    if (s === null) continue;
    if (s.t >= nextPrint || Date.now() >= end) {
      const ref = lastPrinted ?? {t: 0, cpuMicros: 0};
      console.log(formatRow(s, cpuPercent(ref.cpuMicros, s.cpuMicros, (s.t - ref.t) * 1000), watch.checks.last, watch.errors));
      lastPrinted = s;
      while (nextPrint <= s.t) nextPrint += o.printSeconds;
    }
  }
  const elapsed = (Date.now() - t0) / 1000;
  const peakRss = (lastReading as ProbeReading | null)?.maxRss;

  let stopClean = true;
  if (!exitedEarly) {
    stopping = true;
    child.kill("SIGINT");
    if (!(await waitExit(child, STOP_TIMEOUT_MS))) {
      stopClean = false;
      child.kill("SIGKILL");
      await waitExit(child, 5000);
    }
  }
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  await new Promise<void>((r) => log.end(r));
  await new Promise<void>((r) => csv.end(r));
  const exitCode = child.exitCode;

  // ---- summary ----
  const v = computeVerdict(samples, o.warmupSeconds);
  const c = watch.checks;
  const allCpu = samples.length > 0 ? cpuPercent(0, samples[samples.length - 1].cpuMicros, samples[samples.length - 1].t * 1000) : null;
  const marks = RSS_MARKS_MINUTES.filter((m) => m * 60 <= elapsed + o.sampleSeconds)
    .map((m) => [m, sampleNear(samples, m * 60)] as const)
    .filter(([, s]) => s !== undefined)
    .map(([m, s]) => `${m} min ${s!.rssMiB.toFixed(1)}`);
  console.log("");
  console.log(`summary after ${formatElapsed(elapsed)}${exitedEarly ? ` (the node exited early with status ${exitCode})` : ""}:`);
  console.log(`  RSS MiB: ${marks.length > 0 ? marks.join(", ") + ", " : ""}end ${v.rssLast?.toFixed(1) ?? "-"}; peak ${peakRss === undefined ? "-" : (peakRss / MiB).toFixed(1)}`);
  console.log(`  CPU: ${allCpu === null ? "-" : allCpu.toFixed(1)}% of one core over the run, ${v.cpuAfterWarmup === null ? "-" : v.cpuAfterWarmup.toFixed(1)}% after warm-up`);
  const last = c.last;
  console.log(
    `  chain: ${c.lines} status lines; last slot ${last?.slot ?? "-"}, head ${last?.headSlot ?? "-"}, finalized epoch ${last?.finalizedEpoch ?? "-"}; ` +
      `head behind the slot on ${c.headBehind}`
  );
  console.log(`  participation: min ${pct(c.minParticipation)}, ${c.partialLines} status lines below 100%`);
  console.log(
    `  finality: ${c.boundariesChecked - c.finalityLagged.length}/${c.boundariesChecked} epoch boundaries from epoch ${c.finalityFromEpoch} with finalized = epoch - 2` +
      (c.finalityLagged.length > 0 ? ` (first miss: epoch ${c.finalityLagged[0].epoch} finalized ${c.finalityLagged[0].finalizedEpoch})` : "")
  );
  console.log(`  node log: ${watch.errors} errors, ${watch.warnings} warnings; stopped ${exitedEarly ? "by itself" : stopClean ? `cleanly (exit status ${exitCode})` : "by SIGKILL"}`);
  for (const e of watch.lastErrors) console.log(`    ${e}`);
  if (exitedEarly) for (const l of watch.tail.slice(-10)) console.log(`    ${l}`);

  const perHour = (x: number | null): string => `${signed(x === null ? null : x * 60, 1)} MiB/h`;
  const growthTooHigh = o.maxGrowthPerHour !== undefined && v.growthSlope !== null && v.growthSlope * 60 > o.maxGrowthPerHour;
  const chainOk = c.ok;
  const ok = !exitedEarly && chainOk && !growthTooHigh && v.rssSlope !== null;
  console.log(
    `  memory after warm-up (${formatElapsed(v.warmupSeconds)} to ${formatElapsed(elapsed)}, ${v.samplesAfterWarmup} samples): ` +
      `RSS avg ${v.rssAvg?.toFixed(1) ?? "-"}, min ${v.rssMin?.toFixed(1) ?? "-"}, max ${v.rssMax?.toFixed(1) ?? "-"} MiB; ` +
      `slopes: outside the V8 heap ${perHour(v.outsideHeapSlope)}, V8 heap after full GCs ${perHour(v.liveHeapSlope)} (${v.liveHeapReadings} GCs)`
  );
  console.log(
    `verdict: RSS slope after warm-up ${perHour(v.rssSlope)} (${signed(v.rssSlope, 3)} MiB/min, least squares; RSS ${v.rssFirst?.toFixed(1) ?? "-"} -> ${v.rssLast?.toFixed(1) ?? "-"} MiB), ` +
      `growth without garbage ${perHour(v.growthSlope)}; CPU ${v.cpuAfterWarmup === null ? "-" : v.cpuAfterWarmup.toFixed(1)}%; ` +
      `chain ${chainOk ? "ok" : "NOT ok"}` +
      (growthTooHigh ? `; growth above --max-growth ${o.maxGrowthPerHour} MiB/h` : "") +
      (exitedEarly ? "; the node exited early" : "") +
      ` => ${ok ? "PASS" : "FAIL"}`
  );
  if (o.json) {
    console.log(
      JSON.stringify({
        bench: "soak",
        validators: o.validators,
        secondsPerSlot: o.secondsPerSlot,
        preset: o.preset,
        elapsedSeconds: Math.round(elapsed),
        verdict: v,
        cpuPercentOverall: allCpu,
        peakRssMiB: peakRss === undefined ? null : peakRss / MiB,
        chain: {
          statusLines: c.lines,
          last: c.last,
          minParticipation: c.minParticipation,
          partialLines: c.partialLines,
          boundariesChecked: c.boundariesChecked,
          finalityLagged: c.finalityLagged.length,
          headBehind: c.headBehind,
        },
        errors: watch.errors,
        warnings: watch.warnings,
        ok,
      })
    );
  }
  if (removeDir) rmSync(dir, {recursive: true, force: true});
  else console.log(`soak: data and log kept in ${dir}`);
  return ok ? 0 : 1;
}

export const soakBench: Command = {
  name: "soak",
  summary: "Run gnomon dev for a while and watch its RSS, heap, CPU, finality and participation",
  usage: "soak [options]",
  options: {
    duration: {type: "string", valueName: "time", description: "How long to run: seconds, or 90s, 20m, 1h30m", default: "20m"},
    validators: {type: "string", valueName: "n", description: "Interop validators of the devnet", default: "64"},
    "seconds-per-slot": {type: "string", valueName: "s", description: "Slot time of the devnet", default: "2"},
    preset: {type: "string", valueName: "name", description: "Preset of the devnet (minimal | mainnet)", default: "minimal"},
    "sample-every": {type: "string", valueName: "time", description: "How often RSS, heap and CPU are read", default: "5s"},
    "print-every": {type: "string", valueName: "time", description: "How often a row is printed", default: "60s"},
    warmup: {type: "string", valueName: "time", description: "Start of the slope window (default: 5m, or half the duration if shorter)"},
    "max-growth": {type: "string", valueName: "MiB/h", description: "Fail when the growth without garbage after warm-up is above this"},
    "data-dir": {type: "string", valueName: "dir", description: "Where the devnet and its log live (default: a new temp dir, removed at the end)"},
    "keep-data": {type: "boolean", description: "Keep the temp dir (chain database and node log)"},
    json: {type: "boolean", description: "Print one JSON line with the results last"},
  },
  details: [
    "Each row: time since the node started, its RSS and V8 heap used, CPU % of one core since the previous row",
    "(every thread of the process), and the node's last status line (slot, head slot, finalized epoch, previous",
    "epoch's target participation). Every sample also goes to samples.csv next to the node's log.",
    "",
    "The verdict's RSS slope is a least-squares fit of every sample after warm-up. V8 lets collectable garbage",
    "grow and shrink the heap by tens of MiB over minutes, so a short run's RSS slope follows that swing; the",
    "growth without garbage adds the slope of RSS outside the V8 heap and the slope of the heap left after each",
    "full collection, which stay flat unless something is retained.",
    "",
    "Exit status 1 when the node exited early, participation fell below 100%, an epoch boundary from epoch 4 on",
    "had finalized != epoch - 2, or the growth without garbage exceeded --max-growth.",
    "",
    "Examples:",
    "  npm run soak -- --duration 20m --validators 64 --seconds-per-slot 2",
    "  npx gnomon bench soak --duration 10m --validators 4096 --seconds-per-slot 6",
  ].join("\n"),
  run,
};
