/**
 * Real processes for the end-to-end and interop tests: Gnomon commands (or any program) with
 * their output captured line by line, the REST URL a node announces, clean stops, JSON GETs.
 */
import {spawn, type ChildProcess} from "node:child_process";
import {writeFileSync} from "node:fs";
import {join} from "node:path";
import {createInterface} from "node:readline";
import {fileURLToPath} from "node:url";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
/** The project's Node (>= 22), which runs the TypeScript sources directly. */
export const NODE = join(ROOT, "node_modules/.bin/node");
export const GNOMON = join(ROOT, "bin/gnomon.ts");

export interface Proc {
  proc: ChildProcess;
  /** Every line of stdout and stderr so far. */
  lines: string[];
  /** Calls fn for every later line. */
  onLine(fn: (line: string) => void): void;
}

export function runProcess(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Proc {
  const proc = spawn(command, args, {stdio: ["ignore", "pipe", "pipe"], env: {...process.env, ...env}});
  const lines: string[] = [];
  const listeners: ((line: string) => void)[] = [];
  for (const stream of [proc.stdout!, proc.stderr!]) {
    createInterface({input: stream}).on("line", (line) => {
      lines.push(line);
      for (const fn of listeners) fn(line);
    });
  }
  return {proc, lines, onLine: (fn) => listeners.push(fn)};
}

/** `gnomon <args>` on the project's Node. */
export function runGnomon(args: string[], env?: NodeJS.ProcessEnv): Proc {
  return runProcess(NODE, [GNOMON, ...args], env);
}

/** The REST URL the node logs once its server listens; rejects if it exits or takes a minute. */
export function restUrl(p: Proc, what = "the node"): Promise<string> {
  const find = (line: string): string | undefined => /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1];
  const url = new Promise<string>((resolve, reject) => {
    for (const line of p.lines) {
      const u = find(line);
      if (u !== undefined) return resolve(u);
    }
    const timer = setTimeout(() => reject(new Error(`${what} did not start:\n${p.lines.join("\n")}`)), 60_000);
    p.onLine((line) => {
      const u = find(line);
      if (u !== undefined) {
        clearTimeout(timer);
        resolve(u);
      }
    });
    p.proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}):\n${p.lines.join("\n")}`));
    });
  });
  // A caller that never awaits it (the process was stopped first) must not see an unhandled rejection.
  url.catch(() => undefined);
  return url;
}

/** Resolves with the exit code once the process has exited (null when a signal ended it). */
export function exited(p: Proc): Promise<number | null> {
  if (p.proc.exitCode !== null || p.proc.signalCode !== null) return Promise.resolve(p.proc.exitCode);
  return new Promise((resolve) => p.proc.once("exit", (code) => resolve(code)));
}

/** Sends the signal (SIGINT: a clean stop) unless the process already exited, then waits for it. */
export async function stopProcess(p: Proc | undefined, signal: NodeJS.Signals = "SIGINT"): Promise<number | null> {
  if (p === undefined) return null;
  if (p.proc.exitCode === null && p.proc.signalCode === null) p.proc.kill(signal);
  return exited(p);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` every 250 ms until it returns a value (a throw counts as not yet); fails after `timeoutMs`. */
export async function waitFor<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch {
      // not ready yet
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

export async function getJson(url: string, init?: RequestInit): Promise<any> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

/**
 * `gnomon beacon` on a new interop chain of the minimal preset with the given slot time, on any
 * free port, its data and config in `dir`.
 */
export async function startInteropBeacon(
  dir: string,
  opts: {validators: number; genesisTime: number; slotMs: number}
): Promise<{beacon: Proc; url: string}> {
  const config = join(dir, "config.yaml");
  writeFileSync(config, `PRESET_BASE: minimal\nSLOT_DURATION_MS: ${opts.slotMs}\n`);
  const beacon = runGnomon([
    "beacon", "--data-dir", join(dir, "beacon"), "--preset", "minimal", "--config", config,
    "--interop-validators", String(opts.validators), "--genesis-time", String(opts.genesisTime), "--rest-port", "0",
    // Never the default p2p port: other tests and engineers run nodes at the same time.
    "--p2p-port", "0", "--discovery", "false",
    // The URL is read from an info line, whatever GNOMON_LOG_LEVEL says.
    "--log-level", "info",
  ]);
  try {
    return {beacon, url: await restUrl(beacon, "gnomon beacon")};
  } catch (e) {
    // The caller never gets hold of a node that did not start: stop it here.
    await stopProcess(beacon, "SIGKILL");
    throw e;
  }
}
