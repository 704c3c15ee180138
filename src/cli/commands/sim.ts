/**
 * `gnomon sim SCENARIO.yaml`: the scenario's nodes, validators and Byzantine groups, all real
 * client code in this process, on a simulated network and virtual time; then the verdicts
 * (safety, liveness, accountability, reorgs, participation), and an exit status that follows them.
 */
import {readFileSync, writeFileSync} from "node:fs";
import {type Command, type ParsedOptions, intOption} from "../command.ts";
import {InputError} from "../../util/errors.ts";
import {pino} from "pino";
import {silentLogger} from "../../util/logger.ts";
import {logLevelOption} from "./beacon.ts";

export const simCommand: Command = {
  name: "sim",
  summary: "Simulate a scenario: real nodes on a simulated network and virtual time, with verdicts",
  usage: "sim SCENARIO.yaml [options]",
  options: {
    seed: {type: "string", valueName: "S", default: "1", description: "Seed of every random draw (latency, jitter, loss, Byzantine choices); the same seed replays the run exactly"},
    runs: {type: "string", valueName: "K", default: "1", description: "Explore K seeds (S, S+1, ...) and report the worst run; failing seeds are listed"},
    json: {type: "boolean", description: "Print the report as JSON"},
    serve: {
      type: "string",
      valueName: "PORT",
      description: "Serve node i's REST API and live view (/ui) on 127.0.0.1:PORT+i, pace the run for watching, and keep serving after it ends (Ctrl-C stops)",
    },
    speed: {type: "string", valueName: "X", default: "4", description: "With --serve: virtual time runs X times faster than wall time"},
    bls: {
      type: "string",
      valueName: "MODE",
      default: "shared",
      description: "shared: a signature that verified for one node is not verified again for another (every set still checked by blst once); per-node: each node verifies everything",
    },
    trace: {type: "string", valueName: "FILE", description: "Write the event trace (one JSON line per event) to FILE"},
    "log-level": {type: "string", valueName: "LEVEL", default: "silent", description: "Log level of the simulated nodes and clients (logs go to stderr)"},
  },
  details: `Exit status: 0 when every verdict matches the scenario's expectations, 1 when one does not,
2 for a bad scenario file or option, 130 after Ctrl-C (nothing is kept). The scenario format and the shipped scenarios are described in
src/sim/scenarios/README.md.

Examples:
  gnomon sim src/sim/scenarios/partition.yaml --seed 7
  gnomon sim src/sim/scenarios/partition.yaml --runs 100
  gnomon sim src/sim/scenarios/ex-ante-reorg-no-boost.yaml --serve 5052   # then open http://127.0.0.1:5052/ui`,
  async run(opts: ParsedOptions, positionals: string[]): Promise<number> {
    if (positionals.length !== 1) throw new InputError("give one scenario file: gnomon sim SCENARIO.yaml (see: gnomon sim --help)");
    const path = positionals[0];
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (e) {
      throw new InputError(`cannot read scenario ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const runs = intOption(opts, "runs", 1, 100_000) ?? 1;
    const seed = String(opts.seed);
    if (seed === "") throw new InputError("--seed must not be empty");
    const speed = Number(opts.speed);
    if (!(speed > 0)) throw new InputError(`--speed must be a positive number, got "${String(opts.speed)}"`);
    const serve = opts.serve === undefined ? undefined : {port: intOption(opts, "serve", 1, 65535)!, speed};
    if (serve !== undefined && runs > 1) throw new InputError("--serve watches one run: leave out --runs");
    const level = logLevelOption(opts);
    const bls = String(opts.bls);
    if (bls !== "shared" && bls !== "per-node") throw new InputError(`--bls must be shared or per-node, got "${bls}"`);
    const json = opts.json === true;

    const {parseScenario, runSeeds, formatSimReport, SimulationAbortedError} = await import("../../sim/index.ts");
    const scenario = parseScenario(text, path);
    // Logs on stderr: stdout carries the report (and --json stays parseable).
    const logger = level === "silent" ? silentLogger : pino({level}, pino.destination(2));
    const progress = json || !process.stderr.isTTY ? null : (line: string) => process.stderr.write(line + "\n");
    const traceLines = typeof opts.trace === "string" ? [] : undefined;

    // Ctrl-C during a run: the nodes stop and the run's temporary files go before the exit.
    const interrupt = new AbortController();
    const onSignal = (): void => interrupt.abort();
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    let result;
    try {
      result = await runSeeds(scenario, {
        signal: interrupt.signal,
        seeds: seedsFrom(seed, runs),
        logger,
        traceLines,
        serve,
        bls,
        onProgress: progress ?? undefined,
        holdOpen:
          serve === undefined
            ? undefined
            : () =>
                new Promise<void>((resolve) => {
                  process.stderr.write("run ended; still serving the nodes' live views (Ctrl-C to stop)\n");
                  process.once("SIGINT", resolve);
                  process.once("SIGTERM", resolve);
                }),
      });
    } catch (e) {
      if (e instanceof SimulationAbortedError) {
        process.stderr.write(`gnomon: ${e.message}\n`);
        return 130;
      }
      throw e;
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
    if (traceLines !== undefined) writeFileSync(String(opts.trace), traceLines.join("\n") + "\n");
    process.stdout.write(formatSimReport(result, {json}) + "\n");
    return result.worst.verdicts.every((v) => v.pass) ? 0 : 1;
  },
};

/** K seeds from S: S, S+1, ... when S is a number, else S-1, S-2, ... */
export function seedsFrom(seed: string, runs: number): string[] {
  if (runs === 1) return [seed];
  const n = /^[0-9]+$/.test(seed) ? BigInt(seed) : null;
  return Array.from({length: runs}, (_, k) => (n !== null ? String(n + BigInt(k)) : `${seed}-${k + 1}`));
}
