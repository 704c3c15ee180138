/**
 * Key layout of the beacon database. One byte of bucket prefix, then a key whose byte order
 * sorts the way it is iterated (big-endian slots and epochs).
 */
export const Bucket = {
  /** block root -> SignedBeaconBlock (SSZ) */
  block: 0x01,
  /** slot (u64 BE) -> block root, the finalized canonical chain */
  finalizedSlot: 0x02,
  /** epoch (u64 BE) ‖ block root -> BeaconState (SSZ): checkpoint states kept for regeneration */
  checkpointState: 0x03,
  /** slot (u64 BE) -> BeaconState (SSZ): finalized states archived for historical queries */
  stateArchive: 0x04,
  /** name (utf8) -> value: anchor, genesis, chain identity */
  meta: 0x05,
  /** block slot (u64 BE) ‖ block root -> empty: index of stored blocks by slot */
  blockSlot: 0x06,
} as const;

export type BucketId = (typeof Bucket)[keyof typeof Bucket];

export function u64BE(value: number): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, Math.floor(value / 2 ** 32));
  view.setUint32(4, value >>> 0);
  return out;
}

export function readU64BE(bytes: Uint8Array, offset = 0): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, 8);
  return view.getUint32(0) * 2 ** 32 + view.getUint32(4);
}

export function key(bucket: BucketId, ...parts: Uint8Array[]): Uint8Array {
  let len = 1;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  out[0] = bucket;
  let off = 1;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** [gte, lt) bounds covering a whole bucket, or the keys of a bucket with a given prefix. */
export function bucketRange(bucket: BucketId, prefix?: Uint8Array): {gte: Uint8Array; lt: Uint8Array} {
  const gte = key(bucket, ...(prefix ? [prefix] : []));
  const lt = new Uint8Array(gte);
  // Increment the prefix as a big-endian number; a trailing 0xff carries (never overflows the bucket byte).
  let i = lt.length - 1;
  while (i >= 0 && lt[i] === 0xff) {
    lt[i] = 0;
    i--;
  }
  lt[i]++;
  return {gte, lt};
}
