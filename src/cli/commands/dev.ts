/**
 * `gnomon dev`: a single-machine devnet. A beacon node on an interop genesis (made on first
 * start, then read from the data dir) and, in the same process, a validator client for every
 * interop key that talks to the node over REST on loopback, as a separate client would.
 * Phase0 only: every later fork is scheduled at the far-future epoch.
 */
import {join} from "node:path";
import {type Command, type ParsedOptions, intOption} from "../command.ts";
import {defaultConfigRaw} from "../../params/index.ts";
import {InputError} from "../../util/errors.ts";
import {eth1EndpointOption, eth1EndpointSpec, logLevelOption, presetOption, restOptions, restOptionSpecs, slasherOption, slasherOptionSpecs, startOrInterrupted} from "./beacon.ts";
import {logFileOptionSpecs, metricsOption, metricsOptionSpecs, serveMetrics, setupLogging} from "./operatorOptions.ts";
import {p2pOptions, p2pOptionSpecs} from "./p2pOptions.ts";

/** Seconds between building a new genesis and its genesis time: the node and client start in it. */
const GENESIS_DELAY_SECONDS = 3;

async function run(opts: ParsedOptions): Promise<number> {
  const level = logLevelOption(opts);
  const rest = restOptions(opts);
  const preset = presetOption(opts);
  const validators = intOption(opts, "validators", 1, 2 ** 22);
  const secondsPerSlot = intOption(opts, "seconds-per-slot", 1, 3600);
  const genesisTime = intOption(opts, "genesis-time");
  const dataDir = String(opts["data-dir"]);
  const genesisState = typeof opts["genesis-state"] === "string" ? opts["genesis-state"] : undefined;
  if (genesisState !== undefined && (validators !== undefined || genesisTime !== undefined)) {
    throw new InputError("give either --genesis-state or --validators (with --genesis-time), not both");
  }
  const indicesSpec = typeof opts["interop-indices"] === "string" ? opts["interop-indices"] : undefined;
  const slasher = slasherOption(opts);
  const p2p = p2pOptions(opts);

  const {BeaconNode, farFutureForkEpochs} = await import("../../node/index.ts");
  const configOverrides = farFutureForkEpochs(defaultConfigRaw(preset ?? "minimal"));
  if (secondsPerSlot !== undefined) configOverrides.SECONDS_PER_SLOT = String(secondsPerSlot);
  const eth1Endpoint = eth1EndpointOption(opts);
  if (typeof opts.config === "string") {
    const {readConfigFile} = await import("../../node/index.ts");
    Object.assign(configOverrides, readConfigFile(opts.config).overrides);
  }

  const metricsAt = metricsOption(opts);
  const doppelganger = opts["doppelganger-protection"] === true;
  const logging = await setupLogging(opts, level);
  const logger = logging.logger;
  const {untilSignal} = await import("../../node/run.ts");
  const stopped = untilSignal(logger);
  const startAbort = new AbortController();
  void stopped.then(() => startAbort.abort());
  const {createBeaconMetrics, createValidatorMetrics} = await import("../../metrics/index.ts");
  const metrics = metricsAt === null ? undefined : createBeaconMetrics();
  const node = await startOrInterrupted(() =>
    BeaconNode.start({
      dataDir,
      network: {preset, configOverrides},
      defaultPreset: "minimal",
      genesis:
        genesisState !== undefined
          ? {type: "file", path: genesisState}
          : validators === undefined
            ? undefined
            : {type: "interop", validators, genesisTime, delaySeconds: GENESIS_DELAY_SECONDS},
      genesisFlags: "--validators N or --genesis-state FILE",
      rest,
      logger,
      eth1Endpoint,
      slasher,
      p2p,
      signal: startAbort.signal,
      metrics,
    })
  );
  if (node === null) {
    await logging.close();
    return 130;
  }
  const stored = node.chain.getHead().state.state.validators.length;
  if (validators !== undefined && validators !== stored) {
    await node.stop();
    throw new InputError(`the data dir holds a dev chain of ${stored} validators, not ${validators} (use another --data-dir)`);
  }

  const {startValidatorClient, parseInteropIndices} = await import("../../validator/index.ts");
  const interopIndices =
    indicesSpec === undefined ? Array.from({length: stored}, (_, i) => i) : indicesSpec === "none" ? [] : parseInteropIndices(indicesSpec);
  const beaconUrl = loopbackUrl(node.restUrl!);
  const vc =
    interopIndices.length === 0
      ? undefined
      : await startValidatorClient({
          beaconUrl,
          interopIndices,
          dataDir: join(dataDir, "validator"),
          logger: logger.child({module: "validator"}),
          signal: startAbort.signal,
          metrics: metrics === undefined ? undefined : createValidatorMetrics(metrics.register),
          doppelgangerProtection: doppelganger,
          config: node.chain.config,
        }).catch(async (e: unknown) => {
          await node.stop();
          await logging.close();
          // A signal while the client was still starting is a clean stop, not a failure.
          if (startAbort.signal.aborted) return null;
          throw e;
        });
  if (vc === null) return 0;
  let metricsServer = null;
  if (metricsAt !== null) {
    try {
      metricsServer = await serveMetrics(metricsAt, [metrics!.register], logger);
    } catch (e) {
      await vc?.stop();
      await node.stop();
      throw e;
    }
  }

  // The client also ends by itself when doppelganger protection finds a key live elsewhere.
  const vcEnded = await Promise.race([stopped.then(() => false), ...(vc === undefined ? [] : [vc.done.then(() => true)])]);
  await metricsServer?.close();
  await vc?.stop();
  await node.stop();
  await logging.close();
  return vcEnded && vc !== undefined ? vc.exitCode() : 0;
}

/** The URL the in-process client uses: loopback even when the API binds to every interface. */
function loopbackUrl(url: string): string {
  const u = new URL(url);
  if (u.hostname === "0.0.0.0" || u.hostname === "[::]" || u.hostname === "::") u.hostname = "127.0.0.1";
  return u.origin;
}

export const devCommand: Command = {
  name: "dev",
  summary: "Run a single-machine devnet: beacon node + validator client for N interop validators",
  usage: "dev --validators N [options]",
  options: {
    validators: {type: "string", description: "Interop validators of a new chain (a stored chain keeps its own)", valueName: "N"},
    "seconds-per-slot": {type: "string", description: "Slot time of a new chain (default: the preset config's)", valueName: "S"},
    preset: {type: "string", description: "Preset of a new chain: minimal or mainnet (default: minimal)", valueName: "name"},
    "genesis-time": {type: "string", description: "Genesis time of a new chain, unix seconds (default: a few seconds after start)", valueName: "T"},
    "data-dir": {type: "string", description: "Where the chain and the validator client's slashing protection live", default: "./data/dev", valueName: "dir"},
    config: {type: "string", description: "Chain config YAML applied over the preset's (e.g. the deposit contract of --eth1-endpoint)", valueName: "file"},
    ...eth1EndpointSpec,
    "genesis-state": {type: "string", description: "Genesis BeaconState (SSZ) of a new chain, instead of --validators", valueName: "file"},
    "interop-indices": {type: "string", description: "Interop validators this node runs, e.g. 0..15 or none (default: all)", valueName: "list"},
    ...restOptionSpecs,
    ...metricsOptionSpecs,
    ...logFileOptionSpecs,
    "doppelganger-protection": {type: "boolean", description: "Watch the keys' liveness for two epochs before signing; exit if one is live elsewhere"},
    ...slasherOptionSpecs,
    ...p2pOptionSpecs,
  },
  details: [
    "Starting again on the same --data-dir continues the same chain (genesis is read from the database);",
    "flags that contradict the stored chain are refused. Later forks are disabled (Gnomon is phase0 only).",
    "",
    "Examples:",
    "  gnomon dev --validators 64 --preset minimal",
    "  gnomon dev --validators 64 --seconds-per-slot 2 --data-dir /tmp/gnomon-dev --rest-port 5053",
    "  gnomon dev --config eth1.yaml --eth1-endpoint http://127.0.0.1:8545   # genesis from the contract's deposits of interop keys",
    "  gnomon dev --validators 64 --metrics --metrics-port 8009 --log-file /tmp/gnomon-dev.log",
  ].join("\n"),
  run,
};
