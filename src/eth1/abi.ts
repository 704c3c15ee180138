/**
 * The deposit contract's ABI (deposit_contract.json), encoded and decoded by hand: four
 * functions and one event, all of fixed types, so a general ABI codec would be dead weight.
 * Decoding is strict: a log or return value of any other shape is an Eth1Error, never a guess.
 */
import {keccak_256} from "@noble/hashes/sha3.js";
import {bytesEqual, concatBytes} from "../util/bytes.ts";
import {ssz, type DepositData} from "../types/index.ts";
import {Eth1Error, Eth1ErrorCode} from "./errors.ts";

const utf8 = new TextEncoder();

function selector(signature: string): Uint8Array {
  return keccak_256(utf8.encode(signature)).subarray(0, 4);
}

export const DEPOSIT_SELECTOR = selector("deposit(bytes,bytes,bytes,bytes32)");
export const GET_DEPOSIT_ROOT_SELECTOR = selector("get_deposit_root()");
export const GET_DEPOSIT_COUNT_SELECTOR = selector("get_deposit_count()");
/** topic0 of DepositEvent(bytes pubkey, bytes withdrawal_credentials, bytes amount, bytes signature, bytes index). */
export const DEPOSIT_EVENT_TOPIC = keccak_256(utf8.encode("DepositEvent(bytes,bytes,bytes,bytes,bytes)"));

function word(n: number): Uint8Array {
  const out = new Uint8Array(32);
  new DataView(out.buffer).setBigUint64(24, BigInt(n));
  return out;
}

function padded(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(bytes.length / 32) * 32);
  out.set(bytes);
  return out;
}

/** Calldata of deposit(pubkey, withdrawal_credentials, signature, deposit_data_root). */
export function encodeDepositCall(data: DepositData, depositDataRoot: Uint8Array): Uint8Array {
  const tails = [data.pubkey, data.withdrawal_credentials, data.signature].map((b) => concatBytes(word(b.length), padded(b)));
  const head: Uint8Array[] = [];
  let offset = 4 * 32;
  for (const t of tails) {
    head.push(word(offset));
    offset += t.length;
  }
  head.push(depositDataRoot);
  return concatBytes(DEPOSIT_SELECTOR, ...head, ...tails);
}

function readWord(buf: Uint8Array, offset: number, what: string): number {
  if (offset + 32 > buf.length) throw bad(`${what}: data ends at ${buf.length}, word at ${offset}`);
  for (let i = offset; i < offset + 24; i++) if (buf[i] !== 0) throw bad(`${what}: word at ${offset} is too large`);
  return Number(new DataView(buf.buffer, buf.byteOffset + offset + 24, 8).getBigUint64(0));
}

/** The `index`-th dynamic `bytes` of an ABI tuple, which must be exactly `length` long. */
function readBytesParam(buf: Uint8Array, index: number, length: number, what: string): Uint8Array {
  const offset = readWord(buf, index * 32, what);
  const len = readWord(buf, offset, what);
  if (len !== length) throw bad(`${what}: length ${len}, expected ${length}`);
  if (offset + 32 + len > buf.length) throw bad(`${what}: runs past the end of the data`);
  return buf.slice(offset + 32, offset + 32 + len);
}

function bad(message: string): Eth1Error {
  return new Eth1Error(Eth1ErrorCode.BAD_RESULT, `deposit contract ABI: ${message}`);
}

function leU64(bytes: Uint8Array): number {
  const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw bad(`little-endian value ${n} is out of range`);
  return Number(n);
}

export interface DepositEventData {
  data: DepositData;
  /** The deposit's index in the contract (0-based). */
  index: number;
}

/** Decodes a DepositEvent log's data field. */
export function decodeDepositEvent(logData: Uint8Array): DepositEventData {
  const pubkey = readBytesParam(logData, 0, 48, "DepositEvent pubkey");
  const withdrawal_credentials = readBytesParam(logData, 1, 32, "DepositEvent withdrawal_credentials");
  const amount = leU64(readBytesParam(logData, 2, 8, "DepositEvent amount"));
  const signature = readBytesParam(logData, 3, 96, "DepositEvent signature");
  const index = leU64(readBytesParam(logData, 4, 8, "DepositEvent index"));
  return {data: {pubkey, withdrawal_credentials, amount, signature}, index};
}

/** get_deposit_count() returns `bytes`: 8 bytes little-endian. */
export function decodeDepositCount(ret: Uint8Array): number {
  return leU64(readBytesParam(ret, 0, 8, "get_deposit_count"));
}

export function decodeDepositRoot(ret: Uint8Array): Uint8Array {
  if (ret.length !== 32) throw bad(`get_deposit_root returned ${ret.length} bytes, expected 32`);
  return ret;
}

export function isDepositEventTopic(topic: Uint8Array): boolean {
  return bytesEqual(topic, DEPOSIT_EVENT_TOPIC);
}

export function depositDataRoot(data: DepositData): Uint8Array {
  return ssz.DepositData.hashTreeRoot(data);
}
