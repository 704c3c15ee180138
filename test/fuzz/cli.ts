/**
 * `npm run fuzz -- [options]`: fuzzes a node's REST API at a fixed rate while the in-process
 * targets (SSZ decoding, snappy, gossip, req/resp frames, JSON-RPC answers) run on a worker thread, watches the node (block delays, missed
 * blocks, finality, RSS, and its V8 heap after a full GC through its inspector) and prints every
 * failing input as a replayable case. Exit status 0 when nothing failed, 1 otherwise.
 *
 *   --duration <10m|90s>   how long to send requests (default 1m)
 *   --rate <n>             REST requests per second (default 40)
 *   --seed <n>             seed of the run (default: random, printed)
 *   --url <url>            fuzz this node; without it a `gnomon dev` with 64 validators (minimal
 *                          preset) is started on free loopback ports in a temporary directory,
 *                          fuzzed from slot 32 on (finality established), and stopped afterwards
 *   --out <dir>            where failing cases are written (default: <tmp>/gnomon-fuzz-cases)
 *   --max-request-ms <n>   slower answers are failures (default 2000)
 *   --max-block-delay-ms <n>  a block event later than this after its slot start is a failure (default 3000)
 *   --max-rss-growth-mb <n>   RSS growth over the run allowed (default 50)
 *   --replay <json|file>   re-run one case: {"target":"rest","seed":S,"index":I}, a saved case file,
 *                          or {"target":"ssz"|"snappy"|"gossip"|"reqresp"|"jsonrpc","seed":S,"path":"..."}
 */
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {parseArgs} from "node:util";
import {GNOMON, NODE, restUrl, runProcess, stopProcess, type Proc} from "../e2e/helpers/processes.ts";
import {inProcessTargets} from "./targets/index.ts";
import {Worker} from "node:worker_threads";
import {restCaseAt, runInProcess, runRest, type Finding} from "./runner.ts";
import {checkAnswer} from "./oracle.ts";
import {send} from "./rest/client.ts";
import {describeCase, type RestCase} from "./rest/requests.ts";
import {finalizedEpoch, genesisOf, headSlot, heapAfterGcMb, rssMb, watchNode} from "./monitor.ts";

function duration(s: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(s.trim());
  if (m === null) throw new Error(`Invalid --duration ${s} (e.g. 10m, 90s)`);
  return Number(m[1]) * {ms: 1, s: 1000, m: 60_000, h: 3_600_000}[(m[2] ?? "s") as "ms" | "s" | "m" | "h"];
}

const {values} = parseArgs({
  options: {
    duration: {type: "string", default: "1m"},
    rate: {type: "string", default: "40"},
    seed: {type: "string"},
    url: {type: "string"},
    out: {type: "string", default: join(tmpdir(), "gnomon-fuzz-cases")},
    "max-request-ms": {type: "string", default: "2000"},
    "max-block-delay-ms": {type: "string", default: "3000"},
    "max-rss-growth-mb": {type: "string", default: "50"},
    replay: {type: "string"},
    help: {type: "boolean"},
  },
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The V8 flags of `gnomon`'s own launch line (its shebang), so the fuzzed node runs as an installed one does. */
function gnomonNodeFlags(): string[] {
  const shebang = readFileSync(GNOMON, "utf8").split("\n", 1)[0];
  return shebang.split(/\s+/).filter((w) => w.startsWith("--"));
}

/** The node runs with its inspector on a free loopback port, so the run can read its heap after a full GC. */
async function startDev(): Promise<{url: string; proc: Proc; dir: string; inspector: string | undefined}> {
  const dir = mkdtempSync(join(tmpdir(), "gnomon-fuzz-"));
  const proc = runProcess(NODE, [...gnomonNodeFlags(), "--inspect=127.0.0.1:0", GNOMON, "dev", "--validators", "64", "--preset", "minimal", "--data-dir", dir, "--rest-port", "0"]);
  try {
    const url = await restUrl(proc, "gnomon dev");
    const inspector = proc.lines.map((l) => /Debugger listening on (ws:\/\/\S+)/.exec(l)?.[1]).find((u) => u !== undefined);
    return {url, proc, dir, inspector};
  } catch (e) {
    await stopProcess(proc, "SIGKILL");
    rmSync(dir, {recursive: true, force: true});
    throw e;
  }
}

async function replay(spec: string, url: string | undefined): Promise<number> {
  const text = existsSync(spec) ? readFileSync(spec, "utf8") : spec;
  const parsed = JSON.parse(text) as {target?: string; seed?: number; index?: number; path?: string; input?: RestCase} & Partial<RestCase>;
  if (parsed.target !== undefined && parsed.target !== "rest") {
    const target = inProcessTargets().find((t) => t.name === parsed.target);
    if (target === undefined) throw new Error(`Unknown target ${parsed.target}`);
    const f = await runInProcess(target, parsed.seed!, 1, parsed.path);
    console.log(f === null ? "passes now" : `fails: ${f.violation}\n${JSON.stringify(f.input)}`);
    return f === null ? 0 : 1;
  }
  const c: RestCase = parsed.input ?? (parsed.index !== undefined ? restCaseAt(parsed.seed!, parsed.index) : (parsed as RestCase));
  const dev = url === undefined ? await startDev() : undefined;
  try {
    const res = await send(url ?? dev!.url, c, 60_000);
    const v = checkAnswer(res, {maxRequestMs: Number(values["max-request-ms"])});
    console.log(`${describeCase(c)}\n-> ${res?.status ?? "no answer"} in ${Math.round(res?.ms ?? 0)} ms: ${res?.body.subarray(0, 300).toString()}`);
    console.log(v === null ? "passes now" : `fails: ${v}`);
    return v === null ? 0 : 1;
  } finally {
    if (dev !== undefined) {
      await stopProcess(dev.proc);
      rmSync(dev.dir, {recursive: true, force: true});
    }
  }
}

async function main(): Promise<number> {
  if (values.help) {
    console.log(readFileSync(new URL(import.meta.url), "utf8").split("*/")[0].replace(/^\/\*\*|^ \* ?/gm, ""));
    return 0;
  }
  if (values.replay !== undefined) return replay(values.replay, values.url);
  const seed = values.seed !== undefined ? Number(values.seed) : (Math.random() * 2 ** 31) | 0;
  const runMs = duration(values.duration!);
  const rate = Number(values.rate);
  const opts = {maxRequestMs: Number(values["max-request-ms"]), maxBlockDelayMs: Number(values["max-block-delay-ms"]), maxRssGrowthMb: Number(values["max-rss-growth-mb"])};
  console.log(`fuzz: seed ${seed}, ${values.duration} at ${rate} requests/s`);

  const dev = values.url === undefined ? await startDev() : undefined;
  const url = values.url ?? dev!.url;
  const findings: Finding[] = [];
  const problems: string[] = [];
  try {
    const g = await genesisOf(url);
    // Let the chain reach finality first: the run must keep it at epoch - 2 throughout.
    const warmSlot = 4 * g.slotsPerEpoch;
    while ((await headSlot(url)) < warmSlot) await sleep(2000);
    const watch = await watchNode(url);
    const pid = dev?.proc.proc.pid;
    const rssBefore = pid !== undefined ? rssMb(pid) : NaN;
    const heapBefore = dev?.inspector !== undefined ? await heapAfterGcMb(dev.inspector) : NaN;
    const startSlot = await headSlot(url);
    console.log(`node at slot ${startSlot}, finalized epoch ${await finalizedEpoch(url)}, RSS ${rssBefore.toFixed(0)} MB`);

    const until = performance.now() + runMs;
    let lastLog = performance.now();
    let answered = 0;
    let unanswered5xx = 0;
    const rest = runRest({
      url,
      seed,
      rate,
      until,
      maxRequestMs: opts.maxRequestMs,
      onAnswer: (_c, status) => {
        answered++;
        if (status === null || status >= 500) unanswered5xx++;
        if (performance.now() - lastLog > 60_000) {
          lastLog = performance.now();
          const rss = pid !== undefined ? `, node RSS ${rssMb(pid).toFixed(0)} MB` : "";
          console.log(`  ... ${Math.round((until - performance.now()) / 1000)} s left, ${answered} answered, ${unanswered5xx} 5xx or unanswered${rss}`);
        }
      },
    });
    // The decoders run meanwhile on a worker thread, so their CPU time never stalls the REST client.
    const worker = new Worker(new URL("./workerTargets.ts", import.meta.url), {workerData: {seed, until: Date.now() + runMs}});
    const inProcess = await new Promise<{runs: Record<string, number>; findings: Finding[]}>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    findings.push(...inProcess.findings);
    const inProcessRuns = new Map(Object.entries(inProcess.runs));
    const r = await rest;
    findings.push(...r.findings);
    const endSlot = await headSlot(url);

    // Memory settles after the last request (V8 gives back heap after a quiet spell); a leak does not.
    await sleep(60_000);
    const rssAfter = pid !== undefined ? rssMb(pid) : NaN;
    const heapAfter = dev?.inspector !== undefined ? await heapAfterGcMb(dev.inspector) : NaN;
    watch.stop();

    const missed: number[] = [];
    for (let s = startSlot + 1; s <= endSlot; s++) if (!watch.blockSlots.has(s)) missed.push(s);
    if (missed.length > 0) problems.push(`${missed.length} slot(s) without a block: ${missed.join(", ")}`);
    if (watch.finalityMisses.length > 0) problems.push(`finality not at epoch - 2 at (epoch:finalized) ${watch.finalityMisses.join(", ")}`);
    if (watch.maxBlockDelayMs > opts.maxBlockDelayMs) problems.push(`a block event came ${watch.maxBlockDelayMs} ms after its slot start (limit ${opts.maxBlockDelayMs})`);
    if (rssAfter - rssBefore > opts.maxRssGrowthMb) problems.push(`RSS grew from ${rssBefore.toFixed(0)} to ${rssAfter.toFixed(0)} MB`);
    if (dev !== undefined && dev.proc.proc.exitCode !== null) problems.push(`the node exited with ${dev.proc.proc.exitCode}`);

    const fiveXx = [...r.byStatus].filter(([s]) => s >= 500).reduce((a, [, n]) => a + n, 0);
    const badShape = r.findings.filter((f) => /^error \d+ /.test(f.violation)).length;
    console.log(`\nREST: ${r.sent} requests, status counts ${JSON.stringify(Object.fromEntries([...r.byStatus].sort((a, b) => a[0] - b[0])))}`);
    console.log(`REST: ${fiveXx} 5xx, ${r.errorBodies} error answers of which ${r.errorBodies - badShape} in the standard shape`);
    console.log(`in-process: ${[...inProcessRuns].map(([n, c]) => `${n} ${c} inputs`).join(", ")}`);
    console.log(`chain: slots ${startSlot + 1}..${endSlot}, ${missed.length} missed, ${watch.epochsChecked} epoch boundaries checked, finality misses ${watch.finalityMisses.length}, largest block delay ${watch.maxBlockDelayMs} ms`);
    console.log(`memory: RSS ${rssBefore.toFixed(0)} MB before, ${rssAfter.toFixed(0)} MB after; V8 heap in use after a full GC ${heapBefore.toFixed(1)} MB before, ${heapAfter.toFixed(1)} MB after`);
  } finally {
    if (dev !== undefined) {
      const code = await stopProcess(dev.proc);
      if (code !== 0) problems.push(`the node's clean stop exited with ${code}`);
      rmSync(dev.dir, {recursive: true, force: true});
    }
  }

  if (findings.length > 0) {
    mkdirSync(values.out!, {recursive: true});
    console.log(`\n${findings.length} failing input(s):`);
    for (const [i, f] of findings.entries()) {
      const file = join(values.out!, `${f.target}-${f.replay.seed}-${f.replay.index ?? i}.json`);
      writeFileSync(file, JSON.stringify({...f.replay, violation: f.violation, input: f.input}));
      console.log(`- ${f.violation.slice(0, 300)}\n  replay: npm run fuzz -- --replay '${JSON.stringify(f.replay)}'   (case saved in ${file})`);
    }
  }
  for (const p of problems) console.log(`node: ${p}`);
  console.log(findings.length === 0 && problems.length === 0 ? "\nfuzz: no failures" : "\nfuzz: FAILED");
  return findings.length === 0 && problems.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(2);
  }
);
