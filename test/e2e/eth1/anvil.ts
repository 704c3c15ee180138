/**
 * A real execution node for the eth1 tests: anvil (from @foundry-rs/anvil) on a free port of
 * 127.0.0.1, with the official deposit contract deployed from its compiled bytecode.
 */
import {existsSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {ROOT, runProcess, stopProcess, type Proc} from "../helpers/processes.ts";

/**
 * The platform binary itself, not the npm launcher script (a node process that would stay
 * running, unpaused, when a test stops the execution node with SIGSTOP).
 */
const PLATFORM = {x64: "amd64", arm64: "arm64"}[process.arch as "x64" | "arm64"] ?? process.arch;
const BINARY = join(ROOT, `node_modules/@foundry-rs/anvil-${process.platform}-${PLATFORM}/bin/anvil`);
export const ANVIL = existsSync(BINARY) ? BINARY : join(ROOT, "node_modules/.bin/anvil");
export const ANVIL_CHAIN_ID = 1337;
/** anvil's first dev account and its well-known key (funded with 10000 ETH). */
export const DEV_ACCOUNT = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
export const DEV_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

export interface Anvil {
  proc: Proc;
  url: string;
  port: number;
}

/** Starts anvil; `port` 0 picks a free one (a restart passes the old port to keep the URL). */
export async function startAnvil(opts: {blockTime?: number; port?: number; stateFile?: string} = {}): Promise<Anvil> {
  const args = ["--host", "127.0.0.1", "--port", String(opts.port ?? 0), "--chain-id", String(ANVIL_CHAIN_ID)];
  if (opts.blockTime !== undefined) args.push("--block-time", String(opts.blockTime));
  if (opts.stateFile !== undefined) args.push("--state", opts.stateFile);
  const proc = runProcess(ANVIL, args);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`anvil did not start:\n${proc.lines.join("\n")}`)), 30_000);
    const find = (line: string): void => {
      const m = /Listening on 127\.0\.0\.1:(\d+)/.exec(line);
      if (m !== null) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    proc.lines.forEach(find);
    proc.onLine(find);
    proc.proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`anvil exited (${code}):\n${proc.lines.join("\n")}`));
    });
  });
  return {proc, url: `http://127.0.0.1:${port}`, port};
}

export async function stopAnvil(a: Anvil | undefined): Promise<void> {
  if (a !== undefined) await stopProcess(a.proc, "SIGTERM");
}

let rpcId = 1;
export async function rpc(url: string, method: string, params: unknown[] = []): Promise<any> {
  const res = await fetch(url, {method: "POST", headers: {"content-type": "application/json"}, body: JSON.stringify({jsonrpc: "2.0", id: rpcId++, method, params})});
  const body = (await res.json()) as {result?: unknown; error?: {message: string}};
  if (body.error !== undefined) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

export async function waitReceipt(url: string, hash: string): Promise<any> {
  for (let i = 0; i < 600; i++) {
    const r = await rpc(url, "eth_getTransactionReceipt", [hash]);
    if (r !== null) return r;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`transaction ${hash} not mined`);
}

/** Deploys the official deposit contract from DEV_ACCOUNT; returns its address and block. */
export async function deployDepositContract(url: string): Promise<{address: string; block: number}> {
  const json = JSON.parse(readFileSync(join(ROOT, "../shared/consensus-specs/solidity_deposit_contract/deposit_contract.json"), "utf8")) as {bytecode: string};
  const bytecode = json.bytecode.startsWith("0x") ? json.bytecode : `0x${json.bytecode}`;
  const hash = await rpc(url, "eth_sendTransaction", [{from: DEV_ACCOUNT, data: bytecode, gas: "0x4c4b40"}]);
  const receipt = await waitReceipt(url, hash);
  if (receipt.status !== "0x1") throw new Error("deposit contract deployment reverted");
  return {address: receipt.contractAddress as string, block: Number(receipt.blockNumber)};
}

/** A minimal-preset chain config for a network whose deposit contract lives on anvil. */
export function eth1ChainConfig(opts: {
  address: string;
  deployBlock: number;
  minValidators: number;
  slotMs: number;
  followDistance?: number;
  genesisDelay?: number;
}): string {
  return [
    "PRESET_BASE: minimal",
    `SLOT_DURATION_MS: ${opts.slotMs}`,
    `MIN_GENESIS_ACTIVE_VALIDATOR_COUNT: ${opts.minValidators}`,
    "MIN_GENESIS_TIME: 0",
    `GENESIS_DELAY: ${opts.genesisDelay ?? 20}`,
    "SECONDS_PER_ETH1_BLOCK: 1",
    `ETH1_FOLLOW_DISTANCE: ${opts.followDistance ?? 4}`,
    `DEPOSIT_CHAIN_ID: ${ANVIL_CHAIN_ID}`,
    `DEPOSIT_NETWORK_ID: ${ANVIL_CHAIN_ID}`,
    `DEPOSIT_CONTRACT_ADDRESS: ${opts.address}`,
    `DEPOSIT_CONTRACT_DEPLOY_BLOCK: ${opts.deployBlock}`,
    "",
  ].join("\n");
}
