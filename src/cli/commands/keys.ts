/**
 * `gnomon keys new`: validator keys from a BIP-39 mnemonic (ERC-2333/2334), written as EIP-2335
 * keystores with a `deposit_data-<time>.json` for the deposit contract.
 */
import {readFile} from "node:fs/promises";
import {type Command, type ParsedOptions, intOption, requireString} from "../command.ts";
import {createChainConfig, isPresetName, MAX_EFFECTIVE_BALANCE, MIN_DEPOSIT_AMOUNT, type PresetName} from "../../params/index.ts";
import {toHex} from "../../util/bytes.ts";
import {errorMessage, InputError} from "../../util/errors.ts";

const KDFS = ["scrypt", "pbkdf2"] as const;

/** The fork version and name deposits are signed for: a preset's base config, or a config file. */
async function networkFromOptions(opts: ParsedOptions): Promise<{forkVersion: Uint8Array; networkName: string}> {
  const name = typeof opts.network === "string" ? opts.network : undefined;
  if (name !== undefined && !isPresetName(name)) throw new InputError(`--network must be mainnet or minimal (or give --config FILE), got "${name}"`);
  let preset: PresetName = name ?? "mainnet";
  let overrides: Record<string, string> = {};
  if (typeof opts.config === "string") {
    if (name !== undefined) throw new InputError("give either --network or --config, not both");
    const {readConfigFile} = await import("../../node/index.ts");
    const file = readConfigFile(opts.config);
    preset = file.preset ?? "mainnet";
    overrides = file.overrides;
  }
  const cfg = createChainConfig(preset, overrides);
  return {forkVersion: cfg.GENESIS_FORK_VERSION, networkName: cfg.CONFIG_NAME};
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (e) {
    throw new InputError(`cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? errorMessage(e)}`);
  }
}

async function runNew(opts: ParsedOptions): Promise<number> {
  const count = intOption(opts, "count", 1, 100_000);
  if (count === undefined) throw new InputError("missing required option --count");
  const startIndex = intOption(opts, "start-index", 0, 2 ** 32 - 1)!;
  const out = requireString(opts, "out");
  const passwordFile = requireString(opts, "password-file");
  const amount = intOption(opts, "amount", MIN_DEPOSIT_AMOUNT, MAX_EFFECTIVE_BALANCE) ?? MAX_EFFECTIVE_BALANCE;
  const kdf = String(opts.kdf);
  if (!(KDFS as readonly string[]).includes(kdf)) throw new InputError(`--kdf must be scrypt or pbkdf2, got "${kdf}"`);
  const cost = intOption(opts, "kdf-cost", 2);
  if (cost !== undefined && kdf === "scrypt" && (cost & (cost - 1)) !== 0) throw new InputError("--kdf-cost for scrypt must be a power of two");
  const network = await networkFromOptions(opts);

  const {newMnemonic, mnemonicToSeed, normalizeMnemonic} = await import("../../validator/keys/mnemonic.ts");
  const {newValidatorKeys, writeValidatorKeys} = await import("../../validator/keys/newKeys.ts");
  const {parseExecutionAddress} = await import("../../validator/keys/withdrawalCredentials.ts");
  const {normalizePassword} = await import("../../validator/keystore/index.ts");

  const withdrawal =
    typeof opts["withdrawal-address"] === "string" ? {kind: "address" as const, address: parseExecutionAddress(opts["withdrawal-address"])} : {kind: "bls" as const};
  const password = await readText(passwordFile, "password file");
  if (normalizePassword(password).length < 8) throw new InputError("the keystore password must be at least 8 characters");
  const mnemonicFile = typeof opts["mnemonic-file"] === "string" ? opts["mnemonic-file"] : undefined;
  const mnemonic = mnemonicFile === undefined ? newMnemonic() : normalizeMnemonic(await readText(mnemonicFile, "mnemonic file"));
  const seed = mnemonicToSeed(mnemonic);

  const keys = await newValidatorKeys({
    seed,
    startIndex,
    count,
    password,
    withdrawal,
    amount,
    forkVersion: network.forkVersion,
    networkName: network.networkName,
    keystore: kdf === "scrypt" ? {kdf: "scrypt", n: cost} : {kdf: "pbkdf2", c: cost},
  });
  seed.fill(0);
  const written = await writeValidatorKeys(out, keys);

  if (mnemonicFile === undefined) {
    console.log("Your new mnemonic (24 words). Write it down and keep it offline: it is shown only this once,");
    console.log("and it is the only way to recover these validators' keys and their withdrawal key.\n");
    console.log(`  ${mnemonic}\n`);
  }
  console.log(`network ${network.networkName} (fork version ${toHex(network.forkVersion)}), ${amount} Gwei per deposit`);
  for (const k of keys) console.log(`  ${k.path}  0x${k.deposit.pubkey}`);
  console.log(`${written.keystoreFiles.length} keystore(s) and ${written.depositDataFile} written`);
  return 0;
}

const newCommand: Command = {
  name: "new",
  summary: "Make validator keystores and a deposit data file from a BIP-39 mnemonic",
  usage: "new --count N --out DIR --password-file F [options]",
  options: {
    count: {type: "string", description: "Number of validator keys", valueName: "n"},
    out: {type: "string", description: "Directory for the keystores and deposit_data-<time>.json", valueName: "dir"},
    "password-file": {type: "string", description: "File holding the keystores' password (8+ characters)", valueName: "file"},
    "mnemonic-file": {type: "string", description: "Use this mnemonic instead of generating one (e.g. for more keys)", valueName: "file"},
    "start-index": {type: "string", description: "ERC-2334 index of the first key", default: "0", valueName: "i"},
    "withdrawal-address": {type: "string", description: "Execution address for withdrawals (0x01 credentials; default: BLS credentials)", valueName: "0x.."},
    amount: {type: "string", description: "Deposit amount in Gwei", default: String(32_000_000_000), valueName: "gwei"},
    network: {type: "string", description: "Network of the deposits: mainnet or minimal (its GENESIS_FORK_VERSION)", valueName: "name"},
    config: {type: "string", description: "Chain config YAML whose GENESIS_FORK_VERSION and CONFIG_NAME the deposits use", valueName: "file"},
    kdf: {type: "string", description: "Keystore key derivation: scrypt or pbkdf2", default: "scrypt", valueName: "name"},
    "kdf-cost": {type: "string", description: "scrypt n or pbkdf2 rounds (default 262144; lower only for tests)", valueName: "n"},
  },
  details: [
    "Keys follow ERC-2334: signing key m/12381/3600/i/0/0, withdrawal key m/12381/3600/i/0.",
    "Without --mnemonic-file a new 24-word mnemonic is generated and printed once.",
    "",
    "Examples:",
    "  gnomon keys new --count 4 --out ./keys --password-file ./password.txt",
    "  gnomon keys new --count 8 --start-index 4 --mnemonic-file ./mnemonic.txt --out ./keys2 --password-file ./password.txt --config config.yaml",
  ].join("\n"),
  run: runNew,
};

export const keysCommand: Command = {
  name: "keys",
  summary: "Make validator keys and deposit data (EIP-2333/2334/2335)",
  usage: "keys <new> [options]",
  options: {},
  subcommands: [newCommand],
};
