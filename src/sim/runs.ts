/**
 * One scenario over one or many seeds: each run's verdicts, the worst run, and the report with
 * the run's speed (simulated slots per second of wall time).
 */
import type {Logger} from "../util/logger.ts";
import {defaultSimulationDeps} from "./deps.ts";
import {formatReport, formatRuns, worstOf, type RunResult} from "./report.ts";
import {runSimulation, type SimNode, type SimulationResult} from "./simulation.ts";
import type {Scenario} from "./types.ts";
import {computeVerdicts} from "./verdicts.ts";

export interface RunOutcome extends RunResult {
  seed: string;
  result: SimulationResult;
}

export interface SeedRuns {
  scenario: Scenario;
  runs: RunOutcome[];
  worst: RunOutcome;
}

export interface RunSeedsOptions {
  seeds: string[];
  logger?: Logger;
  traceLines?: string[];
  serve?: {port: number; speed: number};
  bls?: "shared" | "per-node";
  /** Lines for a watching user (per epoch, per run). */
  onProgress?: (line: string) => void;
  /** With serve: awaited after the run, before the nodes stop. */
  holdOpen?: () => Promise<void>;
  signal?: AbortSignal;
}

export async function runSeeds(scenario: Scenario, opts: RunSeedsOptions): Promise<SeedRuns> {
  const runs: RunOutcome[] = [];
  for (const [k, seed] of opts.seeds.entries()) {
    const label = opts.seeds.length > 1 ? `run ${k + 1}/${opts.seeds.length} seed ${seed}: ` : "";
    const result = await runSimulation(
      scenario,
      {
        seed,
        logger: opts.logger,
        traceLines: opts.traceLines,
        serve: opts.serve,
        bls: opts.bls,
        signal: opts.signal,
        holdOpen: opts.holdOpen,
        onStarted: (nodes) => {
          if (opts.serve !== undefined) for (const n of nodes) opts.onProgress?.(`node ${n.name}: live view at ${n.node.restUrl}/ui`);
        },
        onEpoch: (epoch, nodes) => opts.onProgress?.(`${label}epoch ${epoch}: ${progressLine(nodes)}`),
      },
      defaultSimulationDeps
    );
    const verdicts = computeVerdicts(result.observations);
    runs.push({seed, result, observations: result.observations, verdicts});
    if (opts.seeds.length > 1) {
      const failed = verdicts.filter((v) => !v.pass).map((v) => v.name);
      opts.onProgress?.(`${label}${failed.length === 0 ? "pass" : `FAIL (${failed.join(", ")})`}, trace ${result.observations.traceHash.slice(0, 16)}`);
    }
  }
  return {scenario, runs, worst: runs[worstOf(runs).index]};
}

/** Per node: head slot / justified / finalized epochs. */
function progressLine(nodes: readonly SimNode[]): string {
  return nodes
    .map((n) => {
      const c = n.node.chain;
      return `${n.name} head ${c.getHead().slot} j${c.getJustifiedCheckpoint().epoch} f${c.getFinalizedCheckpoint().epoch}`;
    })
    .join(" | ");
}

/** The report (one run, or the worst of several) with the run's speed: simulated slots per second of wall time. */
export function formatSimReport(r: SeedRuns, opts: {json: boolean}): string {
  const w = r.worst.result;
  const slots = r.scenario.slots;
  const performance = {
    slots,
    wallSeconds: round(w.wallMs / 1000, 2),
    slotsPerSecond: round(slots / (w.wallMs / 1000), 1),
    setupSeconds: round(w.setupMs / 1000, 2),
    traceEvents: w.traceEvents,
  };
  const report = r.runs.length === 1 ? formatReport(r.worst.observations, r.worst.verdicts, {json: opts.json}) : formatRuns(r.runs, {json: opts.json});
  if (opts.json) return JSON.stringify({...(JSON.parse(report) as object), performance}, null, 2);
  return `${report}\nspeed          ${slots} slots in ${performance.wallSeconds} s of wall time: ${performance.slotsPerSecond} slots/s (setup ${performance.setupSeconds} s, ${performance.traceEvents} trace events)`;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
