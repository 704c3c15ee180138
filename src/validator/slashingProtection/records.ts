/**
 * What the store keeps per validator: one block record per slot, one attestation record per
 * target epoch, and the low watermarks of EIP-3076 conditions (2), (4) and (5). A `null`
 * signing root means "unknown" (imported without one, or merged from conflicting records): it
 * equals nothing, so it never admits a re-sign.
 */
export type SigningRoot = Uint8Array | null;

export interface BlockRecord {
  slot: number;
  signingRoot: SigningRoot;
}

export interface AttestationRecord {
  sourceEpoch: number;
  targetEpoch: number;
  signingRoot: SigningRoot;
}

/**
 * Refuse blocks with `slot <= blockSlot`, attestations with `source < sourceEpoch` or
 * `target <= targetEpoch`, except (for slot and target) an exact re-sign of a stored record.
 */
export interface Watermarks {
  blockSlot: number | null;
  sourceEpoch: number | null;
  targetEpoch: number | null;
}

export const NO_WATERMARKS: Watermarks = Object.freeze({blockSlot: null, sourceEpoch: null, targetEpoch: null});

/** Same message: both roots known and equal. */
export function sameSigningRoot(a: SigningRoot, b: SigningRoot): boolean {
  if (a === null || b === null || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Two records for the same slot/target collapse into one that re-signs neither. */
export function mergeSigningRoots(a: SigningRoot, b: SigningRoot): SigningRoot {
  return sameSigningRoot(a, b) ? a : null;
}

export function maxOrNull(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}
