/**
 * What `gnomon sim` prints: a compact human report (verdicts with PASS/FAIL, participation per
 * epoch on one line, reorgs, the trace hash, the seed and the command that replays the run) or
 * a stable JSON document, and for `--runs K` the worst run with the failing seeds.
 */
import type {Observations, Scenario, Verdict} from "./types.ts";
import {totalValidators} from "./scenario.ts";
import {disturbedEpochs, epochsToFinality, finalizedAtEnd, formatIndices, nodeName, shortRoot} from "./verdicts.ts";

export interface RunResult {
  observations: Observations;
  verdicts: Verdict[];
}

export interface ReportOptions {
  json: boolean;
  /** Flags to repeat in the replay command beside the scenario and seed (e.g. a BLS choice). */
  replayArgs?: string[];
}

/** How many reorgs the human report lists one by one. */
const REORGS_LISTED = 8;

export function replayCommand(scenario: Scenario, seed: string, extra: readonly string[] = []): string {
  const source = scenario.source ?? `${scenario.name}.yaml`;
  return ["npm run gnomon -- sim", shellWord(source), "--seed", shellWord(seed), ...extra.map(shellWord)].join(" ");
}

function shellWord(w: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(w) ? w : `'${w.replaceAll("'", `'\\''`)}'`;
}

export function passed(verdicts: readonly Verdict[]): boolean {
  return verdicts.every((v) => v.pass);
}

/** The JSON report as an object: only JSON values, keys in a fixed order. */
export function reportObject(obs: Observations, verdicts: readonly Verdict[], replayArgs: readonly string[] = []) {
  const s = obs.scenario;
  return {
    scenario: s,
    seed: obs.seed,
    traceHash: obs.traceHash,
    replay: replayCommand(s, obs.seed, replayArgs),
    pass: passed(verdicts),
    verdicts: verdicts.map((v) => ({name: v.name, pass: v.pass, summary: v.summary, details: v.details})),
    participation: obs.participation.map((p) => ({epoch: p.epoch, targetParticipation: p.targetParticipation})),
    reorgs: obs.reorgs.map((r) => ({node: r.node, slot: r.slot, depth: r.depth, oldHead: r.oldHead, newHead: r.newHead})),
    behaviours: (obs.behaviours ?? []).map((b) => ({behaviour: b.behaviour, node: b.node, text: b.text, details: jsonValues(b.details)})),
    finalized: finalizedAtEnd(obs),
  };
}

/**
 * A behaviour's details as plain JSON values (bigints as decimal strings, maps as objects, sets
 * as lists), so the JSON report never throws and reads back as it was written.
 */
function jsonValues(details: Record<string, unknown>): Record<string, unknown> {
  const text = JSON.stringify(details, (_k, v: unknown) => {
    if (typeof v === "bigint") return v.toString();
    if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), x]));
    if (v instanceof Set) return [...v];
    return v;
  });
  return text === undefined ? {} : (JSON.parse(text) as Record<string, unknown>);
}

export type ReportObject = ReturnType<typeof reportObject>;

export function formatReport(obs: Observations, verdicts: readonly Verdict[], opts: ReportOptions): string {
  if (opts.json) return JSON.stringify(reportObject(obs, verdicts, opts.replayArgs), null, 2);
  const s = obs.scenario;
  const spe = obs.slotsPerEpoch;
  const byz = s.byzantine.reduce((n, g) => n + g.validators, 0);
  const lines: string[] = [];
  lines.push(`${s.name}${s.description === "" ? "" : `: ${firstLine(s.description)}`}`);
  lines.push(
    `  ${s.nodes.length} nodes, ${totalValidators(s)} validators (${byz} Byzantine), ${fmtDuration(s.slots, spe)}, ${s.secondsPerSlot} s/slot, ` +
      `proposer boost ${s.proposerScoreBoost === 0 ? "off" : s.proposerScoreBoost}, slasher ${s.slasher ? "on" : "off"}, ` +
      `latency ${s.network.latencyMs}±${s.network.jitterMs} ms, loss ${s.network.loss}`
  );
  lines.push("");
  const width = Math.max(...verdicts.map((v) => v.name.length), 8);
  for (const v of verdicts) lines.push(`  ${v.pass ? "PASS" : "FAIL"}  ${v.name.padEnd(width)}  ${v.summary}`);
  lines.push("");
  lines.push(`participation  ${participationLine(obs)}`);
  lines.push(`reorgs         ${reorgsLine(obs)}`);
  for (const b of obs.behaviours ?? []) lines.push(`byzantine      ${b.behaviour}@${b.node}: ${b.text}`);
  lines.push(`trace sha256   ${obs.traceHash}`);
  const failing = verdicts.filter((v) => !v.pass).map((v) => v.name);
  lines.push(`result         ${failing.length === 0 ? "PASS" : `FAIL (${failing.join(", ")})`}, seed ${obs.seed}`);
  lines.push(`replay         ${replayCommand(s, obs.seed, opts.replayArgs)}`);
  return lines.join("\n");
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0];
}

function fmtDuration(slots: number, spe: number): string {
  return slots % spe === 0 ? `${slots / spe} epochs` : `${slots} slots`;
}

/** "e0 100 e1 98 e2 51* ..." in percent; * marks epochs a partition or offline period touched. */
function participationLine(obs: Observations): string {
  if (obs.participation.length === 0) return "(none recorded)";
  const disturbed = disturbedEpochs(obs.scenario, obs.slotsPerEpoch);
  const cells = obs.participation.map((p) => {
    const v = p.targetParticipation === null ? "-" : `${Math.round(p.targetParticipation * 100)}`;
    return `e${p.epoch} ${v}${disturbed.has(p.epoch) ? "*" : ""}`;
  });
  return `${cells.join(" ")} (% of stake on target${disturbed.size > 0 ? "; * partition/offline" : ""})`;
}

function reorgsLine(obs: Observations): string {
  if (obs.reorgs.length === 0) return "none";
  const maxDepth = obs.reorgs.reduce((m, r) => Math.max(m, r.depth), 0);
  const listed = obs.reorgs
    .slice(0, REORGS_LISTED)
    .map((r) => `${nodeName(obs, r.node)}@${r.slot} depth ${r.depth} ${shortRoot(r.oldHead)}->${shortRoot(r.newHead)}`);
  const more = obs.reorgs.length > REORGS_LISTED ? `, ${obs.reorgs.length - REORGS_LISTED} more` : "";
  return `${obs.reorgs.length} (max depth ${maxDepth}): ${listed.join(", ")}${more}`;
}

// ---------------------------------------------------------------- --runs K

/** Time to finality after GST for ranking runs: a run that never got there ranks longest. */
function finalityRank(run: RunResult): number {
  const e = epochsToFinality(run.observations).epochs;
  return e === null ? Number.POSITIVE_INFINITY : e;
}

/**
 * The worst of several runs: a failing one before any passing one; among failing, the one with
 * the most failing verdicts; then the longest time to finality after GST; then the earliest given.
 */
export function worstOf(runs: readonly RunResult[]): {worst: RunResult; index: number; failingSeeds: string[]} {
  if (runs.length === 0) throw new RangeError("worstOf needs at least one run");
  const failures = (r: RunResult): number => r.verdicts.filter((v) => !v.pass).length;
  let index = 0;
  for (let i = 1; i < runs.length; i++) {
    const a = runs[i];
    const b = runs[index];
    const fa = failures(a);
    const fb = failures(b);
    if (fa !== fb ? fa > fb : finalityRank(a) > finalityRank(b)) index = i;
  }
  const failingSeeds = runs.filter((r) => failures(r) > 0).map((r) => r.observations.seed);
  return {worst: runs[index], index, failingSeeds};
}

/** The `--runs K` report: the worst run's full report, then the tally and the failing seeds. */
export function formatRuns(runs: readonly RunResult[], opts: ReportOptions): string {
  const {worst, failingSeeds} = worstOf(runs);
  const seeds = runs.map((r) => r.observations.seed);
  if (opts.json) {
    return JSON.stringify(
      {
        runs: runs.length,
        seeds,
        failingSeeds,
        perRun: runs.map((r) => ({seed: r.observations.seed, pass: passed(r.verdicts), failing: r.verdicts.filter((v) => !v.pass).map((v) => v.name), traceHash: r.observations.traceHash})),
        worst: reportObject(worst.observations, worst.verdicts, opts.replayArgs),
      },
      null,
      2
    );
  }
  const gstFinality = runs.map((r) => epochsToFinality(r.observations).epochs).filter((e): e is number => e !== null);
  const lines = [`worst of ${runs.length} runs (seeds ${formatSeeds(seeds)}): seed ${worst.observations.seed}`, "", formatReport(worst.observations, worst.verdicts, opts), ""];
  lines.push(`runs           ${runs.length - failingSeeds.length} passed, ${failingSeeds.length} failed`);
  if (gstFinality.length > 0) lines.push(`finality       ${fmtRange(gstFinality)} epochs after GST over ${gstFinality.length} runs that reached it`);
  if (failingSeeds.length > 0) {
    lines.push(`failing seeds  ${failingSeeds.join(" ")}`);
    lines.push(`replay one     ${replayCommand(worst.observations.scenario, failingSeeds[0], opts.replayArgs)}`);
  }
  return lines.join("\n");
}

function formatSeeds(seeds: readonly string[]): string {
  return seeds.every((s) => /^\d{1,15}$/.test(s)) ? formatIndices(seeds.map(Number)).replaceAll("-", "..") : seeds.join(" ");
}

function fmtRange(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const f = (x: number): string => (Number.isInteger(x) ? `${x}` : x.toFixed(2));
  return `min ${f(sorted[0])} median ${f(median)} max ${f(sorted[sorted.length - 1])}`;
}
