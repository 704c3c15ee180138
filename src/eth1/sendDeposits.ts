/**
 * Sends deposits to the deposit contract: one `deposit(pubkey, withdrawal_credentials,
 * signature, deposit_data_root)` call per entry with amount * 1 Gwei as value, from an account
 * the node unlocks (eth_sendTransaction) or signed here with a private key (EIP-1559 when the
 * chain has a base fee, else legacy with EIP-155 chain id). All are sent first, with consecutive
 * nonces, then their receipts are awaited; a reverted or unmined one is reported, not retried.
 */
import {toHex} from "../util/bytes.ts";
import {encodeDepositCall} from "./abi.ts";
import type {DepositData} from "../types/index.ts";
import type {Eth1Provider} from "./provider.ts";
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
  txHash: string;
  status: "included" | "reverted" | "not-mined";
  blockNumber?: number;
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
  for (let i = 0; i < entries.length; i++) {
    const {data: d, depositDataRoot} = entries[i];
    const call = {from: toHex(from), to: toHex(provider.depositContract), value: toQuantity(BigInt(d.amount) * GWEI), data: toHex(encodeDepositCall(d, depositDataRoot))};
    const estimate = bigQuantity(await rpc.call("eth_estimateGas", [call]), "eth_estimateGas");
    // Headroom: the first deposits into a fresh tree cost more storage writes than later ones.
    const gasLimit = (estimate * 13n) / 10n;
    let hash: unknown;
    if (sender.type === "unlocked") {
      hash = await rpc.call("eth_sendTransaction", [{...call, gas: toQuantity(gasLimit)}]);
    } else {
      const fees =
        baseFee !== null
          ? await (async () => {
              const tip = bigQuantity(await rpc.call("eth_maxPriorityFeePerGas"), "eth_maxPriorityFeePerGas");
              return {maxPriorityFeePerGas: tip, maxFeePerGas: baseFee * 2n + tip};
            })()
          : {gasPrice: bigQuantity(await rpc.call("eth_gasPrice"), "eth_gasPrice")};
      const raw = signTransaction({chainId, nonce, gasLimit, to: provider.depositContract, value: BigInt(d.amount) * GWEI, data: encodeDepositCall(d, depositDataRoot), ...fees}, sender.privateKey);
      hash = await rpc.call("eth_sendRawTransaction", [toHex(raw)]);
    }
    nonce++;
    hashes.push(toHex(data(hash, "transaction hash", 32)));
    say(`sent deposit ${i + 1}/${entries.length} for ${toHex(d.pubkey).slice(0, 18)}… (${d.amount} Gwei): ${hashes[i]}`);
  }

  const results: DepositResult[] = [];
  const deadline = Date.now() + (opts.receiptTimeoutMs ?? 120_000);
  for (let i = 0; i < hashes.length; i++) {
    let receipt: Record<string, unknown> | null = null;
    while (receipt === null && Date.now() < deadline) {
      const r = await rpc.call("eth_getTransactionReceipt", [hashes[i]]);
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
  return results;
}
