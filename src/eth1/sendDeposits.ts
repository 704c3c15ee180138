/**
 * Sends deposits to the deposit contract: one `deposit(pubkey, withdrawal_credentials,
 * signature, deposit_data_root)` call per entry with amount * 1 Gwei as value, from an account
 * the node unlocks (eth_sendTransaction) or signed here with a private key (EIP-1559 when the
 * chain has a base fee, else legacy with EIP-155 chain id). All are sent first, with consecutive
 * nonces, then their receipts are awaited; a reverted or unmined one is reported, not retried.
 * A deposit the endpoint refuses (e.g. gas estimation fails: no funds, a revert) stops the
 * sending; the receipts of those already sent are still awaited and reported.
 */
import {toHex} from "../util/bytes.ts";
import {encodeDepositCall} from "./abi.ts";
import type {DepositData} from "../types/index.ts";
import type {Eth1Provider} from "./provider.ts";
import {Eth1Error} from "./errors.ts";
import {bigQuantity, data, object, quantity, toQuantity} from "./rpc.ts";
import {addressOf, signTransaction} from "./tx.ts";

/** One deposit as a deposit data file gives it, already checked. */
export interface DepositToSend {
  data: DepositData;
  depositDataRoot: Uint8Array;
}

export type Sender = {type: "unlocked"; from: Uint8Array} | {type: "key"; privateKey: Uint8Array};

export interface DepositResult {
  index: number;
  /** Empty when not sent. */
  txHash: string;
  status: "included" | "reverted" | "not-mined" | "not-sent";
  blockNumber?: number;
  /** Why it was not sent. */
  error?: string;
}

export interface SendDepositsOptions {
  provider: Eth1Provider;
  sender: Sender;
  entries: DepositToSend[];
  /** How long to wait for each receipt (default 120 s). */
  receiptTimeoutMs?: number;
  onProgress?: (message: string) => void;
}

const GWEI = 1_000_000_000n;

export async function sendDeposits(opts: SendDepositsOptions): Promise<DepositResult[]> {
  const {provider, sender, entries} = opts;
  const rpc = provider.rpc;
  const say = opts.onProgress ?? (() => {});
  const from = sender.type === "unlocked" ? sender.from : addressOf(sender.privateKey);
  const chainId = BigInt(await provider.chainId());
  let nonce = bigQuantity(await rpc.call("eth_getTransactionCount", [toHex(from), "pending"]), "eth_getTransactionCount");
  const latest = object(await rpc.call("eth_getBlockByNumber", ["latest", false]), "block");
  const baseFee = latest.baseFeePerGas === undefined || latest.baseFeePerGas === null ? null : bigQuantity(latest.baseFeePerGas, "baseFeePerGas");

  const hashes: string[] = [];
  let sendError: string | null = null;
  for (let i = 0; i < entries.length; i++) {
    const d = entries[i].data;
    try {
      hashes.push(await sendOne({provider, sender, from, chainId, nonce, baseFee}, entries[i]));
      nonce++;
      say(`sent deposit ${i + 1}/${entries.length} for ${toHex(d.pubkey).slice(0, 18)}… (${d.amount} Gwei): ${hashes[i]}`);
    } catch (e) {
      if (!(e instanceof Eth1Error)) throw e;
      // Later deposits would need this one's nonce: stop sending, but still follow the ones sent.
      sendError = e.message;
      say(`deposit ${i + 1}/${entries.length} NOT SENT: ${e.message}`);
      break;
    }
  }

  const results: DepositResult[] = [];
  const deadline = Date.now() + (opts.receiptTimeoutMs ?? 120_000);
  for (let i = 0; i < hashes.length; i++) {
    let receipt: Record<string, unknown> | null = null;
    while (receipt === null && Date.now() < deadline) {
      // An endpoint that hiccups while we wait is asked again until the deadline.
      const r = await rpc.call("eth_getTransactionReceipt", [hashes[i]]).catch((e: unknown) => {
        if (e instanceof Eth1Error) return null;
        throw e;
      });
      if (r !== null) receipt = object(r, "receipt");
      else await new Promise((res) => setTimeout(res, 250));
    }
    if (receipt === null) {
      results.push({index: i, txHash: hashes[i], status: "not-mined"});
      say(`deposit ${i + 1}/${entries.length}: not mined in time (${hashes[i]})`);
      continue;
    }
    const ok = quantity(receipt.status, "receipt.status") === 1;
    const blockNumber = quantity(receipt.blockNumber, "receipt.blockNumber");
    results.push({index: i, txHash: hashes[i], status: ok ? "included" : "reverted", blockNumber});
    say(`deposit ${i + 1}/${entries.length}: ${ok ? "included" : "REVERTED"} in block ${blockNumber}`);
  }
  for (let i = hashes.length; i < entries.length; i++) {
    results.push({index: i, txHash: "", status: "not-sent", error: i === hashes.length ? (sendError ?? undefined) : "an earlier deposit was not sent"});
  }
  return results;
}

interface SendContext {
  provider: Eth1Provider;
  sender: Sender;
  from: Uint8Array;
  chainId: bigint;
  nonce: bigint;
  baseFee: bigint | null;
}

/** Sends one deposit transaction; returns its hash. */
async function sendOne(ctx: SendContext, entry: DepositToSend): Promise<string> {
  const {provider, sender} = ctx;
  const rpc = provider.rpc;
  const value = BigInt(entry.data.amount) * GWEI;
  const calldata = encodeDepositCall(entry.data, entry.depositDataRoot);
  const call = {from: toHex(ctx.from), to: toHex(provider.depositContract), value: toQuantity(value), data: toHex(calldata)};
  const estimate = bigQuantity(await rpc.call("eth_estimateGas", [call]), "eth_estimateGas");
  // Headroom: the first deposits into a fresh tree cost more storage writes than later ones.
  const gasLimit = (estimate * 13n) / 10n;
  let hash: unknown;
  if (sender.type === "unlocked") {
    hash = await rpc.call("eth_sendTransaction", [{...call, gas: toQuantity(gasLimit)}]);
  } else {
    let fees: {maxFeePerGas: bigint; maxPriorityFeePerGas: bigint} | {gasPrice: bigint};
    if (ctx.baseFee !== null) {
      const tip = bigQuantity(await rpc.call("eth_maxPriorityFeePerGas"), "eth_maxPriorityFeePerGas");
      fees = {maxPriorityFeePerGas: tip, maxFeePerGas: ctx.baseFee * 2n + tip};
    } else {
      fees = {gasPrice: bigQuantity(await rpc.call("eth_gasPrice"), "eth_gasPrice")};
    }
    const raw = signTransaction({chainId: ctx.chainId, nonce: ctx.nonce, gasLimit, to: provider.depositContract, value, data: calldata, ...fees}, sender.privateKey);
    hash = await rpc.call("eth_sendRawTransaction", [toHex(raw)]);
  }
  return toHex(data(hash, "transaction hash", 32));
}
