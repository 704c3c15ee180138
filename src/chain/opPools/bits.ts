/** Set operations on aggregation bitfields of equal length (SSZ BitArray's packed bytes). */
import {BitArray} from "@chainsafe/ssz";

/** Every bit set in `a` is also set in `b`. */
export function isSubsetOf(a: BitArray, b: BitArray): boolean {
  const x = a.uint8Array;
  const y = b.uint8Array;
  for (let i = 0; i < x.length; i++) if ((x[i] & ~y[i]) !== 0) return false;
  return true;
}

/** No bit is set in both. */
export function isDisjoint(a: BitArray, b: BitArray): boolean {
  const x = a.uint8Array;
  const y = b.uint8Array;
  for (let i = 0; i < x.length; i++) if ((x[i] & y[i]) !== 0) return false;
  return true;
}

export function orBits(a: BitArray, b: BitArray): BitArray {
  const out = new Uint8Array(a.uint8Array);
  const y = b.uint8Array;
  for (let i = 0; i < out.length; i++) out[i] |= y[i];
  return new BitArray(out, a.bitLen);
}

const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >> 1];

export function countBits(a: BitArray): number {
  let n = 0;
  for (const byte of a.uint8Array) n += POPCOUNT[byte];
  return n;
}
