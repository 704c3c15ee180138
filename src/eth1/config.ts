/** The eth1 side of the chain config: the deposit contract's address and deploy block. */
import type {ChainConfig} from "../params/index.ts";
import {InputError} from "../util/errors.ts";
import {Eth1Provider} from "./provider.ts";
import {JsonRpcClient} from "./rpc.ts";

/** DEPOSIT_CONTRACT_DEPLOY_BLOCK from the config file (not a consensus value), default 0. */
export function depositContractDeployBlock(config: Pick<ChainConfig, "raw">): number {
  const raw = config.raw.DEPOSIT_CONTRACT_DEPLOY_BLOCK;
  if (raw === undefined) return 0;
  const s = String(raw).trim();
  if (!/^[0-9]+$/.test(s) || !Number.isSafeInteger(Number(s))) throw new InputError(`config DEPOSIT_CONTRACT_DEPLOY_BLOCK: expected a block number, got "${s}"`);
  return Number(s);
}

/** A provider for the configured deposit contract at `url` (an http(s) URL). */
export function eth1ProviderFor(config: Pick<ChainConfig, "DEPOSIT_CONTRACT_ADDRESS">, url: string, timeoutMs?: number): Eth1Provider {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(`--eth1-endpoint ${url} is not a URL`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new InputError(`--eth1-endpoint must be an http(s) URL, got ${url}`);
  return new Eth1Provider(new JsonRpcClient(url, {timeoutMs}), config.DEPOSIT_CONTRACT_ADDRESS);
}
