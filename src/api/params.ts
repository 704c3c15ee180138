/**
 * Parsing of path and query parameters: state and block ids, validator ids, uint64s, roots,
 * comma-separated and repeated lists. Each parser names the parameter in its 400 message.
 */
import {badRequest, clip} from "./errors.ts";
import {decimalFits, describeValue, isHex} from "../types/fromTree.ts";

const DECIMAL = /^[0-9]+$/;
const ROOT = /^0x[0-9a-fA-F]{64}$/;
const PUBKEY = /^0x[0-9a-fA-F]{96}$/;

/**
 * A value for a message, never longer than about 80 characters: input may be megabytes long or
 * nested thousands deep, and serializing it whole would echo it back or exhaust the stack.
 */
function show(v: unknown): string {
  if (typeof v === "string") return clip(v);
  return describeValue(v);
}

/** A uint64 parameter that Gnomon holds as a number: a decimal string up to 2**53-1. */
export function parseUint(value: unknown, name: string): number {
  if (typeof value !== "string" || !DECIMAL.test(value)) {
    throw badRequest(`Invalid ${name}: ${show(value)} (expected an unsigned decimal integer)`);
  }
  const n = decimalFits(value, 64) ? Number(value) : Infinity;
  if (!Number.isSafeInteger(n)) throw badRequest(`Invalid ${name}: ${show(value)} is out of range`);
  return n;
}

export function parseOptionalUint(value: unknown, name: string): number | undefined {
  return value === undefined ? undefined : parseUint(single(value, name), name);
}

export function parseRoot(value: unknown, name: string): Uint8Array {
  if (typeof value !== "string" || !ROOT.test(value)) {
    throw badRequest(`Invalid ${name}: ${show(value)} (expected 0x-prefixed 32-byte hex)`);
  }
  return new Uint8Array(Buffer.from(value.slice(2), "hex"));
}

export function parseHexBytes(value: unknown, name: string, length: number): Uint8Array {
  if (typeof value !== "string" || value.length !== 2 + length * 2 || !isHex(value)) {
    throw badRequest(`Invalid ${name}: ${show(value)} (expected 0x-prefixed ${length}-byte hex)`);
  }
  return new Uint8Array(Buffer.from(value.slice(2), "hex"));
}

/**
 * A block's graffiti: 0x-prefixed 32-byte hex as the API defines it, or, without the 0x prefix,
 * text of at most 32 UTF-8 bytes, zero-padded: validator clients of the phase0 era send the
 * operator's graffiti string as it is.
 */
export function parseGraffiti(value: string): Uint8Array {
  if (value.startsWith("0x")) return parseHexBytes(value, "graffiti", 32);
  const text = new TextEncoder().encode(value);
  if (text.length > 32) throw badRequest(`Invalid graffiti: ${show(value)} (expected 0x-prefixed 32-byte hex or text of at most 32 bytes)`);
  const out = new Uint8Array(32);
  out.set(text);
  return out;
}

/** A query parameter given once; a repeated one (`?slot=1&slot=2`) is ambiguous. */
export function single(value: unknown, name: string): string {
  if (Array.isArray(value)) {
    if (value.length === 1) return String(value[0]);
    throw badRequest(`Invalid ${name}: given ${value.length} times`);
  }
  return String(value);
}

/**
 * A list parameter, given as `?id=1,2,3`, as `?id=1&id=2`, or both. Empty items (`1,,2`, a
 * trailing comma) are skipped. Returns undefined when the parameter is absent.
 */
export function parseList(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const parts = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const p of parts) {
    for (const item of String(p).split(",")) {
      const t = item.trim();
      if (t !== "") out.push(t);
    }
  }
  return out;
}

export type StateId =
  | {kind: "head" | "genesis" | "finalized" | "justified"}
  | {kind: "slot"; slot: number}
  | {kind: "root"; root: Uint8Array};

export function parseStateId(value: unknown): StateId {
  if (value === "head" || value === "genesis" || value === "finalized" || value === "justified") return {kind: value};
  if (typeof value === "string" && DECIMAL.test(value)) return {kind: "slot", slot: parseUint(value, "state ID")};
  if (typeof value === "string" && ROOT.test(value)) return {kind: "root", root: parseRoot(value, "state ID")};
  throw badRequest(`Invalid state ID: ${show(value)}`);
}

export type BlockId =
  | {kind: "head" | "genesis" | "finalized"}
  | {kind: "slot"; slot: number}
  | {kind: "root"; root: Uint8Array};

export function parseBlockId(value: unknown): BlockId {
  if (value === "head" || value === "genesis" || value === "finalized") return {kind: value};
  if (typeof value === "string" && DECIMAL.test(value)) return {kind: "slot", slot: parseUint(value, "block ID")};
  if (typeof value === "string" && ROOT.test(value)) return {kind: "root", root: parseRoot(value, "block ID")};
  throw badRequest(`Invalid block ID: ${show(value)}`);
}

export type ValidatorId = {kind: "index"; index: number} | {kind: "pubkey"; pubkey: Uint8Array; hex: string};

export function parseValidatorId(value: unknown): ValidatorId {
  if (typeof value === "string" && DECIMAL.test(value)) return {kind: "index", index: parseUint(value, "validator ID")};
  if (typeof value === "string" && PUBKEY.test(value)) {
    return {kind: "pubkey", pubkey: new Uint8Array(Buffer.from(value.slice(2), "hex")), hex: value.toLowerCase()};
  }
  throw badRequest(`Invalid validator ID: ${show(value)} (expected an index or a 0x-prefixed 48-byte pubkey)`);
}

/** A JSON body that must be an array of strings (ids, statuses), of at most `maxItems` when given. */
export function stringArray(value: unknown, name: string, maxItems?: number): string[] {
  if (!Array.isArray(value)) throw badRequest(`Invalid ${name}: expected an array, got ${show(value)}`);
  if (maxItems !== undefined && value.length > maxItems) {
    throw badRequest(`Invalid ${name}: ${value.length} items, more than the ${maxItems} allowed`, "TOO_MANY_IDS");
  }
  for (const [i, v] of value.entries()) {
    if (typeof v !== "string") throw badRequest(`Invalid ${name}[${i}]: expected a string, got ${show(v)}`);
  }
  return value as string[];
}

/** A JSON body that must be an array of uint64 decimal strings (validator indices). */
export function uintArray(value: unknown, name: string, opts: {minItems?: number; maxItems?: number} = {}): number[] {
  const items = stringArray(value, name, opts.maxItems);
  if (opts.minItems !== undefined && items.length < opts.minItems) {
    throw badRequest(`Invalid ${name}: expected at least ${opts.minItems} item(s)`);
  }
  return items.map((v, i) => parseUint(v, `${name}[${i}]`));
}

export function parseBooleanish(value: unknown, name: string): boolean {
  const v = single(value, name);
  if (v === "true" || v === "") return true;
  if (v === "false") return false;
  throw badRequest(`Invalid ${name}: ${show(v)} (expected true or false)`);
}
