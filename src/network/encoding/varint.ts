/** Unsigned LEB128 (protobuf varint), the length prefix of ssz_snappy req/resp payloads. */
import type {ByteReader} from "./byteReader.ts";
import {EncodingError} from "./errors.ts";

/** A varint longer than this cannot express a length we would accept. */
const MAX_VARINT_BYTES = 10;

export function encodeVarint(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`varint of ${value}`);
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Uint8Array.from(out);
}

/** Reads a varint; null if the stream ended before its first byte. */
export async function readVarint(reader: ByteReader): Promise<number | null> {
  let value = 0;
  for (let i = 0; i < MAX_VARINT_BYTES; i++) {
    const b = await reader.readByte();
    if (b === null) {
      if (i === 0) return null;
      throw new EncodingError("INVALID_VARINT", "stream ended inside a varint");
    }
    value += (b & 0x7f) * 2 ** (7 * i);
    if ((b & 0x80) === 0) {
      if (i > 0 && b === 0) throw new EncodingError("INVALID_VARINT", "varint is not minimally encoded");
      if (!Number.isSafeInteger(value)) throw new EncodingError("INVALID_VARINT", "varint exceeds 2^53");
      return value;
    }
  }
  throw new EncodingError("INVALID_VARINT", `varint longer than ${MAX_VARINT_BYTES} bytes`);
}
