/**
 * `gnomon beacon`: a beacon node. Loads the chain from --data-dir, or creates it from
 * --genesis-state or an interop genesis; serves the REST API; runs until SIGINT/SIGTERM.
 */
import {type Command, type ParsedOptions, intOption} from "../command.ts";
import {isPresetName, type PresetName} from "../../params/index.ts";
import {InputError} from "../../util/errors.ts";
import {createLogger, type Logger} from "../../util/logger.ts";
import type {GenesisSource, NetworkRequest} from "../../node/index.ts";
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
  const p2p = p2pOptions(opts);
  const logger: Logger = createLogger({level});
  const {untilSignal} = await import("../../node/run.ts");
  const stopped = untilSignal(logger);
  const node = await BeaconNode.start({dataDir, network, defaultPreset: "mainnet", genesis, rest, logger, p2p});
  await stopped;
  await node.stop();
  return 0;
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
    preset: {type: "string", description: "Preset of a new chain: mainnet or minimal (default: the stored chain's, else mainnet)", valueName: "name"},
    config: {type: "string", description: "Chain config YAML for a new chain (consensus-specs configs format)", valueName: "file"},
    "genesis-state": {type: "string", description: "Genesis BeaconState (SSZ) for a new chain", valueName: "file"},
    "interop-validators": {type: "string", description: "Build an interop genesis with N validators for a new chain", valueName: "N"},
    "genesis-time": {type: "string", description: "Genesis time of the interop genesis (unix seconds)", valueName: "T"},
    ...restOptionSpecs,
    ...p2pOptionSpecs,
  },
  details: [
    "A data dir remembers its chain: later starts load it (genesis flags are then only checked),",
    "and a --preset or --config that contradicts it is refused. SIGINT/SIGTERM stop the node cleanly.",
    "",
    "Examples:",
    "  gnomon beacon --preset minimal --interop-validators 64 --genesis-time $(($(date +%s) + 30))",
    "  gnomon beacon --genesis-state genesis.ssz --config config.yaml --rest-port 5052",
    "  gnomon beacon --genesis-state genesis.ssz --p2p-port 9001 --bootnodes enr:-Iu4Q...",
  ].join("\n"),
  run,
};
