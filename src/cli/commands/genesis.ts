/**
 * `gnomon genesis`: writes the interop genesis state (SSZ) for N interop validators, the same state
 * other clients' mock-genesis tools produce for the same preset, config and genesis time; or,
 * with --eth1-endpoint, the genesis state of the config's deposit contract (waiting until the
 * contract holds enough deposits), the same state a node following that contract computes.
 */
import {accessSync, constants, readFileSync, statSync} from "node:fs";
import {dirname, resolve} from "node:path";
import {intOption, requireString, type Command, type ParsedOptions} from "../command.ts";
import {createInteropGenesisState} from "../../node/genesis/interopGenesis.ts";
import {isPresetName, parseChainConfigYaml, useNetwork} from "../../params/index.ts";
import {isValidGenesisState} from "../../state-transition/index.ts";
import {toHex} from "../../util/bytes.ts";
import {InputError} from "../../util/errors.ts";
import {writeFileAtomic} from "../../util/fs.ts";

/** 4Mi: far more than a test network needs; each validator costs a signature and a verification. */
const MAX_VALIDATORS = 4 * 1024 * 1024;

/** Fails early (before minutes of signing) when the output file cannot be written. */
function checkWritable(path: string): void {
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    // does not exist yet: the directory must be writable
  }
  if (isDir) throw new InputError(`--out ${path} is a directory`);
  try {
    accessSync(dirname(path), constants.W_OK);
  } catch {
    throw new InputError(`cannot write --out ${path}: directory ${dirname(path)} does not exist or is not writable`);
  }
}

function readConfigOverrides(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new InputError(`cannot read --config ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseChainConfigYaml(text);
}

function writeState(path: string, bytes: Uint8Array): void {
  try {
    writeFileAtomic(path, bytes);
  } catch (e) {
    throw new InputError(`cannot write --out ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export const genesisCommand: Command = {
  name: "genesis",
  summary: "Write a genesis state (SSZ): interop validators, or from the deposit contract",
  usage: "genesis (--validators <n> --genesis-time <unix seconds> | --eth1-endpoint <url>) --out <file> [options]",
  options: {
    validators: {type: "string", valueName: "n", description: "Number of interop validators (required)"},
    "genesis-time": {type: "string", valueName: "t", description: "genesis_time of the state, unix seconds (required)"},
    out: {type: "string", valueName: "file", description: "Where to write the SSZ-encoded BeaconState (required)"},
    preset: {type: "string", valueName: "name", description: "Preset (mainnet | minimal)", default: "mainnet"},
    config: {type: "string", valueName: "file", description: "Chain config YAML; its values override the preset's base config"},
    "eth1-endpoint": {
      type: "string",
      valueName: "url",
      description: "Instead of interop validators: initialize_beacon_state_from_eth1 from the config's deposit contract on this JSON-RPC endpoint, once it holds enough deposits",
    },
  },
  details: [
    "The state is initialize_beacon_state_from_eth1(eth1_block_hash = 0x42 * 32, eth1_timestamp = 2**40,",
    "deposits of interop validators 0..n-1, 32 ETH each, BLS withdrawal credentials, signed with the",
    "config's GENESIS_FORK_VERSION), then genesis_time = t. Interop keys: sk_i = int_le(sha256(uint256_le(i))) mod r.",
    "Prints the state's hash_tree_root and genesis_validators_root. Progress goes to stderr.",
    "Example: gnomon genesis --validators 64 --genesis-time 1700000000 --preset minimal --out genesis.ssz",
    "",
    "With --eth1-endpoint it waits (progress on stderr) until an eth1 block at least",
    "SECONDS_PER_ETH1_BLOCK * ETH1_FOLLOW_DISTANCE seconds old gives is_valid_genesis_state",
    "(MIN_GENESIS_ACTIVE_VALIDATOR_COUNT validators, genesis_time = block timestamp + GENESIS_DELAY >= MIN_GENESIS_TIME);",
    "the config names the contract (DEPOSIT_CONTRACT_ADDRESS, DEPOSIT_CONTRACT_DEPLOY_BLOCK, DEPOSIT_CHAIN_ID).",
    "Example: gnomon genesis --eth1-endpoint http://127.0.0.1:8545 --config network.yaml --preset minimal --out genesis.ssz",
  ].join("\n"),
  async run(opts: ParsedOptions): Promise<number> {
    if (opts["eth1-endpoint"] !== undefined) return runFromEth1(opts);
    const validators = intOption(opts, "validators", 1, MAX_VALIDATORS);
    if (validators === undefined) throw new InputError("missing required option --validators");
    const genesisTime = intOption(opts, "genesis-time");
    if (genesisTime === undefined) throw new InputError("missing required option --genesis-time");
    const out = resolve(requireString(opts, "out"));
    const preset = String(opts.preset);
    if (!isPresetName(preset)) throw new InputError(`unknown preset "${preset}" (expected mainnet or minimal)`);
    const configPath = typeof opts.config === "string" ? opts.config : undefined;
    const overrides = configPath !== undefined ? readConfigOverrides(configPath) : {};
    const config = useNetwork(preset, overrides);
    checkWritable(out);

    const tty = process.stderr.isTTY === true;
    let shown = -1;
    const genesis = await createInteropGenesisState({
      config,
      validators,
      genesisTime,
      onProgress: (done, total) => {
        const pct = Math.floor((done * 100) / total);
        // Every percent on a terminal, every tenth otherwise (logs).
        const step = tty ? pct : Math.floor(pct / 10);
        if (step === shown) return;
        shown = step;
        const line = `signing deposits: ${done}/${total} (${pct}%)`;
        process.stderr.write(tty ? `\r${line}${done === total ? "\n" : ""}` : `${line}\n`);
      },
      onPhase: (phase) => process.stderr.write(`${phase}\n`),
    });
    const {state} = genesis;
    writeState(out, state.serialize());
    console.log(`wrote ${out} (${validators} validators, preset ${preset}, genesis_time ${genesisTime})`);
    console.log(`hash_tree_root: ${toHex(state.hashTreeRoot())}`);
    console.log(`genesis_validators_root: ${toHex(state.genesis_validators_root)}`);
    if (!isValidGenesisState(config, state)) {
      process.stderr.write(
        "note: is_valid_genesis_state is false for this config (genesis_time below MIN_GENESIS_TIME or fewer than " +
          "MIN_GENESIS_ACTIVE_VALIDATOR_COUNT validators); fine for a local network\n"
      );
    }
    return 0;
  },
};

async function runFromEth1(opts: ParsedOptions): Promise<number> {
  if (opts.validators !== undefined || opts["genesis-time"] !== undefined) {
    throw new InputError("--eth1-endpoint computes the genesis from the deposit contract: leave out --validators and --genesis-time");
  }
  const endpoint = requireString(opts, "eth1-endpoint");
  const out = resolve(requireString(opts, "out"));
  const preset = String(opts.preset);
  if (!isPresetName(preset)) throw new InputError(`unknown preset "${preset}" (expected mainnet or minimal)`);
  const overrides = typeof opts.config === "string" ? readConfigOverrides(opts.config) : {};
  const config = useNetwork(preset, overrides);
  checkWritable(out);
  const {depositContractDeployBlock, eth1ProviderFor} = await import("../../eth1/index.ts");
  const {waitForEth1Genesis} = await import("../../node/genesis/eth1Genesis.ts");
  const {pino} = await import("pino");
  const {default: pretty} = await import("pino-pretty");
  const provider = eth1ProviderFor(config, endpoint);
  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.once("SIGINT", onSignal);
  try {
    // Progress lines go to stderr: stdout carries only the result.
    const logger = pino({level: "info"}, pretty({destination: 2, sync: true, colorize: process.stderr.isTTY === true, ignore: "pid,hostname", translateTime: "HH:MM:ss"}));
    const genesis = await waitForEth1Genesis({config, provider, deployBlock: depositContractDeployBlock(config), logger, signal: abort.signal});
    const {state} = genesis.state;
    writeState(out, state.serialize());
    console.log(`wrote ${out} (${state.validators.length} validators from ${genesis.depositCount} deposits, eth1 block ${genesis.block.number} ${toHex(genesis.block.hash)}, genesis_time ${state.genesis_time})`);
    console.log(`hash_tree_root: ${toHex(state.hashTreeRoot())}`);
    console.log(`genesis_validators_root: ${toHex(state.genesis_validators_root)}`);
    return 0;
  } catch (e) {
    if (abort.signal.aborted) {
      process.stderr.write("interrupted before genesis\n");
      return 130;
    }
    throw e;
  } finally {
    process.off("SIGINT", onSignal);
  }
}
