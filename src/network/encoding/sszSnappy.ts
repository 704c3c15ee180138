/**
 * The ssz_snappy req/resp encoding (p2p-interface.md "SSZ-snappy encoding strategy"): the SSZ
 * length as an unsigned varint, then the SSZ bytes in snappy frames. Lengths are checked against
 * the type's SSZ bounds and MAX_PAYLOAD_SIZE before a byte of payload is read.
 */
import type {ByteReader} from "./byteReader.ts";
import {EncodingError} from "./errors.ts";
import {maxCompressedLen} from "./snappyBlock.ts";
import {encodeSnappyFrames, MAX_CHUNK_DATA, readSnappyFrames, STREAM_IDENTIFIER} from "./snappyFrames.ts";
import {encodeVarint, readVarint} from "./varint.ts";

export interface SszBounds {
  minSize: number;
  maxSize: number;
}

export function encodeSszSnappy(ssz: Uint8Array): Uint8Array {
  const prefix = encodeVarint(ssz.length);
  const frames = encodeSnappyFrames(ssz);
  const out = new Uint8Array(prefix.length + frames.length);
  out.set(prefix);
  out.set(frames, prefix.length);
  return out;
}

/** The most wire bytes the frames of an n-byte payload may take: max_compressed_len per chunk plus headers. */
export function maxFramedLength(n: number): number {
  const chunks = Math.max(1, Math.ceil(n / MAX_CHUNK_DATA));
  return STREAM_IDENTIFIER.length + chunks * 8 + maxCompressedLen(n);
}

/**
 * Reads one ssz_snappy payload; null when the stream ends cleanly before its first byte (an empty
 * response). Errors are EncodingErrors naming what was wrong. `maxPayloadSize` is the config's
 * MAX_PAYLOAD_SIZE.
 */
export async function readSszSnappy(reader: ByteReader, bounds: SszBounds, maxPayloadSize: number): Promise<Uint8Array | null> {
  const length = await readVarint(reader);
  if (length === null) return null;
  const max = Math.min(bounds.maxSize, maxPayloadSize);
  if (length < bounds.minSize || length > max) {
    throw new EncodingError("INVALID_LENGTH", `payload length ${length} outside the type's bounds [${bounds.minSize}, ${max}]`);
  }
  return readSnappyFrames(reader, length, maxFramedLength(length));
}
