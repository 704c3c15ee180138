// Runs the published Lodestar 1.5.1 validator client (library, unmodified) for interop keys
// against a beacon node over the standard REST API, as its own CLI would: local keys, a level
// slashing-protection database, no doppelganger check.
//
//   LODESTAR_PRESET=minimal node run.mjs --beacon-node URL --indices FROM..TO --db DIR --graffiti TEXT
//
// The chain config is the node's own (/eth/v1/config/spec): the client refuses to start when its
// config and the node's differ, and forks the node does not schedule are left unscheduled.
// SIGINT or SIGTERM closes the client and its database, then exits 0.
import {parseArgs} from "node:util";

const {values: args} = parseArgs({
  options: {
    "beacon-node": {type: "string"},
    indices: {type: "string"},
    db: {type: "string"},
    graffiti: {type: "string", default: "lodestar-vc"},
    "log-level": {type: "string", default: "info"},
  },
});
const range = /^(\d+)\.\.(\d+)$/.exec(args.indices ?? "");
if (args["beacon-node"] === undefined || range === null || args.db === undefined) {
  console.error("usage: run.mjs --beacon-node URL --indices FROM..TO --db DIR [--graffiti TEXT] [--log-level L]");
  process.exit(2);
}
if (process.env.LODESTAR_PRESET === undefined) {
  console.error("run.mjs: set LODESTAR_PRESET (minimal or mainnet) to the node's preset");
  process.exit(2);
}

// Imported after the checks: @lodestar/params reads LODESTAR_PRESET when loaded.
const {getClient} = await import("@lodestar/api");
const {createIChainForkConfig, defaultChainConfig} = await import("@lodestar/config");
const {Validator, SlashingProtection, SignerType} = await import("@lodestar/validator");
const {LevelDbController} = await import("@lodestar/db");
const {interopSecretKey} = await import("@lodestar/state-transition");
const {WinstonLogger} = await import("@lodestar/utils");
const {fromHexString} = await import("@chainsafe/ssz");
const winston = (await import("winston")).default;

const url = args["beacon-node"];
const level = args["log-level"];
const logger = WinstonLogger.fromOpts({level, module: "vc"}, [new winston.transports.Console({level})]);

const res = await fetch(`${url}/eth/v1/config/spec`);
if (!res.ok) throw new Error(`GET /eth/v1/config/spec: ${res.status}`);
const spec = (await res.json()).data;
const FAR_FUTURE = "18446744073709551615";
const values = {...defaultChainConfig};
for (const [key, def] of Object.entries(defaultChainConfig)) {
  const v = spec[key];
  if (v === undefined) continue;
  if (typeof def === "number") values[key] = v === FAR_FUTURE ? Infinity : Number(v);
  else if (typeof def === "bigint") values[key] = BigInt(v);
  else if (def instanceof Uint8Array) values[key] = fromHexString(v);
  else values[key] = v;
}
for (const key of Object.keys(values)) if (key.endsWith("_FORK_EPOCH") && spec[key] === undefined) values[key] = Infinity;
const config = createIChainForkConfig(values);

const controller = new LevelDbController({name: args.db}, {});
await controller.start();
const dbOps = {config, controller};
const signers = [];
for (let i = Number(range[1]); i <= Number(range[2]); i++) signers.push({type: SignerType.Local, secretKey: interopSecretKey(i)});

const abortController = new AbortController();
const validator = await Validator.initializeFromBeaconNode({
  dbOps,
  slashingProtection: new SlashingProtection(dbOps),
  api: getClient({baseUrl: url}, {config}),
  logger,
  processShutdownCallback: (e) => {
    logger.error("validator client shut down", {}, e);
    process.exit(1);
  },
  abortController,
  signers,
  doppelgangerProtectionEnabled: false,
  valProposerConfig: {
    proposerConfig: {},
    defaultConfig: {
      graffiti: args.graffiti,
      strictFeeRecipientCheck: false,
      feeRecipient: "0x0000000000000000000000000000000000000000",
      builder: {},
    },
  },
});
logger.info("validator client started", {validators: signers.length});

let closing = false;
const close = async () => {
  if (closing) return;
  closing = true;
  abortController.abort();
  await validator.close();
  await controller.stop();
  process.exit(0);
};
process.on("SIGINT", close);
process.on("SIGTERM", close);
