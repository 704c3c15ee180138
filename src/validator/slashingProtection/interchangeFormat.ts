/**
 * EIP-3076 interchange format, version 5: JSON types and a validating parser. Integers are
 * decimal strings (as the EIP requires); they must fit exactly in a JS number. An all-zero
 * signing root is read as "unknown": some clients write 0x00..00 as their dummy root.
 */
import {fromHex} from "../../util/bytes.ts";
import {InterchangeError} from "./errors.ts";
import {PUBKEY_LENGTH, ROOT_LENGTH} from "./keys.ts";
import type {SigningRoot} from "./records.ts";

export const INTERCHANGE_FORMAT_VERSION = "5";

export interface InterchangeJson {
  metadata: {interchange_format_version: string; genesis_validators_root: string};
  data: InterchangeDataJson[];
}

export interface InterchangeDataJson {
  pubkey: string;
  signed_blocks: {slot: string; signing_root?: string}[];
  signed_attestations: {source_epoch: string; target_epoch: string; signing_root?: string}[];
}

export interface Interchange {
  genesisValidatorsRoot: Uint8Array;
  data: InterchangeData[];
}

export interface InterchangeData {
  pubkey: Uint8Array;
  blocks: {slot: number; signingRoot: SigningRoot}[];
  attestations: {sourceEpoch: number; targetEpoch: number; signingRoot: SigningRoot}[];
}

type Json = Record<string, unknown>;

const malformed = (message: string): InterchangeError => new InterchangeError("INTERCHANGE_MALFORMED", message);

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function object(v: unknown, where: string): Json {
  if (!isObject(v)) throw malformed(`${where} must be an object`);
  return v;
}

function array(v: unknown, where: string): unknown[] {
  if (!Array.isArray(v)) throw malformed(`${where} must be an array`);
  return v;
}

function hexBytes(v: unknown, length: number, where: string): Uint8Array {
  if (typeof v !== "string") throw malformed(`${where} must be a hex string`);
  try {
    return fromHex(v, length);
  } catch {
    throw malformed(`${where} must be ${length} bytes of hex, got "${v.slice(0, 80)}"`);
  }
}

/** A uint64 written as a decimal string (EIP-3076 "Integer Representation"). */
export function parseUintString(v: unknown, where: string): number {
  if (typeof v !== "string" || !/^[0-9]+$/.test(v)) throw malformed(`${where} must be a decimal integer string, got ${JSON.stringify(v)}`);
  const big = BigInt(v);
  if (big > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new InterchangeError("INTERCHANGE_VALUE_OUT_OF_RANGE", `${where} = ${v} is beyond the supported range (2**53 - 1)`);
  }
  return Number(big);
}

function optionalRoot(v: unknown, where: string): SigningRoot {
  if (v === undefined || v === null) return null;
  const root = hexBytes(v, ROOT_LENGTH, where);
  return root.every((b) => b === 0) ? null : root;
}

export function parseInterchange(json: unknown): Interchange {
  const top = object(json, "interchange");
  const metadata = object(top.metadata, "metadata");
  const version = metadata.interchange_format_version;
  if (version !== INTERCHANGE_FORMAT_VERSION) {
    throw new InterchangeError(
      "INTERCHANGE_UNSUPPORTED_VERSION",
      `unsupported interchange_format_version ${JSON.stringify(version)} (expected "${INTERCHANGE_FORMAT_VERSION}")`
    );
  }
  const genesisValidatorsRoot = hexBytes(metadata.genesis_validators_root, ROOT_LENGTH, "metadata.genesis_validators_root");

  const data = array(top.data, "data").map((item, i): InterchangeData => {
    const where = `data[${i}]`;
    const entry = object(item, where);
    return {
      pubkey: hexBytes(entry.pubkey, PUBKEY_LENGTH, `${where}.pubkey`),
      blocks: array(entry.signed_blocks, `${where}.signed_blocks`).map((b, j) => {
        const w = `${where}.signed_blocks[${j}]`;
        const block = object(b, w);
        return {slot: parseUintString(block.slot, `${w}.slot`), signingRoot: optionalRoot(block.signing_root, `${w}.signing_root`)};
      }),
      attestations: array(entry.signed_attestations, `${where}.signed_attestations`).map((a, j) => {
        const w = `${where}.signed_attestations[${j}]`;
        const att = object(a, w);
        return {
          sourceEpoch: parseUintString(att.source_epoch, `${w}.source_epoch`),
          targetEpoch: parseUintString(att.target_epoch, `${w}.target_epoch`),
          signingRoot: optionalRoot(att.signing_root, `${w}.signing_root`),
        };
      }),
    };
  });
  return {genesisValidatorsRoot, data};
}

/** Accepts interchange JSON text or an already-parsed value. */
export function parseInterchangeInput(input: unknown): Interchange {
  if (typeof input !== "string") return parseInterchange(input);
  let json: unknown;
  try {
    json = JSON.parse(input);
  } catch (e) {
    throw malformed(`interchange is not valid JSON: ${(e as Error).message}`);
  }
  return parseInterchange(json);
}
