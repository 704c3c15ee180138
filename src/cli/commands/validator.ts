/**
 * `gnomon validator`: a validator client for a beacon node's REST API, and
 * `gnomon validator slashing-protection export|import|run-test` for its EIP-3076 database.
 */
import {readFile, writeFile} from "node:fs/promises";
import {type Command, type ParsedOptions} from "../command.ts";
import {fromHex} from "../../util/bytes.ts";
import {errorMessage, GnomonError, InputError} from "../../util/errors.ts";
import {createLogger, type Logger} from "../../util/logger.ts";

const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"];
const DEFAULT_BEACON_NODE = "http://127.0.0.1:5052";
const DEFAULT_DATA_DIR = "./data/validator";

function logLevel(opts: ParsedOptions): string {
  const level = String(opts["log-level"]);
  if (!LOG_LEVELS.includes(level)) throw new InputError(`--log-level must be one of ${LOG_LEVELS.join(", ")}, got "${level}"`);
  return level;
}

function beaconUrl(opts: ParsedOptions): string {
  const url = String(opts["beacon-node"]);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(`--beacon-node must be a URL such as ${DEFAULT_BEACON_NODE}, got "${url}"`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new InputError(`--beacon-node must be an http(s) URL, got "${url}"`);
  return url;
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
  const url = beaconUrl(opts);
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
  const logger = createLogger({level}).child({module: "validator"});
  const stopped = untilSignal(logger);
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
    });
  } catch (e) {
    if (controller.signal.aborted) return 0;
    throw e;
  }
  await stopped;
  await client.stop();
  return 0;
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
  const api = new BeaconApiClient({baseUrl: beaconUrl(opts), timeoutMs: 10_000});
  let genesis;
  try {
    genesis = await api.getGenesis();
  } catch (e) {
    throw new InputError(`cannot get the genesis validators root from the beacon node (${errorMessage(e)}); give --genesis-validators-root when offline`);
  }
  if (genesis === null) throw new InputError("the beacon node does not know genesis yet; give --genesis-validators-root");
  return genesis.genesisValidatorsRoot;
}

const offlineOptions: Command["options"] = {
  "data-dir": {type: "string", description: "The validator client's data dir", default: DEFAULT_DATA_DIR, valueName: "dir"},
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
    const gvr = await genesisValidatorsRoot(opts);
    const {slashingProtectionPath} = await import("../../validator/index.ts");
    const {exportInterchange} = await import("../../validator/slashingProtection/index.ts");
    const interchange = await exportInterchange(slashingProtectionPath(String(opts["data-dir"])), gvr);
    await writeFile(out, JSON.stringify(interchange, null, 2) + "\n");
    const blocks = interchange.data.reduce((n, d) => n + d.signed_blocks.length, 0);
    const attestations = interchange.data.reduce((n, d) => n + d.signed_attestations.length, 0);
    console.log(`exported ${interchange.data.length} validators (${blocks} blocks, ${attestations} attestations) to ${out}`);
  },
};

const importCommand: Command = {
  name: "import",
  summary: "Import an EIP-3076 (v5) interchange file into the slashing-protection database",
  usage: "import FILE [options]",
  options: offlineOptions,
  details: "Stop the validator client first. The import is all or nothing.",
  async run(opts, positionals) {
    if (positionals.length !== 1) throw new InputError("import takes exactly one interchange FILE");
    const gvr = await genesisValidatorsRoot(opts);
    let text: string;
    try {
      text = await readFile(positionals[0], "utf8");
    } catch (e) {
      throw new InputError(`cannot read ${positionals[0]}: ${(e as NodeJS.ErrnoException).code ?? errorMessage(e)}`);
    }
    const {slashingProtectionPath} = await import("../../validator/index.ts");
    const {importInterchange} = await import("../../validator/slashingProtection/index.ts");
    const summary = await importInterchange(slashingProtectionPath(String(opts["data-dir"])), text, gvr);
    console.log(`imported ${summary.validators} validators (${summary.blocks} blocks, ${summary.attestations} attestations)`);
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
  },
  subcommands: [slashingProtectionCommand],
  details: [
    "The client follows the node's network (preset and config from /eth/v1/config/spec) and signs",
    "nothing slashable: every block and attestation is recorded in the slashing-protection",
    "database before it is signed.",
    "",
    "Examples:",
    "  gnomon validator --interop-indices 0..63",
    "  gnomon validator --keystores ./keys --password-file ./password.txt --beacon-node http://127.0.0.1:5052",
    "  gnomon validator slashing-protection export --out protection.json",
    "  gnomon validator slashing-protection run-test tests/*.json",
  ].join("\n"),
  run: runClient,
};
