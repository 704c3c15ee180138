/** Byte helpers used at the edges (hex for YAML, JSON, logs) and in hot paths (comparisons). */
import {InputError} from "./errors.ts";

const HEX = /^(0x)?([0-9a-fA-F]{2})*$/;

export function toHex(bytes: Uint8Array): string {
  return "0x" + Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/** Parses `0x`-prefixed (or bare) hex; `length` enforces an exact byte length. */
export function fromHex(hex: string, length?: number): Uint8Array {
  if (typeof hex !== "string" || !HEX.test(hex)) throw new InputError(`not a hex string: ${String(hex).slice(0, 80)}`);
  const body = hex.startsWith("0x") ? hex.slice(2) : hex;
  const out = new Uint8Array(Buffer.from(body, "hex"));
  if (length !== undefined && out.length !== length) {
    throw new InputError(`expected ${length} bytes of hex, got ${out.length}`);
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Little-endian uint64 of a non-negative safe integer or bigint. */
export function uint64ToBytesLE(value: number | bigint, length = 8): Uint8Array {
  const out = new Uint8Array(length);
  let v = BigInt(value);
  for (let i = 0; i < length && v > 0n; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

export function bytesToBigIntLE(bytes: Uint8Array): bigint {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  return v;
}
