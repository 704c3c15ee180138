/**
 * Deposit data as stakers' tools write and read it (`deposit_data-<time>.json`): one entry per
 * validator with the signed DepositData, its roots, and the network it was made for. The
 * signature is over the DepositMessage with compute_domain(DOMAIN_DEPOSIT, fork_version), the
 * genesis validators root left zero as the deposit contract requires (deposit-contract.md).
 */
import type {SecretKey} from "@chainsafe/blst";
import {sign, verify} from "../../crypto/index.ts";
import {DOMAIN_DEPOSIT} from "../../params/index.ts";
import {computeDomain, computeSigningRoot} from "../../state-transition/index.ts";
import {ssz, type DepositData} from "../../types/index.ts";
import {bytesEqual, fromHex, toHex} from "../../util/bytes.ts";
import {InputError} from "../../util/errors.ts";

/** The file format revision that deposit tools and launchpads check for. */
export const DEPOSIT_CLI_VERSION = "2.7.0";

export interface DepositDataJson {
  pubkey: string;
  withdrawal_credentials: string;
  amount: number;
  signature: string;
  deposit_message_root: string;
  deposit_data_root: string;
  fork_version: string;
  network_name: string;
  deposit_cli_version: string;
}

/** Hex without 0x, as the format writes it. */
const bare = (b: Uint8Array): string => toHex(b).slice(2);

export function depositSigningRoot(pubkey: Uint8Array, withdrawalCredentials: Uint8Array, amount: number, forkVersion: Uint8Array): Uint8Array {
  const message = {pubkey, withdrawal_credentials: withdrawalCredentials, amount};
  return computeSigningRoot(ssz.DepositMessage, message, computeDomain(DOMAIN_DEPOSIT, forkVersion));
}

export function signDepositData(secretKey: SecretKey, withdrawalCredentials: Uint8Array, amount: number, forkVersion: Uint8Array): DepositData {
  const pubkey = secretKey.toPublicKey().toBytes(true);
  const signature = sign(secretKey, depositSigningRoot(pubkey, withdrawalCredentials, amount, forkVersion));
  return {pubkey, withdrawal_credentials: withdrawalCredentials, amount, signature};
}

export function depositDataJson(data: DepositData, forkVersion: Uint8Array, networkName: string): DepositDataJson {
  return {
    pubkey: bare(data.pubkey),
    withdrawal_credentials: bare(data.withdrawal_credentials),
    amount: data.amount,
    signature: bare(data.signature),
    deposit_message_root: bare(ssz.DepositMessage.hashTreeRoot({pubkey: data.pubkey, withdrawal_credentials: data.withdrawal_credentials, amount: data.amount})),
    deposit_data_root: bare(ssz.DepositData.hashTreeRoot(data)),
    fork_version: bare(forkVersion),
    network_name: networkName,
    deposit_cli_version: DEPOSIT_CLI_VERSION,
  };
}

function field(entry: Record<string, unknown>, name: string, length: number, where: string): Uint8Array {
  const v = entry[name];
  if (typeof v !== "string") throw new InputError(`${where}.${name} must be a hex string`);
  try {
    return fromHex(v.startsWith("0x") ? v : `0x${v}`, length);
  } catch {
    throw new InputError(`${where}.${name} must be ${length} bytes of hex`);
  }
}

export interface ParsedDepositData {
  data: DepositData;
  depositDataRoot: Uint8Array;
  forkVersion: Uint8Array;
  networkName: string | null;
}

/**
 * Reads one entry of a deposit data file and checks it: the roots must be the entry's own and
 * the signature must verify under its fork version, so that a corrupted or edited file is
 * refused before anything is sent to the deposit contract (where a bad deposit burns its ether).
 */
export function parseDepositDataEntry(raw: unknown, where = "deposit"): ParsedDepositData {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new InputError(`${where} must be an object`);
  const entry = raw as Record<string, unknown>;
  const amount = entry.amount;
  if (typeof amount !== "number" || !Number.isSafeInteger(amount) || amount <= 0) throw new InputError(`${where}.amount must be a positive integer (Gwei)`);
  const data: DepositData = {
    pubkey: field(entry, "pubkey", 48, where),
    withdrawal_credentials: field(entry, "withdrawal_credentials", 32, where),
    amount,
    signature: field(entry, "signature", 96, where),
  };
  const forkVersion = field(entry, "fork_version", 4, where);
  const depositDataRoot = ssz.DepositData.hashTreeRoot(data);
  if (!bytesEqual(depositDataRoot, field(entry, "deposit_data_root", 32, where))) throw new InputError(`${where}.deposit_data_root is not the root of its deposit data`);
  const messageRoot = ssz.DepositMessage.hashTreeRoot({pubkey: data.pubkey, withdrawal_credentials: data.withdrawal_credentials, amount});
  if (!bytesEqual(messageRoot, field(entry, "deposit_message_root", 32, where))) throw new InputError(`${where}.deposit_message_root is not the root of its deposit message`);
  if (!verify(data.pubkey, depositSigningRoot(data.pubkey, data.withdrawal_credentials, amount, forkVersion), data.signature)) {
    throw new InputError(`${where}.signature does not verify for fork version ${toHex(forkVersion)}`);
  }
  const networkName = typeof entry.network_name === "string" ? entry.network_name : null;
  return {data, depositDataRoot, forkVersion, networkName};
}

/** A whole deposit data file (a JSON array of entries). */
export function parseDepositDataFile(text: string): ParsedDepositData[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(`deposit data is not JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(json)) throw new InputError("deposit data must be a JSON array of deposits");
  return json.map((entry, i) => parseDepositDataEntry(entry, `deposit[${i}]`));
}
