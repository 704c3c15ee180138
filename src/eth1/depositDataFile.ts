/**
 * The deposit data file stakers already use (`deposit_data-<time>.json`): a JSON array of
 * {pubkey, withdrawal_credentials, amount, signature, deposit_message_root, deposit_data_root,
 * fork_version, network_name, ...}, hex without 0x. Each entry is checked before any ETH moves:
 * the roots recomputed, the fork version the config's, the proof of possession valid.
 */
import {readFileSync} from "node:fs";
import {verify} from "../crypto/index.ts";
import {config, DOMAIN_DEPOSIT} from "../params/index.ts";
import {computeDomain, computeSigningRoot} from "../state-transition/index.ts";
import {ssz, type DepositData} from "../types/index.ts";
import {bytesEqual, fromHex, toHex} from "../util/bytes.ts";
import {InputError} from "../util/errors.ts";

export interface DepositDataEntry {
  data: DepositData;
  depositDataRoot: Uint8Array;
}

function hexField(entry: Record<string, unknown>, name: string, length: number, where: string): Uint8Array {
  const v = entry[name];
  if (typeof v !== "string") throw new InputError(`${where}: ${name} is missing or not a string`);
  try {
    return fromHex(v.startsWith("0x") ? v : `0x${v}`, length);
  } catch {
    throw new InputError(`${where}: ${name} must be ${length} bytes of hex`);
  }
}

export function parseDepositDataFile(path: string): DepositDataEntry[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new InputError(`cannot read deposit data ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new InputError(`${path} is not JSON`);
  }
  if (!Array.isArray(doc) || doc.length === 0) throw new InputError(`${path}: expected a non-empty JSON array of deposits`);
  const domain = computeDomain(DOMAIN_DEPOSIT);
  return doc.map((raw, i) => {
    const where = `${path} entry ${i}`;
    if (typeof raw !== "object" || raw === null) throw new InputError(`${where}: not an object`);
    const e = raw as Record<string, unknown>;
    const amount = typeof e.amount === "number" ? e.amount : Number(e.amount);
    if (!Number.isSafeInteger(amount) || amount <= 0) throw new InputError(`${where}: amount must be a positive integer (Gwei)`);
    const data: DepositData = {
      pubkey: hexField(e, "pubkey", 48, where),
      withdrawal_credentials: hexField(e, "withdrawal_credentials", 32, where),
      amount,
      signature: hexField(e, "signature", 96, where),
    };
    const forkVersion = hexField(e, "fork_version", 4, where);
    if (!bytesEqual(forkVersion, config.GENESIS_FORK_VERSION)) {
      throw new InputError(`${where}: fork_version ${toHex(forkVersion)} is not this network's GENESIS_FORK_VERSION ${toHex(config.GENESIS_FORK_VERSION)}`);
    }
    const message = {pubkey: data.pubkey, withdrawal_credentials: data.withdrawal_credentials, amount};
    if (e.deposit_message_root !== undefined && !bytesEqual(hexField(e, "deposit_message_root", 32, where), ssz.DepositMessage.hashTreeRoot(message))) {
      throw new InputError(`${where}: deposit_message_root does not match the entry`);
    }
    const depositDataRoot = ssz.DepositData.hashTreeRoot(data);
    if (!bytesEqual(hexField(e, "deposit_data_root", 32, where), depositDataRoot)) throw new InputError(`${where}: deposit_data_root does not match the entry`);
    if (!verify(data.pubkey, computeSigningRoot(ssz.DepositMessage, message, domain), data.signature)) {
      throw new InputError(`${where}: the signature is not a valid proof of possession for ${toHex(data.pubkey)} (the deposit would be lost)`);
    }
    return {data, depositDataRoot};
  });
}

/** One entry of the file format, for tools that write it (tests, key generation). */
export function depositDataJson(data: DepositData, networkName: string): Record<string, unknown> {
  const hex = (b: Uint8Array): string => toHex(b).slice(2);
  const message = {pubkey: data.pubkey, withdrawal_credentials: data.withdrawal_credentials, amount: data.amount};
  return {
    pubkey: hex(data.pubkey),
    withdrawal_credentials: hex(data.withdrawal_credentials),
    amount: data.amount,
    signature: hex(data.signature),
    deposit_message_root: hex(ssz.DepositMessage.hashTreeRoot(message)),
    deposit_data_root: hex(ssz.DepositData.hashTreeRoot(data)),
    fork_version: hex(config.GENESIS_FORK_VERSION),
    network_name: networkName,
  };
}
