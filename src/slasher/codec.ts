/**
 * A compact encoding of IndexedAttestation for the slasher's history: the AttestationData and
 * the signature as SSZ, then the sorted attesting indices as varint deltas. A committee's indices
 * cost 1-3 bytes each instead of SSZ's 8, which is most of the difference between storing every
 * vote's evidence and staying within a few bytes per validator per epoch.
 */
import {ssz, type IndexedAttestation} from "../types/index.ts";
import {GnomonError} from "../util/errors.ts";

export class SlasherCodecError extends GnomonError {
  constructor(message: string) {
    super("SLASHER_CORRUPT_RECORD", message);
  }
}

const DATA_BYTES = 128;
const SIGNATURE_BYTES = 96;

export function encodeIndexedAttestation(att: IndexedAttestation): Uint8Array {
  const indices = att.attesting_indices;
  const out = new Uint8Array(DATA_BYTES + SIGNATURE_BYTES + 5 + indices.length * 5);
  out.set(ssz.AttestationData.serialize(att.data), 0);
  out.set(att.signature, DATA_BYTES);
  let off = writeVarint(out, DATA_BYTES + SIGNATURE_BYTES, indices.length);
  let prev = 0;
  for (let i = 0; i < indices.length; i++) {
    // Indices of a valid IndexedAttestation are strictly increasing; the first delta is the index itself.
    off = writeVarint(out, off, i === 0 ? indices[0] : indices[i] - prev);
    prev = indices[i];
  }
  return out.slice(0, off);
}

export function decodeIndexedAttestation(bytes: Uint8Array): IndexedAttestation {
  if (bytes.length < DATA_BYTES + SIGNATURE_BYTES + 1) throw new SlasherCodecError(`attestation record of ${bytes.length} bytes is too short`);
  const data = ssz.AttestationData.deserialize(bytes.subarray(0, DATA_BYTES));
  const signature = bytes.slice(DATA_BYTES, DATA_BYTES + SIGNATURE_BYTES);
  const pos = {off: DATA_BYTES + SIGNATURE_BYTES};
  const count = readVarint(bytes, pos);
  const indices: number[] = new Array(count);
  let prev = 0;
  for (let i = 0; i < count; i++) {
    const d = readVarint(bytes, pos);
    prev = i === 0 ? d : prev + d;
    indices[i] = prev;
  }
  if (pos.off !== bytes.length) throw new SlasherCodecError("attestation record has trailing bytes");
  return {attesting_indices: indices, data, signature};
}

function writeVarint(out: Uint8Array, off: number, value: number): number {
  let v = value;
  while (v >= 0x80) {
    out[off++] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  out[off++] = v;
  return off;
}

function readVarint(bytes: Uint8Array, pos: {off: number}): number {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 8; i++) {
    if (pos.off >= bytes.length) throw new SlasherCodecError("attestation record ends inside a number");
    const b = bytes[pos.off++];
    value += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) return value;
    scale *= 128;
  }
  throw new SlasherCodecError("attestation record holds a number longer than 8 bytes");
}
