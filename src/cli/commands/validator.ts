/**
 * `gnomon validator`: a validator client for a beacon node's REST API, and
 * `gnomon validator slashing-protection export|import|run-test` for its EIP-3076 database.
 */
import {existsSync} from "node:fs";
import {readFile, writeFile} from "node:fs/promises";
import {type Command, type ParsedOptions} from "../command.ts";
import {fromHex} from "../../util/bytes.ts";
import {errorMessage, GnomonError, InputError} from "../../util/errors.ts";
import type {Logger} from "../../util/logger.ts";
import {logFileOptionSpecs, metricsOption, metricsOptionSpecs, serveMetrics, setupLogging} from "./operatorOptions.ts";

const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"];
const DEFAULT_BEACON_NODE = "http://127.0.0.1:5052";
const DEFAULT_DATA_DIR = "./data/validator";

function logLevel(opts: ParsedOptions): string {
  const level = String(opts["log-level"]);
  if (!LOG_LEVELS.includes(level)) throw new InputError(`--log-level must be one of ${LOG_LEVELS.join(", ")}, got "${level}"`);
  return level;
}

async function beaconUrl(opts: ParsedOptions): Promise<string> {
  const {checkBeaconNodeUrl} = await import("../../validator/index.ts");
  return checkBeaconNodeUrl(String(opts["beacon-node"]));
}

function optionalString(opts: ParsedOptions, name: string): string | undefined {
  const v = opts[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || v === "") throw new InputError(`--${name} needs a value`);
  return v;
}

/** Resolves on the first SIGINT/SIGTERM; a second one exits at once (a stop that hangs). */
function untilSignal(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    let received = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (received) process.exit(130);
      received = true;
      logger.info(`${signal} received: stopping`);
      resolve();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}

async function runClient(opts: ParsedOptions): Promise<number> {
  const level = logLevel(opts);
  const url = await beaconUrl(opts);
  const interop = optionalString(opts, "interop-indices");
  const keystoreDir = optionalString(opts, "keystores");
  const passwordFile = optionalString(opts, "password-file");
  if ((interop === undefined) === (keystoreDir === undefined)) throw new InputError("give either --interop-indices or --keystores (with --password-file)");
  if (keystoreDir !== undefined && passwordFile === undefined) throw new InputError("--keystores needs --password-file");
  if (keystoreDir === undefined && passwordFile !== undefined) throw new InputError("--password-file is only used with --keystores");

  const {parseInteropIndices, startValidatorClient, encodeGraffiti} = await import("../../validator/index.ts");
  const graffiti = optionalString(opts, "graffiti");
  encodeGraffiti(graffiti);
  const interopIndices = interop === undefined ? undefined : parseInteropIndices(interop);
  const metricsAt = metricsOption(opts);
  const logging = await setupLogging(opts, level);
  const logger = logging.logger.child({module: "validator"});
  const stopped = untilSignal(logger);
  let metrics;
  if (metricsAt !== null) {
    const {createValidatorMetrics} = await import("../../metrics/index.ts");
    const {collectDefaultMetrics, Registry} = await import("prom-client");
    const register = new Registry();
    collectDefaultMetrics({register});
    metrics = createValidatorMetrics(register);
  }
  const controller = new AbortController();
  void stopped.then(() => controller.abort());

  let client;
  try {
    client = await startValidatorClient({
      beaconUrl: url,
      interopIndices,
      keystores: keystoreDir === undefined ? undefined : {dir: keystoreDir, passwordFile: passwordFile!},
      dataDir: String(opts["data-dir"]),
      graffiti,
      logger,
      signal: controller.signal,
      adoptNodeNetwork: true,
      metrics,
      doppelgangerProtection: opts["doppelganger-protection"] === true,
    });
  } catch (e) {
    await logging.close();
    if (controller.signal.aborted) return 0;
    throw e;
  }
  const server = metricsAt === null ? null : await serveMetrics(metricsAt, [metrics!.register], logger).catch(async (e: unknown) => {
    await client.stop();
    throw e;
  });
  // The client also ends by itself: doppelganger protection found a key live elsewhere.
  await Promise.race([stopped, client.done]);
  await server?.close();
  await client.stop();
  await logging.close();
  return client.exitCode();
}

/** The chain's genesis validators root: given, or asked of the node. */
async function genesisValidatorsRoot(opts: ParsedOptions): Promise<Uint8Array> {
  const given = optionalString(opts, "genesis-validators-root");
  if (given !== undefined) {
    try {
      return fromHex(given, 32);
    } catch {
      throw new InputError(`--genesis-validators-root must be 32 bytes of 0x-hex, got "${given}"`);
    }
  }
  const {BeaconApiClient} = await import("../../validator/index.ts");
  const api = new BeaconApiClient({baseUrl: await beaconUrl(opts), timeoutMs: 10_000});
  let genesis;
  try {
    genesis = await api.getGenesis();
  } catch (e) {
    throw new InputError(`cannot get the genesis validators root from the beacon node (${errorMessage(e)}); give --genesis-validators-root when offline`);
  }
  if (genesis === null) throw new InputError("the beacon node does not know genesis yet; give --genesis-validators-root");
  return genesis.genesisValidatorsRoot;
}

/** The database export/import use: found where `gnomon validator` or `gnomon dev` keep it, never created by a typo. */
async function protectionPath(opts: ParsedOptions, forImport: boolean): Promise<string> {
  const {locateSlashingProtection} = await import("../../validator/index.ts");
  const dataDir = String(opts["data-dir"]);
  return locateSlashingProtection(dataDir, {isDefaultDataDir: dataDir === DEFAULT_DATA_DIR, forImport});
}

const offlineOptions: Command["options"] = {
  "data-dir": {
    type: "string",
    description: "The validator client's data dir, or gnomon dev's (its validator/ is used); the default also finds ./data/dev",
    default: DEFAULT_DATA_DIR,
    valueName: "dir",
  },
  "beacon-node": {type: "string", description: "Beacon node to read the genesis validators root from", default: DEFAULT_BEACON_NODE, valueName: "url"},
  "genesis-validators-root": {type: "string", description: "The chain's genesis validators root (instead of asking the node)", valueName: "0x..."},
};

const exportCommand: Command = {
  name: "export",
  summary: "Write the slashing-protection history as EIP-3076 (v5) interchange JSON",
  usage: "export --out FILE [options]",
  options: {out: {type: "string", description: "File to write", valueName: "file"}, ...offlineOptions},
  details: "Stop the validator client first: a running client keeps signing, and the file would be stale at once.",
  async run(opts) {
    const out = optionalString(opts, "out");
    if (out === undefined) throw new InputError("missing required option --out");
    const path = await protectionPath(opts, false);
    const gvr = await genesisValidatorsRoot(opts);
    const {exportInterchange} = await import("../../validator/slashingProtection/index.ts");
    const interchange = await exportInterchange(path, gvr);
    await writeFile(out, JSON.stringify(interchange, null, 2) + "\n");
    const blocks = interchange.data.reduce((n, d) => n + d.signed_blocks.length, 0);
    const attestations = interchange.data.reduce((n, d) => n + d.signed_attestations.length, 0);
    console.log(`exported ${interchange.data.length} validators (${blocks} blocks, ${attestations} attestations) from ${path} to ${out}`);
  },
};

const importCommand: Command = {
  name: "import",
  summary: "Import an EIP-3076 (v5) interchange file into the slashing-protection database",
  usage: "import FILE [options]",
  options: offlineOptions,
  details: "Stop the validator client first. The import is all or nothing. A data dir without a database gets a new one (its parent folder must exist).",
  async run(opts, positionals) {
    if (positionals.length !== 1) throw new InputError("import takes exactly one interchange FILE");
    const path = await protectionPath(opts, true);
    const gvr = await genesisValidatorsRoot(opts);
    let text: string;
    try {
      text = await readFile(positionals[0], "utf8");
    } catch (e) {
      throw new InputError(`cannot read ${positionals[0]}: ${(e as NodeJS.ErrnoException).code ?? errorMessage(e)}`);
    }
    const {importInterchange} = await import("../../validator/slashingProtection/index.ts");
    const isNew = !existsSync(path);
    const summary = await importInterchange(path, text, gvr);
    console.log(`imported ${summary.validators} validators (${summary.blocks} blocks, ${summary.attestations} attestations) into ${path}${isNew ? " (a new database)" : ""}`);
  },
};

const runTestCommand: Command = {
  name: "run-test",
  summary: "Run slashing-protection interchange test files, each against a fresh database",
  usage: "run-test FILE... [options]",
  options: {strict: {type: "boolean", description: "Count refusals of safe messages (false positives) as failures"}},
  details: "Prints one PASS/FAIL line per file and `N passed, M failed`; exits 1 if any failed.",
  async run(opts, positionals) {
    if (positionals.length === 0) throw new InputError("run-test needs at least one test FILE");
    const {runInterchangeTestFile} = await import("../../validator/slashingProtection/index.ts");
    let passed = 0;
    let failed = 0;
    for (const file of positionals) {
      try {
        const r = await runInterchangeTestFile(file, {strict: opts.strict === true});
        if (r.passed) {
          passed++;
          const fp = r.falsePositives.length > 0 ? ` (${r.falsePositives.length} safe message(s) refused)` : "";
          console.log(`PASS ${file}: ${r.name}${fp}`);
        } else {
          failed++;
          console.log(`FAIL ${file}: ${r.name}: step ${r.mismatch!.step} ${r.mismatch!.description} (expected ${r.mismatch!.expected ? "success" : "refusal"})`);
        }
      } catch (e) {
        failed++;
        console.log(`FAIL ${file}: ${e instanceof GnomonError ? `${e.code}: ` : ""}${errorMessage(e)}`);
      }
    }
    console.log(`${passed} passed, ${failed} failed`);
    return failed > 0 ? 1 : 0;
  },
};

const slashingProtectionCommand: Command = {
  name: "slashing-protection",
  summary: "Export, import or test the slashing-protection database (EIP-3076)",
  usage: "slashing-protection <export|import|run-test> [options]",
  options: {},
  subcommands: [exportCommand, importCommand, runTestCommand],
};

export const validatorCommand: Command = {
  name: "validator",
  summary: "Run a validator client against a beacon node's REST API",
  usage: "validator (--interop-indices LIST | --keystores DIR --password-file F) [options]",
  options: {
    "beacon-node": {type: "string", description: "The beacon node's REST API", default: DEFAULT_BEACON_NODE, valueName: "url"},
    "data-dir": {type: "string", description: "Where the slashing-protection database lives", default: DEFAULT_DATA_DIR, valueName: "dir"},
    keystores: {type: "string", description: "Directory of EIP-2335 keystores (*.json)", valueName: "dir"},
    "password-file": {type: "string", description: "File holding the keystores' password", valueName: "file"},
    "interop-indices": {type: "string", description: "Interop keys for development, e.g. 0..63 or 0,5,7..9", valueName: "list"},
    graffiti: {type: "string", description: "Up to 32 bytes of UTF-8 for proposed blocks", valueName: "text"},
    "log-level": {type: "string", description: `Log level (${LOG_LEVELS.join(", ")})`, default: "info", valueName: "level"},
    "doppelganger-protection": {
      type: "boolean",
      description: "Sign nothing until the keys were seen not live elsewhere for a whole epoch; exit with status 1 if one is",
    },
    ...metricsOptionSpecs,
    ...logFileOptionSpecs,
  },
  subcommands: [slashingProtectionCommand],
  details: [
    "The client follows the node's network (preset and config from /eth/v1/config/spec) and signs",
    "nothing slashable: every block and attestation is recorded in the slashing-protection",
    "database before it is signed. Keys the chain does not know, or whose deposit is pending, are",
    "named in a warning each epoch. --beacon-node is the node's base URL (no /eth/v1 path).",
    "",
    "Examples:",
    "  gnomon validator --interop-indices 0..63",
    "  gnomon validator --keystores ./keys --password-file ./password.txt --beacon-node http://127.0.0.1:5052",
    "  gnomon validator --interop-indices 0..63 --doppelganger-protection --metrics --metrics-port 8009",
    "  gnomon validator slashing-protection export --out protection.json",
    "  gnomon validator slashing-protection run-test tests/*.json",
  ].join("\n"),
  run: runClient,
};
