/**
 * `gnomon deposit`: sends the deposits of a deposit data file (`deposit_data-*.json`) to the
 * network's deposit contract through an execution node's JSON-RPC endpoint, from an account the
 * node unlocks (--from) or signed here with a private key (--private-key-file). Every entry is
 * checked first (roots, fork version, proof of possession) and the endpoint's chain id must be
 * the config's DEPOSIT_CHAIN_ID, so no ETH leaves for a deposit that could not count.
 */
import {readFileSync} from "node:fs";
import {requireString, type Command, type ParsedOptions} from "../command.ts";
import {isPresetName, parseChainConfigYaml, useNetwork} from "../../params/index.ts";
import {bytesEqual, fromHex, toHex} from "../../util/bytes.ts";
import {InputError} from "../../util/errors.ts";

function readPrivateKey(path: string): Uint8Array {
  let text: string;
  try {
    text = readFileSync(path, "utf8").trim();
  } catch (e) {
    throw new InputError(`cannot read --private-key-file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return fromHex(text.startsWith("0x") ? text : `0x${text}`, 32);
  } catch {
    // Never echo the file's content: it is meant to be a secret.
    throw new InputError(`--private-key-file ${path} must hold a 32-byte hex private key`);
  }
}

/** The file's entries, each checked (roots, proof of possession) and made for this network. */
async function readDepositData(config: import("../../params/index.ts").ChainConfig, path: string): Promise<import("../../eth1/index.ts").DepositToSend[]> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new InputError(`cannot read --deposit-data ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const {parseDepositDataFile} = await import("../../validator/keys/depositData.ts");
  const parsed = parseDepositDataFile(text);
  if (parsed.length === 0) throw new InputError(`${path} holds no deposits`);
  return parsed.map((p, i) => {
    if (!bytesEqual(p.forkVersion, config.GENESIS_FORK_VERSION)) {
      throw new InputError(`deposit[${i}] is for fork version ${toHex(p.forkVersion)}, this network's GENESIS_FORK_VERSION is ${toHex(config.GENESIS_FORK_VERSION)} (wrong --config?)`);
    }
    return {data: p.data, depositDataRoot: p.depositDataRoot};
  });
}

export const depositCommand: Command = {
  name: "deposit",
  summary: "Send the deposits of a deposit data file to the deposit contract",
  usage: "deposit --deposit-data <file> --eth1-endpoint <url> (--from <address> | --private-key-file <file>) [options]",
  options: {
    "deposit-data": {type: "string", valueName: "file", description: "deposit_data-*.json as `gnomon keys new` and the staking deposit tools write it (required)"},
    "eth1-endpoint": {type: "string", valueName: "url", description: "JSON-RPC URL of an execution node (required)"},
    from: {type: "string", valueName: "address", description: "Send from this account, unlocked in the execution node (eth_sendTransaction)"},
    "private-key-file": {type: "string", valueName: "file", description: "Sign locally with the hex private key in this file (EIP-1559, or legacy with chain id)"},
    preset: {type: "string", valueName: "name", description: "Preset (mainnet | minimal)", default: "mainnet"},
    config: {type: "string", valueName: "file", description: "Chain config YAML: DEPOSIT_CONTRACT_ADDRESS, DEPOSIT_CHAIN_ID, GENESIS_FORK_VERSION"},
    "receipt-timeout": {type: "string", valueName: "seconds", description: "How long to wait for the receipts", default: "120"},
  },
  details: [
    "Prints one line per deposit sent (transaction hash) and per receipt (block, or REVERTED); a deposit",
    "the endpoint refuses (no funds, a revert in gas estimation) is NOT SENT and stops the sending.",
    "Exit status: 0 when every deposit is included, 1 when one was not sent, reverted or not mined in time,",
    "2 for bad flags, a bad deposit data file, or an endpoint that is unreachable or of another chain.",
    "Example: gnomon deposit --deposit-data validator_keys/deposit_data-1700000000.json --eth1-endpoint http://127.0.0.1:8545 \\",
    "           --config network.yaml --preset minimal --private-key-file funder.key",
  ].join("\n"),
  async run(opts: ParsedOptions): Promise<number> {
    const file = requireString(opts, "deposit-data");
    const endpoint = requireString(opts, "eth1-endpoint");
    const preset = String(opts.preset);
    if (!isPresetName(preset)) throw new InputError(`unknown preset "${preset}" (expected mainnet or minimal)`);
    let overrides: Record<string, unknown> = {};
    if (typeof opts.config === "string") {
      let text: string;
      try {
        text = readFileSync(opts.config, "utf8");
      } catch (e) {
        throw new InputError(`cannot read --config ${opts.config}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      overrides = parseChainConfigYaml(text);
    }
    const config = useNetwork(preset, overrides);
    const timeout = Number(opts["receipt-timeout"]);
    if (!Number.isSafeInteger(timeout) || timeout < 1) throw new InputError("--receipt-timeout must be a positive number of seconds");
    const hasFrom = typeof opts.from === "string";
    const hasKey = typeof opts["private-key-file"] === "string";
    if (hasFrom === hasKey) throw new InputError("give exactly one of --from ADDRESS and --private-key-file FILE");

    const eth1 = await import("../../eth1/index.ts");
    const sender: import("../../eth1/index.ts").Sender = hasFrom
      ? {type: "unlocked", from: (() => {
          try {
            return fromHex(String(opts.from), 20);
          } catch {
            throw new InputError(`--from must be a 20-byte 0x address, got "${String(opts.from)}"`);
          }
        })()}
      : {type: "key", privateKey: readPrivateKey(String(opts["private-key-file"]))};
    const entries = await readDepositData(config, file);
    const provider = eth1.eth1ProviderFor(config, endpoint);
    try {
      await provider.checkChainId(config.DEPOSIT_CHAIN_ID);
    } catch (e) {
      if (e instanceof eth1.Eth1Error) throw new InputError(e.message);
      throw e;
    }
    const fromAddress = sender.type === "unlocked" ? sender.from : eth1.addressOf(sender.privateKey);
    console.log(`sending ${entries.length} deposit(s) from ${toHex(fromAddress)} to ${toHex(provider.depositContract)}`);
    const results = await eth1.sendDeposits({provider, sender, entries, receiptTimeoutMs: timeout * 1000, onProgress: (m) => console.log(m)});
    const included = results.filter((r) => r.status === "included").length;
    console.log(`${included} of ${results.length} deposits included`);
    return included === results.length ? 0 : 1;
  },
};
