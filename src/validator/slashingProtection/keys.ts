/**
 * Level key and value layout (binary). Numbers are 8-byte big-endian so that key order is
 * numeric order and a target-epoch range is one iterator seek.
 *
 *   0x00                          -> schema version (1 byte)
 *   0x01                          -> genesis_validators_root (32)
 *   0x02 | pubkey                 -> watermarks: block slot, source, target (3 x 8; all-ones = none)
 *   0x03 | pubkey | slot          -> block signing root (32, or empty when unknown)
 *   0x04 | pubkey | target epoch  -> source epoch (8) | attestation signing root (32, or absent)
 *   0x05 | pubkey | target epoch  -> the same, for imported records whose source is after their target
 */
import type {AttestationRecord, BlockRecord, SigningRoot, Watermarks} from "./records.ts";

export const SCHEMA_VERSION = 1;
export const PUBKEY_LENGTH = 48;
export const ROOT_LENGTH = 32;

const P_SCHEMA = 0x00;
const P_GVR = 0x01;
const P_WATERMARKS = 0x02;
const P_BLOCK = 0x03;
const P_ATTESTATION = 0x04;
const P_INVERTED_ATTESTATION = 0x05;
const NONE = 0xffffffff;

export const SCHEMA_KEY = Uint8Array.of(P_SCHEMA);
export const GVR_KEY = Uint8Array.of(P_GVR);

function writeUint64(out: Uint8Array, offset: number, value: number): void {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint32(offset, Math.floor(value / 2 ** 32));
  view.setUint32(offset + 4, value >>> 0);
}

function readUint64(bytes: Uint8Array, offset: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return view.getUint32(offset) * 2 ** 32 + view.getUint32(offset + 4);
}

function prefixed(prefix: number, pubkey: Uint8Array, value?: number): Uint8Array {
  const out = new Uint8Array(1 + PUBKEY_LENGTH + (value === undefined ? 0 : 8));
  out[0] = prefix;
  out.set(pubkey, 1);
  if (value !== undefined) writeUint64(out, 1 + PUBKEY_LENGTH, value);
  return out;
}

/** First and last possible keys of a pubkey's records of one kind, for range iteration. */
function bounds(prefix: number, pubkey: Uint8Array): {gte: Uint8Array; lte: Uint8Array} {
  const lte = prefixed(prefix, pubkey, 0);
  lte.fill(0xff, 1 + PUBKEY_LENGTH);
  return {gte: prefixed(prefix, pubkey, 0), lte};
}

export const watermarksKey = (pubkey: Uint8Array): Uint8Array => prefixed(P_WATERMARKS, pubkey);
export const blockKey = (pubkey: Uint8Array, slot: number): Uint8Array => prefixed(P_BLOCK, pubkey, slot);
export const attestationKey = (pubkey: Uint8Array, target: number): Uint8Array => prefixed(P_ATTESTATION, pubkey, target);
export const invertedAttestationKey = (pubkey: Uint8Array, target: number): Uint8Array => prefixed(P_INVERTED_ATTESTATION, pubkey, target);
export const invertedAttestationRange = (pubkey: Uint8Array): {gte: Uint8Array; lte: Uint8Array} => bounds(P_INVERTED_ATTESTATION, pubkey);
export const blockRange = (pubkey: Uint8Array): {gte: Uint8Array; lte: Uint8Array} => bounds(P_BLOCK, pubkey);
export const attestationRange = (pubkey: Uint8Array): {gte: Uint8Array; lte: Uint8Array} => bounds(P_ATTESTATION, pubkey);
export const watermarksRange = {gt: Uint8Array.of(P_WATERMARKS), lt: Uint8Array.of(P_WATERMARKS + 1)};

export const pubkeyOfKey = (key: Uint8Array): Uint8Array => new Uint8Array(key.subarray(1, 1 + PUBKEY_LENGTH));
export const numberOfKey = (key: Uint8Array): number => readUint64(key, 1 + PUBKEY_LENGTH);

export function encodeWatermarks(w: Watermarks): Uint8Array {
  const out = new Uint8Array(24).fill(0xff);
  [w.blockSlot, w.sourceEpoch, w.targetEpoch].forEach((v, i) => {
    if (v !== null) writeUint64(out, i * 8, v);
  });
  return out;
}

export function decodeWatermarks(bytes: Uint8Array): Watermarks {
  const field = (i: number): number | null => {
    const view = new DataView(bytes.buffer, bytes.byteOffset + i * 8, 8);
    return view.getUint32(0) === NONE && view.getUint32(4) === NONE ? null : readUint64(bytes, i * 8);
  };
  return {blockSlot: field(0), sourceEpoch: field(1), targetEpoch: field(2)};
}

export function encodeBlockValue(root: SigningRoot): Uint8Array {
  return root === null ? new Uint8Array(0) : Uint8Array.from(root);
}

export function decodeBlock(slot: number, value: Uint8Array): BlockRecord {
  return {slot, signingRoot: value.length === ROOT_LENGTH ? new Uint8Array(value) : null};
}

export function encodeAttestationValue(source: number, root: SigningRoot): Uint8Array {
  const out = new Uint8Array(8 + (root === null ? 0 : ROOT_LENGTH));
  writeUint64(out, 0, source);
  if (root !== null) out.set(root, 8);
  return out;
}

export function decodeAttestation(target: number, value: Uint8Array): AttestationRecord {
  return {
    sourceEpoch: readUint64(value, 0),
    targetEpoch: target,
    signingRoot: value.length === 8 + ROOT_LENGTH ? new Uint8Array(value.subarray(8)) : null,
  };
}
