/**
 * Key layout of the slasher database: a prefix byte, then big-endian numbers so that keys sort
 * by epoch (pruning deletes a key range).
 */
import {u64BE} from "../db/index.ts";

export const Prefix = {
  /** epoch chunk (u32) ‖ validator chunk (u32) -> min-target distances, u16 per validator x epoch */
  minSpan: 0x01,
  /** epoch chunk (u32) ‖ validator chunk (u32) -> max-target distances, u16 per validator x epoch */
  maxSpan: 0x02,
  /** target epoch (u32) ‖ validator chunk (u32) -> attestation number + 1 per validator (u32; 0: none) */
  attester: 0x03,
  /** target epoch (u32) ‖ attestation number (u32) -> compact IndexedAttestation */
  attestation: 0x04,
  /** target epoch (u32) -> the next attestation number of that epoch (u32) */
  attestationCount: 0x05,
  /** slot (u64) ‖ proposer (u32) -> SignedBeaconBlockHeader (SSZ) */
  proposal: 0x06,
  /** epoch (u64) ‖ sha256 of the slashing -> kind byte ‖ ProposerSlashing or AttesterSlashing (SSZ) */
  slashing: 0x07,
  /** sequence (u64) -> kind byte ‖ IndexedAttestation or SignedBeaconBlockHeader (SSZ): inputs not yet checkpointed */
  queue: 0x08,
  /** name (utf8) -> value: the layout parameters, the last pruned epoch */
  meta: 0x09,
} as const;
export type PrefixId = (typeof Prefix)[keyof typeof Prefix];

export function key(prefix: PrefixId, ...parts: (readonly ["u32", number] | readonly ["u64", number] | Uint8Array)[]): Uint8Array {
  let len = 1;
  for (const p of parts) len += p instanceof Uint8Array ? p.length : p[0] === "u32" ? 4 : 8;
  const out = new Uint8Array(len);
  const view = new DataView(out.buffer);
  out[0] = prefix;
  let off = 1;
  for (const p of parts) {
    if (p instanceof Uint8Array) {
      out.set(p, off);
      off += p.length;
    } else if (p[0] === "u32") {
      view.setUint32(off, p[1]);
      off += 4;
    } else {
      out.set(u64BE(p[1]), off);
      off += 8;
    }
  }
  return out;
}

export function readU32(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset + offset, 4).getUint32(0);
}

/** [gte, lt) of every key under a prefix, optionally below a first u32/u64 component. */
export function prefixRange(prefix: PrefixId, below?: readonly ["u32", number] | readonly ["u64", number]): {gte: Uint8Array; lt: Uint8Array} {
  const gte = new Uint8Array([prefix]);
  const lt = below === undefined ? new Uint8Array([prefix + 1]) : key(prefix, below);
  return {gte, lt};
}
