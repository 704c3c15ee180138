/**
 * Integer helpers with the spec's Uint64 semantics on top of JS numbers.
 *
 * Values are exact below 2**53; FAR_FUTURE_EPOCH (2**64-1) is Infinity, as @chainsafe/ssz
 * decodes it. Where the spec can overflow (adding a delay to an epoch read from the state) the
 * sum is checked exactly, so a result above 2**64-1 fails as the spec's Uint64 does.
 */
import {UINT64_MAX_BIGINT, UINT64_MAX_SQRT} from "../../params/index.ts";
import {Uint64Error} from "../errors.ts";

/** `a + b` as Uint64: throws when the exact sum exceeds 2**64-1. */
export function addUint64(a: number, b: number): number {
  const sum = a + b;
  if (sum <= Number.MAX_SAFE_INTEGER) return sum;
  // Infinity is 2**64-1: adding anything positive to it overflows.
  if (a === Infinity || b === Infinity) {
    if (a === 0 || b === 0) return Infinity;
    throw new Uint64Error("UINT64_OVERFLOW", `uint64 overflow: 2**64-1 + ${a === Infinity ? b : a}`);
  }
  const exact = BigInt(a) + BigInt(b);
  if (exact > UINT64_MAX_BIGINT) throw new Uint64Error("UINT64_OVERFLOW", `uint64 overflow: ${a} + ${b}`);
  return Number(exact);
}

/** `a - b` as Uint64: throws when b > a. */
export function subUint64(a: number, b: number): number {
  if (b > a) throw new Uint64Error("UINT64_UNDERFLOW", `uint64 underflow: ${a} - ${b}`);
  return a - b;
}

/** integer_squareroot: the largest x with x**2 <= n, exact for any uint64 given as a bigint. */
export function integerSquareroot(n: bigint | number): number {
  const big = typeof n === "bigint" ? n : n === Infinity ? UINT64_MAX_BIGINT : BigInt(n);
  if (big < 0n) throw new Uint64Error("UINT64_UNDERFLOW", "integer_squareroot of a negative number");
  if (big === UINT64_MAX_BIGINT) return UINT64_MAX_SQRT;
  // A double square root is within one of the answer for any n < 2**64; fix it up exactly.
  let x = BigInt(Math.floor(Math.sqrt(Number(big))));
  while (x * x > big) x--;
  while ((x + 1n) * (x + 1n) <= big) x++;
  return Number(x);
}

/** xor of two 32-byte strings. */
export function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length !== b.length) throw new Uint64Error("INVALID_LENGTH", `xor of ${a.length} and ${b.length} bytes`);
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] ^ b[i];
  return out;
}

/** uint_to_bytes for a Uint64: 8 bytes little-endian. */
export function uint64ToBytes(n: number): Uint8Array {
  const out = new Uint8Array(8);
  if (n === Infinity) {
    out.fill(0xff);
    return out;
  }
  const lo = n % 0x100000000;
  const hi = Math.floor(n / 0x100000000);
  const view = new DataView(out.buffer);
  view.setUint32(0, lo, true);
  view.setUint32(4, hi, true);
  return out;
}

/** bytes_to_uint64: little-endian; exact below 2**53, 2**64-1 becomes Infinity. */
export function bytesToUint64(data: Uint8Array): number {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const lo = view.getUint32(0, true);
  const hi = view.getUint32(4, true);
  if (lo === 0xffffffff && hi === 0xffffffff) return Infinity;
  return hi * 0x100000000 + lo;
}

/**
 * A Gwei sum kept exact past 2**53: whole increments and the remainder below one increment are
 * summed separately (each stays far below 2**53), then combined as a bigint when needed.
 */
export class GweiSum {
  increments = 0;
  remainder = 0;
  readonly incrementSize: number;
  constructor(incrementSize: number) {
    this.incrementSize = incrementSize;
  }
  add(gwei: number): void {
    const inc = Math.floor(gwei / this.incrementSize);
    this.increments += inc;
    this.remainder += gwei - inc * this.incrementSize;
  }
  /** The exact sum. */
  toBigInt(): bigint {
    return BigInt(this.increments) * BigInt(this.incrementSize) + BigInt(this.remainder);
  }
  /** floor(sum / incrementSize), exact. */
  wholeIncrements(): number {
    return this.increments + Math.floor(this.remainder / this.incrementSize);
  }
}
