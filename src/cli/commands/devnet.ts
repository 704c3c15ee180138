/**
 * `gnomon devnet`: a multi-process network on 127.0.0.1. One interop genesis (written with its
 * chain config under --data-dir, so another client can join), then K `gnomon dev` processes, each
 * with its share of the validators, its own data folder and log; the first is the bootnode of
 * the others. Ctrl-C stops them all.
 */
import {spawn, type ChildProcess} from "node:child_process";
import {createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {join, resolve} from "node:path";
import {fileURLToPath} from "node:url";
import {type Command, type ParsedOptions, intOption} from "../command.ts";
import {defaultConfigRaw, type ChainConfig} from "../../params/index.ts";
import {ssz} from "../../types/index.ts";
import {toHex} from "../../util/bytes.ts";
import {GnomonError, InputError} from "../../util/errors.ts";
import {writeFileAtomic} from "../../util/fs.ts";
import {createLogger, type Logger} from "../../util/logger.ts";
import {LOG_LEVELS, logLevelOption, presetOption} from "./beacon.ts";

const GNOMON = fileURLToPath(new URL("../../../bin/gnomon.ts", import.meta.url));
/** How long a node may take to serve REST after its process started. */
const NODE_START_TIMEOUT_MS = 120_000;
/** After SIGTERM, how long a node may take to stop before it is killed. */
const NODE_STOP_TIMEOUT_MS = 15_000;

export interface DevnetNodePlan {
  index: number;
  dataDir: string;
  restPort: number;
  p2pPort: number;
  /** First and last interop index this node's validators use (null: none). */
  validators: {from: number; to: number} | null;
}

/** Node i gets validators [floor(i*N/K), floor((i+1)*N/K)): shares differ by at most one. */
export function planDevnet(opts: {nodes: number; validators: number; dataDir: string; restPort: number; p2pPort: number}): DevnetNodePlan[] {
  return Array.from({length: opts.nodes}, (_, i) => {
    const from = Math.floor((i * opts.validators) / opts.nodes);
    const to = Math.floor(((i + 1) * opts.validators) / opts.nodes) - 1;
    return {
      index: i,
      dataDir: join(opts.dataDir, `node-${i}`),
      restPort: opts.restPort + i,
      p2pPort: opts.p2pPort + i,
      validators: to >= from ? {from, to} : null,
    };
  });
}

/** The chain config as a consensus-specs config YAML (every key of the run-time config, lists left out). */
export function chainConfigYaml(raw: Readonly<Record<string, unknown>>): string {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === "object" && value !== null && !(value instanceof Uint8Array)) continue;
    const text = value instanceof Uint8Array ? toHex(value) : String(value);
    // Hex and names quoted, as the spec's own config files write them.
    lines.push(/^[0-9]+$/.test(text) ? `${key}: ${text}` : `${key}: '${text}'`);
  }
  return `${lines.join("\n")}\n`;
}

interface RunningNode {
  plan: DevnetNodePlan;
  proc: ChildProcess;
  exited: Promise<number | null>;
  args: string[];
  logPath: string;
}

function startNode(plan: DevnetNodePlan, args: string[], logger: Logger): RunningNode {
  mkdirSync(plan.dataDir, {recursive: true});
  const logPath = join(plan.dataDir, "node.log");
  const log = createWriteStream(logPath, {flags: "a"});
  // The command line is kept next to the log: a stopped node can be started again by hand.
  writeFileSync(join(plan.dataDir, "command.txt"), [process.execPath, ...nodeFlags(), GNOMON, ...args].map(shellQuote).join(" ") + "\n");
  const proc = spawn(process.execPath, [...nodeFlags(), GNOMON, ...args], {stdio: ["ignore", "pipe", "pipe"], env: process.env});
  proc.stdout!.pipe(log, {end: false});
  proc.stderr!.pipe(log, {end: false});
  const exited = new Promise<number | null>((done) => {
    proc.once("exit", (code, signal) => {
      log.end();
      if (code !== 0 && signal === null) logger.warn({node: plan.index, code, log: logPath}, "devnet node exited");
      else logger.info({node: plan.index, code, signal}, "devnet node stopped");
      done(code);
    });
  });
  return {plan, proc, exited, args, logPath};
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=,@+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

interface Identity {
  peerId: string;
  enr: string;
  p2pAddresses: string[];
}

/** Polls the node's REST identity until it answers (or the process exits / the time is up). */
async function waitForIdentity(node: RunningNode): Promise<Identity> {
  const url = `http://127.0.0.1:${node.plan.restPort}/eth/v1/node/identity`;
  const deadline = Date.now() + NODE_START_TIMEOUT_MS;
  let gone = false;
  void node.exited.then(() => (gone = true));
  while (Date.now() < deadline) {
    if (gone) throw new GnomonError("DEVNET_NODE_FAILED", `node ${node.plan.index} exited during start-up (see ${node.logPath})`);
    try {
      const res = await fetch(url, {signal: AbortSignal.timeout(2000)});
      if (res.ok) {
        const {data} = (await res.json()) as {data: {peer_id: string; enr: string; p2p_addresses: string[]}};
        return {peerId: data.peer_id, enr: data.enr, p2pAddresses: data.p2p_addresses};
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new GnomonError("DEVNET_NODE_FAILED", `node ${node.plan.index} did not serve REST on port ${node.plan.restPort} within ${NODE_START_TIMEOUT_MS / 1000} s (see ${node.logPath})`);
}

async function stopNodes(nodes: RunningNode[]): Promise<void> {
  await Promise.all(
    nodes.map(async (n) => {
      if (n.proc.exitCode !== null || n.proc.signalCode !== null) return;
      n.proc.kill("SIGTERM");
      const timer = setTimeout(() => n.proc.kill("SIGKILL"), NODE_STOP_TIMEOUT_MS);
      await n.exited;
      clearTimeout(timer);
    })
  );
}

/** The genesis of the devnet in `dir`: the stored one on a restart, else a new interop genesis. */
async function devnetGenesis(config: ChainConfig, dir: string, validators: number, genesisDelaySeconds: number, logger: Logger): Promise<{path: string; genesisTime: number; created: boolean}> {
  const path = join(dir, "genesis.ssz");
  if (existsSync(path)) {
    let state;
    try {
      state = ssz.BeaconState.deserializeToViewDU(readFileSync(path));
    } catch (e) {
      throw new InputError(`${path} is not a ${config.PRESET_BASE}-preset BeaconState: ${(e as Error).message} (use another --data-dir)`);
    }
    if (state.validators.length !== validators) {
      throw new InputError(`the devnet in ${dir} has ${state.validators.length} validators, not ${validators} (use another --data-dir)`);
    }
    return {path, genesisTime: state.genesis_time, created: false};
  }
  const {createInteropGenesisState} = await import("../../node/genesis/interopGenesis.ts");
  const genesis = await createInteropGenesisState({config, validators, genesisTime: 0});
  const state = genesis.state;
  state.genesis_time = Math.floor(Date.now() / 1000) + genesisDelaySeconds;
  state.commit();
  writeFileAtomic(path, state.serialize());
  logger.info({validators, genesisTime: state.genesis_time, genesisValidatorsRoot: toHex(state.genesis_validators_root)}, "devnet genesis written");
  return {path, genesisTime: state.genesis_time, created: true};
}

async function run(opts: ParsedOptions): Promise<number> {
  const level = logLevelOption(opts);
  const preset = presetOption(opts) ?? "minimal";
  const nodes = intOption(opts, "nodes", 1, 64)!;
  const validators = intOption(opts, "validators", 1, 2 ** 20);
  if (validators === undefined) throw new InputError("missing required option --validators");
  const secondsPerSlot = intOption(opts, "seconds-per-slot", 1, 3600);
  const restPort = intOption(opts, "rest-port", 1, 65535 - nodes)!;
  const p2pPort = intOption(opts, "p2p-port", 1, 65535 - nodes)!;
  const dataDir = resolve(String(opts["data-dir"]));
  const nodeLogLevel = String(opts["node-log-level"]);
  if (!LOG_LEVELS.includes(nodeLogLevel)) throw new InputError(`--node-log-level must be one of ${LOG_LEVELS.join(", ")}, got "${nodeLogLevel}"`);

  const {farFutureForkEpochs} = await import("../../node/index.ts");
  const {useNetwork} = await import("../../params/index.ts");
  const overrides: Record<string, string> = farFutureForkEpochs(defaultConfigRaw(preset));
  if (secondsPerSlot !== undefined) overrides.SECONDS_PER_SLOT = String(secondsPerSlot);
  const config = useNetwork(preset, overrides);
  const logger = createLogger({level}).child({module: "devnet"});
  mkdirSync(dataDir, {recursive: true});

  // Every node must be up (REST, p2p, peered) before the first slot: a few seconds per node.
  const genesisDelay = intOption(opts, "genesis-delay", 0, 3600) ?? 10 + 3 * nodes;
  const genesis = await devnetGenesis(config, dataDir, validators, genesisDelay, logger);
  writeFileSync(join(dataDir, "config.yaml"), chainConfigYaml(config.raw));

  const plans = planDevnet({nodes, validators, dataDir, restPort, p2pPort});
  const nodeArgs = (plan: DevnetNodePlan, bootnodes: string[]): string[] => {
    const args = [
      "dev", "--genesis-state", genesis.path, "--preset", preset, "--data-dir", plan.dataDir,
      "--rest-port", String(plan.restPort), "--p2p-port", String(plan.p2pPort), "--log-level", nodeLogLevel,
      "--interop-indices", plan.validators === null ? "none" : `${plan.validators.from}..${plan.validators.to}`,
    ];
    if (secondsPerSlot !== undefined) args.push("--seconds-per-slot", String(secondsPerSlot));
    if (bootnodes.length > 0) args.push("--bootnodes", bootnodes.join(","));
    return args;
  };

  const {untilSignal} = await import("../../node/run.ts");
  const stopped = untilSignal(logger);
  const running: RunningNode[] = [];
  try {
    const first = startNode(plans[0], nodeArgs(plans[0], []), logger);
    running.push(first);
    const bootId = await waitForIdentity(first);
    const bootnodes = bootId.enr !== "" ? [bootId.enr] : [];
    for (const plan of plans.slice(1)) running.push(startNode(plan, nodeArgs(plan, bootnodes), logger));
    const ids = [bootId, ...(await Promise.all(running.slice(1).map(waitForIdentity)))];
    const lines = running.map((n, i) => {
      const v = n.plan.validators === null ? "no validators" : `validators ${n.plan.validators.from}..${n.plan.validators.to}`;
      return `node ${i}: http://127.0.0.1:${n.plan.restPort} p2p ${n.plan.p2pPort} peer ${ids[i].peerId} (${v}) pid ${n.proc.pid} log ${n.logPath}`;
    });
    process.stdout.write(
      `devnet of ${nodes} nodes, ${validators} validators, genesis ${new Date(genesis.genesisTime * 1000).toISOString()}` +
        ` (${genesis.created ? "new" : "stored"}) in ${dataDir}\n${lines.join("\n")}\nbootnode ENR: ${bootId.enr}\nCtrl-C stops all nodes.\n`
    );
    // Until a signal, or until every node has exited on its own.
    await Promise.race([stopped, Promise.all(running.map((n) => n.exited))]);
  } finally {
    await stopNodes(running);
  }
  const codes = await Promise.all(running.map((n) => n.exited));
  return codes.every((c) => c === 0 || c === null) ? 0 : 1;
}

export const devnetCommand: Command = {
  name: "devnet",
  summary: "Run a multi-process devnet on 127.0.0.1: K gnomon nodes sharing N interop validators",
  usage: "devnet --validators N [--nodes K] [options]",
  options: {
    nodes: {type: "string", description: "Node processes", default: "4", valueName: "K"},
    validators: {type: "string", description: "Interop validators, split evenly between the nodes (required)", valueName: "N"},
    "seconds-per-slot": {type: "string", description: "Slot time (default: the preset config's)", valueName: "S"},
    preset: {type: "string", description: "Preset: minimal or mainnet", default: "minimal", valueName: "name"},
    "data-dir": {type: "string", description: "genesis.ssz, config.yaml and node-<i>/ (data, node.log, command.txt)", default: "./data/devnet", valueName: "dir"},
    "rest-port": {type: "string", description: "REST port of node 0; node i uses rest-port + i", default: "5052", valueName: "port"},
    "p2p-port": {type: "string", description: "p2p port of node 0; node i uses p2p-port + i", default: "9000", valueName: "port"},
    "genesis-delay": {type: "string", description: "Seconds from now to the genesis of a new devnet (default: 10 + 3 per node)", valueName: "s"},
    "log-level": {type: "string", description: "Log level of the devnet's own lines", default: "info", valueName: "level"},
    "node-log-level": {type: "string", description: "Log level of the nodes (their logs go to node-<i>/node.log)", default: "info", valueName: "level"},
  },
  details: [
    "Node 0 is the bootnode: the others get its ENR. Each node runs `gnomon dev` with its share of the",
    "validators; the exact command line is in node-<i>/command.txt. A stopped node can be started again",
    "with it. Starting the devnet again on the same --data-dir continues the same chain.",
    "genesis.ssz and config.yaml let another client join (gnomon beacon --genesis-state --config, or Lodestar).",
    "",
    "Example: gnomon devnet --nodes 4 --validators 64 --seconds-per-slot 2 --data-dir /tmp/devnet",
  ].join("\n"),
  run,
};

/** The nodes run with this process's V8 flags (the young-generation bound), but never its debugger port. */
function nodeFlags(): string[] {
  return process.execArgv.filter((a) => !a.startsWith("--inspect"));
}
