/**
 * The published Lodestar 1.5.1 beacon node as a test peer: `lodestar dev` (a chain of its own with
 * validators) and `lodestar beacon` (following a given genesis), on the machine's Node 20, each on
 * its own ports and data dir, with its REST identity and a way to dial a peer.
 */
import {existsSync, mkdirSync} from "node:fs";
import {join} from "node:path";
import {getJson, runProcess, sleep, stopProcess, type Proc} from "../../e2e/helpers/processes.ts";
import {LODESTAR_BIN, LODESTAR_DIR, SYSTEM_NODE} from "./install.ts";

export const LODESTAR_CONFIG = join(LODESTAR_DIR, "config.yaml");

export interface LodestarNode {
  proc: Proc;
  restUrl: string;
  dir: string;
}

export function checkInstalled(): void {
  if (!existsSync(LODESTAR_BIN)) throw new Error(`Lodestar is not installed in ${LODESTAR_DIR}: run \`npm run test:interop:beacon\` (it installs it first)`);
}


/** `lodestar dev`: a new chain with interop validators; it writes genesis.ssz into `dir`. */
export function lodestarDev(
  dir: string,
  opts: {validators: number; genesisTime: number; p2pPort: number; restPort: number; startValidators?: string}
): LodestarNode {
  const proc = runProcessIn(dir, [
    "dev", "--paramsFile", LODESTAR_CONFIG, "--dataDir", join(dir, "data"), "--server", `http://127.0.0.1:${opts.restPort}`,
    "--genesisValidators", String(opts.validators), "--startValidators", opts.startValidators ?? `0..${opts.validators - 1}`,
    "--genesisTime", String(opts.genesisTime), "--port", String(opts.p2pPort), "--enr.ip", "127.0.0.1",
    "--rest.port", String(opts.restPort), "--rest.namespace", "*", "--discv5", "false",
  ]);
  return {proc, restUrl: `http://127.0.0.1:${opts.restPort}`, dir};
}

/** `lodestar beacon` following the chain of `genesisState`. */
export function lodestarBeacon(dir: string, opts: {genesisState: string; paramsFile: string; p2pPort: number; restPort: number}): LodestarNode {
  const proc = runProcessIn(dir, [
    "beacon", "--network", "dev", "--paramsFile", opts.paramsFile, "--genesisStateFile", opts.genesisState,
    "--dataDir", join(dir, "data"), "--port", String(opts.p2pPort), "--enr.ip", "127.0.0.1",
    "--rest.port", String(opts.restPort), "--rest.namespace", "*", "--discv5", "false", "--eth1", "false",
  ]);
  return {proc, restUrl: `http://127.0.0.1:${opts.restPort}`, dir};
}

function runProcessIn(cwd: string, args: string[]): Proc {
  mkdirSync(cwd, {recursive: true});
  // runProcess has no cwd: go through the shell's cd so `lodestar dev` writes genesis.ssz there.
  return runProcess("sh", ["-c", `cd "$0" && exec "$@"`, cwd, SYSTEM_NODE, LODESTAR_BIN, ...args, "--logLevel", "info"], {LODESTAR_PRESET: "minimal"});
}

export async function waitForRest(node: LodestarNode, timeoutMs = 90_000): Promise<{peerId: string; enr: string; p2pAddresses: string[]}> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (node.proc.proc.exitCode !== null) throw new Error(`Lodestar exited:\n${node.proc.lines.slice(-30).join("\n")}`);
    try {
      const id = (await getJson(`${node.restUrl}/eth/v1/node/identity`)).data;
      return {peerId: id.peer_id, enr: id.enr, p2pAddresses: id.p2p_addresses};
    } catch {
      // not up yet
    }
    if (Date.now() > end) throw new Error(`Lodestar REST did not come up:\n${node.proc.lines.slice(-30).join("\n")}`);
    await sleep(500);
  }
}

/** Asks the Lodestar node to dial a peer (1.5.1 has no static-peer flag). */
export async function connectPeer(node: LodestarNode, peerId: string, multiaddr: string): Promise<void> {
  const url = `${node.restUrl}/eth/v1/lodestar/connect_peer?peerId=${encodeURIComponent(peerId)}&multiaddr=${encodeURIComponent(multiaddr)}`;
  const res = await fetch(url, {method: "POST"});
  if (!res.ok) throw new Error(`connect_peer: ${res.status} ${await res.text()}`);
}

/** Lodestar's first SIGTERM can hang: a second one about 10 s later ends it. */
export async function stopLodestar(node: LodestarNode | undefined): Promise<void> {
  if (node === undefined) return;
  const p = node.proc;
  if (p.proc.exitCode !== null || p.proc.signalCode !== null) return;
  const second = setTimeout(() => p.proc.kill("SIGTERM"), 10_000);
  const last = setTimeout(() => p.proc.kill("SIGKILL"), 20_000);
  await stopProcess(p, "SIGTERM");
  clearTimeout(second);
  clearTimeout(last);
}
