/**
 * `gnomon validator`: a validator client for a beacon node's REST API, and
 * `gnomon validator slashing-protection export|import|run-test` for its EIP-3076 database.
 */
import {existsSync} from "node:fs";
import {readFile, writeFile} from "node:fs/promises";
import {type Command, type ParsedOptions, intOption} from "../command.ts";
import {fromHex, toHex} from "../../util/bytes.ts";
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
  const keymanager = opts.keymanager === true;
  if (interop !== undefined && keystoreDir !== undefined) throw new InputError("give either --interop-indices or --keystores (with --password-file), not both");
  if (interop === undefined && keystoreDir === undefined && !keymanager) {
    throw new InputError("give --interop-indices or --keystores (with --password-file), or --keymanager to import keys through the keymanager API");
  }
  const keymanagerPort = intOption(opts, "keymanager-port", 0, 65535)!;
  const tokenFile = optionalString(opts, "keymanager-token-file");
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
      keymanager: keymanager ? {port: keymanagerPort, tokenFile} : undefined,
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
  options: {},
  details: [
    "The store keeps every signed message (the complete strategy): each check is judged by",
    "should_succeed_complete (should_succeed in older files), and a refusal of a message that",
    "must be signed fails the test as much as signing one that must be refused.",
    "Prints one PASS/FAIL line per file and `N passed, M failed`; exits 1 if any failed.",
  ].join("\n"),
  async run(_opts, positionals) {
    if (positionals.length === 0) throw new InputError("run-test needs at least one test FILE");
    const {runInterchangeTestFile, SLASHING_PROTECTION_STRATEGY} = await import("../../validator/slashingProtection/index.ts");
    console.log(`strategy: ${SLASHING_PROTECTION_STRATEGY}`);
    let passed = 0;
    let failed = 0;
    for (const file of positionals) {
      try {
        const r = await runInterchangeTestFile(file);
        if (r.passed) {
          passed++;
          console.log(`PASS ${file}: ${r.name}`);
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

/** The words a staker types to confirm an exit: it cannot be undone. */
const EXIT_PHRASE = "Exit my validator";

async function confirmExit(summary: string): Promise<boolean> {
  const {createInterface} = await import("node:readline/promises");
  const rl = createInterface({input: process.stdin, output: process.stdout});
  try {
    console.log(summary);
    console.log("A voluntary exit cannot be undone: the validator stops validating for good once it is exited.");
    const closed = new Promise<string>((resolve) => rl.once("close", () => resolve("")));
    const answer = await Promise.race([rl.question(`Type "${EXIT_PHRASE}" to continue: `), closed]);
    return answer.trim() === EXIT_PHRASE;
  } finally {
    rl.close();
  }
}

async function runExit(opts: ParsedOptions): Promise<number> {
  const keystoreFile = optionalString(opts, "keystore");
  const passwordFile = optionalString(opts, "password-file");
  if (keystoreFile === undefined || passwordFile === undefined) throw new InputError("exit needs --keystore FILE and --password-file FILE");
  const epochOption = intOption(opts, "epoch");
  const url = await beaconUrl(opts);

  const {decryptKeystore, parseKeystoreText, readPasswordFile} = await import("../../validator/keystore/index.ts");
  const {BeaconApiClient} = await import("../../validator/index.ts");
  const {adoptNodeNetwork} = await import("../../validator/nodeSpec.ts");
  const {SigningContext} = await import("../../validator/signing/signingContext.ts");
  const {assertCanExit, signVoluntaryExit, ExitError} = await import("../../validator/exit/voluntaryExit.ts");
  const {SlotClock} = await import("../../clock/index.ts");
  // Read through the namespace: adoptNodeNetwork replaces the active preset.
  const params = await import("../../params/index.ts");

  let text: string;
  try {
    text = await readFile(keystoreFile, "utf8");
  } catch (e) {
    throw new InputError(`cannot read keystore ${keystoreFile}: ${(e as NodeJS.ErrnoException).code ?? errorMessage(e)}`);
  }
  const key = await decryptKeystore(parseKeystoreText(text), await readPasswordFile(passwordFile));

  const api = new BeaconApiClient({baseUrl: url, timeoutMs: 10_000});
  const genesis = await api.getGenesis();
  if (genesis === null) throw new InputError("the beacon node does not know genesis yet: no validator can exit");
  const config = adoptNodeNetwork(await api.getSpec());
  const context = new SigningContext(genesis.genesisValidatorsRoot, await api.getForkSchedule());
  const clock = new SlotClock({
    genesisTime: genesis.genesisTime,
    slotDurationMs: config.SLOT_DURATION_MS,
    slotsPerEpoch: params.SLOTS_PER_EPOCH,
    attestationDueBps: config.ATTESTATION_DUE_BPS,
    aggregateDueBps: config.AGGREGATE_DUE_BPS,
  });
  const currentEpoch = clock.isBeforeGenesis() ? 0 : clock.currentEpoch;
  const epoch = epochOption ?? currentEpoch;
  const validator = assertCanExit(await api.getValidatorState(key.pubkey), epoch, currentEpoch, config.SHARD_COMMITTEE_PERIOD);

  const summary = `Validator ${validator.index} (${toHex(key.pubkey)}), status ${validator.status}: voluntary exit at epoch ${epoch} via ${url}`;
  if (opts.yes !== true && !(await confirmExit(summary))) {
    throw new ExitError("EXIT_NOT_CONFIRMED", `not confirmed: nothing was signed (type "${EXIT_PHRASE}" exactly, or pass --yes)`);
  }
  const signed = signVoluntaryExit(key.secretKey, validator.index, epoch, context);
  await api.submitVoluntaryExit(signed);
  console.log(`voluntary exit of validator ${validator.index} at epoch ${epoch} submitted (signature ${toHex(signed.signature)})`);
  console.log("its status becomes active_exiting once a block includes the exit, then exited_unslashed at its exit epoch");
  return 0;
}

const exitCommand: Command = {
  name: "exit",
  summary: "Sign a voluntary exit for a keystore's validator and submit it to a beacon node",
  usage: "exit --keystore FILE --password-file FILE [options]",
  options: {
    keystore: {type: "string", description: "EIP-2335 keystore of the validator", valueName: "file"},
    "password-file": {type: "string", description: "File holding the keystore's password", valueName: "file"},
    "beacon-node": {type: "string", description: "The beacon node's REST API", default: DEFAULT_BEACON_NODE, valueName: "url"},
    epoch: {type: "string", description: "Epoch of the exit (default: the current epoch)", valueName: "e"},
    yes: {type: "boolean", description: `Do not ask to type "${EXIT_PHRASE}"`},
  },
  details: [
    "Checks first that the node knows the validator, that it is active and not exiting, and that it",
    "has been active for SHARD_COMMITTEE_PERIOD epochs; signs with DOMAIN_VOLUNTARY_EXIT and posts",
    "to /eth/v1/beacon/pool/voluntary_exits.",
  ].join("\n"),
  run: runExit,
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
  usage: "validator (--interop-indices LIST | --keystores DIR --password-file F | --keymanager) [options]",
  options: {
    "beacon-node": {type: "string", description: "The beacon node's REST API", default: DEFAULT_BEACON_NODE, valueName: "url"},
    "data-dir": {type: "string", description: "Where the slashing-protection database lives", default: DEFAULT_DATA_DIR, valueName: "dir"},
    keystores: {type: "string", description: "Directory of EIP-2335 keystores (*.json)", valueName: "dir"},
    "password-file": {type: "string", description: "File holding the keystores' password", valueName: "file"},
    "interop-indices": {type: "string", description: "Interop keys for development, e.g. 0..63 or 0,5,7..9", valueName: "list"},
    graffiti: {type: "string", description: "Up to 32 bytes of UTF-8 for proposed blocks", valueName: "text"},
    "log-level": {type: "string", description: `Log level (${LOG_LEVELS.join(", ")})`, default: "info", valueName: "level"},
    keymanager: {type: "boolean", description: "Serve the keymanager API (keystores, graffiti, exits) on 127.0.0.1"},
    "keymanager-port": {type: "string", description: "Keymanager API port (0: any free port)", default: "5062", valueName: "port"},
    "keymanager-token-file": {type: "string", description: "Bearer token file (default: <data-dir>/keymanager/api-token.txt, created 0600)", valueName: "file"},
    "doppelganger-protection": {
      type: "boolean",
      description: "Sign nothing until the keys were seen not live elsewhere for a whole epoch; exit with status 1 if one is",
    },
    ...metricsOptionSpecs,
    ...logFileOptionSpecs,
  },
  subcommands: [slashingProtectionCommand, exitCommand],
  details: [
    "The client follows the node's network (preset and config from /eth/v1/config/spec) and signs",
    "nothing slashable: every block and attestation is recorded in the slashing-protection",
    "database before it is signed. Keys the chain does not know, or whose deposit is pending, are",
    "named in a warning each epoch. --beacon-node is the node's base URL (no /eth/v1 path).",
    "",
    "Examples:",
    "  gnomon validator --interop-indices 0..63",
    "  gnomon validator --keystores ./keys --password-file ./password.txt --beacon-node http://127.0.0.1:5052",
    "  gnomon validator --keymanager --data-dir ./vc   # keys imported over the keymanager API",
    "  gnomon validator --interop-indices 0..63 --doppelganger-protection --metrics --metrics-port 8009",
    "  gnomon validator slashing-protection export --out protection.json",
    "  gnomon validator slashing-protection run-test tests/*.json",
    "  gnomon validator exit --keystore ./keys/keystore-m_12381_3600_0_0_0-1700000000.json --password-file ./password.txt",
  ].join("\n"),
  run: runClient,
};
