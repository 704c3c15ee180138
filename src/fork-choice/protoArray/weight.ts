/**
 * A node's weight is kept in two exact parts: attestation weight in effective-balance increments
 * (an integer, summing a registry far above 2**53 Gwei) and proposer boost in Gwei (a committee
 * fraction, not a whole number of increments). The spec's weight is `increments * I + boost`;
 * these helpers compare and report it without rounding.
 */

/** Sign of (wa * increment + ba) - (wb * increment + bb), exact. */
export function compareWeights(wa: number, ba: number, wb: number, bb: number, increment: number): number {
  if (ba === bb) return wa === wb ? 0 : wa > wb ? 1 : -1;
  const x = (wa - wb) * increment;
  const y = bb - ba;
  if (Number.isSafeInteger(x) && Number.isSafeInteger(y)) return x === y ? 0 : x > y ? 1 : -1;
  const bx = BigInt(wa - wb) * BigInt(increment);
  const by = BigInt(bb) - BigInt(ba);
  return bx === by ? 0 : bx > by ? 1 : -1;
}

/** The spec's Gwei value of a weight. */
export function weightToGwei(increments: number, boost: number, increment: number): bigint {
  return BigInt(increments) * BigInt(increment) + BigInt(boost);
}

/** Exact `increments * increment` compared with a Gwei threshold: sign of the difference. */
export function compareIncrementsToGwei(increments: number, increment: number, gwei: bigint): number {
  const v = BigInt(increments) * BigInt(increment);
  return v === gwei ? 0 : v > gwei ? 1 : -1;
}
