/**
 * `gnomon beacon`: a beacon node. Loads the chain from --data-dir, or creates it from
 * --genesis-state or an interop genesis; serves the REST API; runs until SIGINT/SIGTERM.
 */
import {type Command, type ParsedOptions, intOption} from "../command.ts";
import {isPresetName, type PresetName} from "../../params/index.ts";
import {InputError} from "../../util/errors.ts";
import {DEFAULT_HISTORY_EPOCHS, MAX_HISTORY_EPOCHS} from "../../slasher/limits.ts";
import {createLogger, type Logger} from "../../util/logger.ts";
import type {GenesisSource, NetworkRequest} from "../../node/index.ts";
import type {Checkpoint} from "../../types/index.ts";
import {logFileOptionSpecs, metricsOption, metricsOptionSpecs, serveMetrics, setupLogging} from "./operatorOptions.ts";
import {p2pOptions, p2pOptionSpecs} from "./p2pOptions.ts";

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"];

export function logLevelOption(opts: ParsedOptions): string {
  const level = String(opts["log-level"]);
  if (!LOG_LEVELS.includes(level)) throw new InputError(`--log-level must be one of ${LOG_LEVELS.join(", ")}, got "${level}"`);
  return level;
}

export function presetOption(opts: ParsedOptions): PresetName | undefined {
  const v = opts.preset;
  if (v === undefined) return undefined;
  if (typeof v !== "string" || !isPresetName(v)) throw new InputError(`--preset must be minimal or mainnet, got "${String(v)}"`);
  return v;
}

export function restOptions(opts: ParsedOptions): {address: string; port: number} {
  const address = String(opts["rest-address"]);
  if (address === "") throw new InputError("--rest-address must not be empty");
  return {address, port: intOption(opts, "rest-port", 0, 65535)!};
}

/** --slasher and --slasher-history: undefined when the slasher is off. */
export function slasherOption(opts: ParsedOptions): {historyEpochs: number; batchSlots: number} | undefined {
  const history = intOption(opts, "slasher-history", 2, MAX_HISTORY_EPOCHS);
  const batchSlots = intOption(opts, "slasher-batch-slots", 1, 1024);
  if (opts.slasher !== true) {
    if (history !== undefined || batchSlots !== undefined) throw new InputError("--slasher-history and --slasher-batch-slots need --slasher");
    return undefined;
  }
  return {historyEpochs: history ?? DEFAULT_HISTORY_EPOCHS, batchSlots: batchSlots ?? 1};
}

export const slasherOptionSpecs: Command["options"] = {
  slasher: {type: "boolean", description: "Run the slasher: detect double votes, surround votes and double proposals, and pool their slashings"},
  "slasher-history": {type: "string", description: `Epochs of history the slasher keeps (default ${DEFAULT_HISTORY_EPOCHS})`, valueName: "EPOCHS"},
  "slasher-batch-slots": {type: "string", description: "Slots between two slasher batches (default 1)", valueName: "N"},
};

export const restOptionSpecs: Command["options"] = {
  "rest-address": {type: "string", description: "Address the REST API binds to", default: "127.0.0.1", valueName: "ip"},
  "rest-port": {type: "string", description: "REST API port (0: any free port)", default: "5052", valueName: "port"},
  "log-level": {type: "string", description: `Log level (${LOG_LEVELS.join(", ")})`, default: "info", valueName: "level"},
};

async function run(opts: ParsedOptions): Promise<number> {
  const level = logLevelOption(opts);
  const rest = restOptions(opts);
  const preset = presetOption(opts);
  const dataDir = String(opts["data-dir"]);
  const network: NetworkRequest = {preset, configOverrides: {}};
  const {readConfigFile, BeaconNode} = await import("../../node/index.ts");
  if (typeof opts.config === "string") {
    const file = readConfigFile(opts.config);
    if (preset !== undefined && file.preset !== undefined && file.preset !== preset) {
      throw new InputError(`--config ${opts.config} is for the ${file.preset} preset, not ${preset}`);
    }
    network.preset ??= file.preset;
    network.configOverrides = file.overrides;
  }
  const genesis = genesisOption(opts);
  const checkpointSync = await checkpointSyncOption(opts);
  if (checkpointSync !== undefined && genesis !== undefined) throw new InputError("give either --checkpoint-sync-url or a genesis (--genesis-state, --interop-validators), not both");
  const metricsAt = metricsOption(opts);
  const logging = await setupLogging(opts, level);
  const logger: Logger = logging.logger;
  const {untilSignal} = await import("../../node/run.ts");
  const stopped = untilSignal(logger);
  const eth1Endpoint = eth1EndpointOption(opts);
  const slasher = slasherOption(opts);
  const p2p = p2pOptions(opts);
  const startAbort = new AbortController();
  void stopped.then(() => startAbort.abort());
  const metrics = metricsAt === null ? undefined : (await import("../../metrics/index.ts")).createBeaconMetrics();
  const node = await startOrInterrupted(() =>
    BeaconNode.start({dataDir, network, defaultPreset: "mainnet", genesis, rest, logger, eth1Endpoint, slasher, p2p, signal: startAbort.signal, checkpointSync, metrics})
  );
  if (node === null) {
    await logging.close();
    return 130;
  }
  let metricsServer = null;
  try {
    if (metricsAt !== null) metricsServer = await serveMetrics(metricsAt, [metrics!.register], logger);
  } catch (e) {
    await node.stop();
    throw e;
  }
  await stopped;
  await metricsServer?.close();
  await node.stop();
  await logging.close();
  return 0;
}

export function eth1EndpointOption(opts: ParsedOptions): string | undefined {
  const v = opts["eth1-endpoint"];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || !/^https?:\/\/./.test(v)) throw new InputError(`--eth1-endpoint must be an http(s) URL, got "${String(v)}"`);
  return v;
}

export const eth1EndpointSpec: Command["options"] = {
  "eth1-endpoint": {
    type: "string",
    description: "JSON-RPC URL of an execution node: follow the deposit contract (DEPOSIT_CONTRACT_ADDRESS, DEPOSIT_CONTRACT_DEPLOY_BLOCK), vote eth1 data, include deposits; without a genesis, compute it from the contract",
    valueName: "url",
  },
};

/** Runs a node start; an interrupted one (SIGINT during start-up) resolves to null. */
export async function startOrInterrupted<T>(start: () => Promise<T>): Promise<T | null> {
  const {StartAbortedError} = await import("../../node/index.ts");
  try {
    return await start();
  } catch (e) {
    if (e instanceof StartAbortedError) {
      console.error(`gnomon: ${e.message}`);
      return null;
    }
    throw e;
  }
}

async function checkpointSyncOption(opts: ParsedOptions): Promise<{url: string; wss?: Checkpoint} | undefined> {
  const url = opts["checkpoint-sync-url"];
  const wss = opts["wss-checkpoint"];
  if (url === undefined) {
    if (wss !== undefined) throw new InputError("--wss-checkpoint is only used with --checkpoint-sync-url");
    return undefined;
  }
  const {parseCheckpointSyncUrl, parseWssCheckpoint} = await import("../../node/index.ts");
  return {url: parseCheckpointSyncUrl(String(url)), wss: wss === undefined ? undefined : parseWssCheckpoint(String(wss))};
}

function genesisOption(opts: ParsedOptions): GenesisSource | undefined {
  const file = opts["genesis-state"];
  const validators = intOption(opts, "interop-validators", 1);
  const genesisTime = intOption(opts, "genesis-time");
  if (typeof file === "string") {
    if (validators !== undefined) throw new InputError("give either --genesis-state or --interop-validators, not both");
    return {type: "file", path: file};
  }
  if (validators !== undefined) {
    if (genesisTime === undefined) throw new InputError("--interop-validators needs --genesis-time (unix seconds)");
    return {type: "interop", validators, genesisTime};
  }
  if (genesisTime !== undefined) throw new InputError("--genesis-time is only used with --interop-validators");
  return undefined;
}

export const beaconCommand: Command = {
  name: "beacon",
  summary: "Run a beacon node (chain, database, libp2p network, REST API)",
  usage: "beacon [options]",
  options: {
    "data-dir": {type: "string", description: "Where the node keeps its database and key", default: "./data", valueName: "dir"},
    preset: {type: "string", description: "Preset of a new chain: mainnet or minimal (default: the stored chain's, else a --genesis-state's own, else mainnet)", valueName: "name"},
    config: {type: "string", description: "Chain config YAML for a new chain (consensus-specs configs format)", valueName: "file"},
    "genesis-state": {type: "string", description: "Genesis BeaconState (SSZ) for a new chain", valueName: "file"},
    "interop-validators": {type: "string", description: "Build an interop genesis with N validators for a new chain", valueName: "N"},
    "genesis-time": {type: "string", description: "Genesis time of the interop genesis (unix seconds)", valueName: "T"},
    ...eth1EndpointSpec,
    "checkpoint-sync-url": {type: "string", description: "Start a new chain from this node's finalized block and state (its REST API)", valueName: "url"},
    "wss-checkpoint": {type: "string", description: "Weak-subjectivity checkpoint the fetched block must be (with --checkpoint-sync-url)", valueName: "root:epoch"},
    ...restOptionSpecs,
    ...metricsOptionSpecs,
    ...logFileOptionSpecs,
    ...slasherOptionSpecs,
    ...p2pOptionSpecs,
  },
  details: [
    "A data dir remembers its chain: later starts load it (genesis flags are then only checked),",
    "and a --preset or --config that contradicts it is refused. SIGINT/SIGTERM stop the node cleanly.",
    "A --genesis-state without --preset runs the preset the state is of; its fork version must be the",
    "config's GENESIS_FORK_VERSION. A start that fails or is interrupted leaves no chain behind.",
    "--checkpoint-sync-url fetches the source's finalized block and the state after it (or the",
    "--wss-checkpoint's block), checks block.state_root = hash_tree_root(state), and starts there;",
    "GET /gnomon/v1/node/block_range tells which blocks the node holds. With --bootnodes or",
    "--static-peers it then syncs forward from the anchor and backfills the blocks before it.",
    "",
    "Examples:",
    "  gnomon beacon --preset minimal --interop-validators 64 --genesis-time $(($(date +%s) + 30))",
    "  gnomon beacon --genesis-state genesis.ssz --config config.yaml --rest-port 5052",
    "  gnomon beacon --config config.yaml --eth1-endpoint http://127.0.0.1:8545   # genesis from the deposit contract",
    "  gnomon beacon --preset minimal --checkpoint-sync-url http://127.0.0.1:5052 --data-dir /tmp/cp --rest-port 5053",
    "  gnomon beacon --metrics --log-file /var/log/gnomon/beacon.log",
    "  gnomon beacon --genesis-state genesis.ssz --p2p-port 9001 --bootnodes enr:-Iu4Q...",
  ].join("\n"),
  run,
};
