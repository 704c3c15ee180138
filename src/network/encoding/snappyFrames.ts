/**
 * The snappy framing format (https://github.com/google/snappy/blob/main/framing_format.txt), which
 * req/resp payloads use: a stream identifier, then chunks of at most 64 KiB of uncompressed data,
 * each compressed (or stored raw when that is shorter) with a masked CRC-32C of its data.
 */
import type {ByteReader} from "./byteReader.ts";
import {maskedCrc32c} from "./crc32c.ts";
import {EncodingError} from "./errors.ts";
import {compressBlock, uncompressBlock, SnappyError} from "./snappyBlock.ts";

export const ChunkType = {
  compressed: 0x00,
  uncompressed: 0x01,
  padding: 0xfe,
  streamIdentifier: 0xff,
} as const;

/** "sNaPpY" */
export const STREAM_IDENTIFIER = Uint8Array.from([0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59]);
const IDENTIFIER_BODY = STREAM_IDENTIFIER.subarray(4);
/** Uncompressed bytes per chunk (the format's limit). */
export const MAX_CHUNK_DATA = 65536;

function chunkHeader(type: number, bodyLength: number, crc: number): Uint8Array {
  const h = new Uint8Array(8);
  h[0] = type;
  h[1] = bodyLength & 0xff;
  h[2] = (bodyLength >>> 8) & 0xff;
  h[3] = (bodyLength >>> 16) & 0xff;
  new DataView(h.buffer).setUint32(4, crc, true);
  return h;
}

export function encodeSnappyFrames(data: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [STREAM_IDENTIFIER];
  for (let start = 0; start < data.length; start += MAX_CHUNK_DATA) {
    const piece = data.subarray(start, Math.min(start + MAX_CHUNK_DATA, data.length));
    const crc = maskedCrc32c(piece);
    const compressed = compressBlock(piece);
    if (compressed.length < piece.length) {
      parts.push(chunkHeader(ChunkType.compressed, compressed.length + 4, crc), compressed);
    } else {
      parts.push(chunkHeader(ChunkType.uncompressed, piece.length + 4, crc), piece);
    }
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

/**
 * Reads chunks until exactly `length` uncompressed bytes are produced. `maxEncodedBytes` bounds
 * what the frames may occupy on the wire (the spec's max_compressed_len plus framing), so a peer
 * cannot make us read without end by sending padding.
 */
export async function readSnappyFrames(reader: ByteReader, length: number, maxEncodedBytes: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  let produced = 0;
  const startConsumed = reader.consumed;
  let sawIdentifier = false;
  while (produced < length || !sawIdentifier) {
    if (reader.consumed - startConsumed > maxEncodedBytes) {
      throw new EncodingError("FRAMES_TOO_LONG", `snappy frames exceed ${maxEncodedBytes} bytes for a ${length}-byte payload`);
    }
    const header = await reader.read(4);
    if (header === null) throw new EncodingError("FRAMES_TRUNCATED", `stream ended after ${produced} of ${length} payload bytes`);
    const type = header[0];
    const bodyLength = header[1] | (header[2] << 8) | (header[3] << 16);
    if (reader.consumed - startConsumed + bodyLength > maxEncodedBytes) {
      throw new EncodingError("FRAMES_TOO_LONG", `snappy chunk of ${bodyLength} bytes exceeds the ${maxEncodedBytes}-byte bound`);
    }
    const body = await reader.read(bodyLength);
    if (body === null) throw new EncodingError("FRAMES_TRUNCATED", "stream ended inside a snappy chunk");
    if (type === ChunkType.streamIdentifier) {
      if (bodyLength !== 6 || !IDENTIFIER_BODY.every((b, i) => body[i] === b)) {
        throw new EncodingError("FRAMES_INVALID", "bad snappy stream identifier");
      }
      sawIdentifier = true;
      continue;
    }
    if (!sawIdentifier) throw new EncodingError("FRAMES_INVALID", "snappy frames do not start with the stream identifier");
    if (type === ChunkType.compressed || type === ChunkType.uncompressed) {
      if (bodyLength < 4) throw new EncodingError("FRAMES_INVALID", "snappy chunk shorter than its checksum");
      const crc = new DataView(body.buffer, body.byteOffset).getUint32(0, true);
      let data: Uint8Array;
      if (type === ChunkType.compressed) {
        try {
          data = uncompressBlock(body.subarray(4), Math.min(MAX_CHUNK_DATA, length - produced));
        } catch (e) {
          if (e instanceof SnappyError) throw new EncodingError("FRAMES_INVALID", e.message);
          throw e;
        }
      } else {
        data = body.subarray(4);
        if (data.length > MAX_CHUNK_DATA || data.length > length - produced) {
          throw new EncodingError("FRAMES_INVALID", `uncompressed snappy chunk of ${data.length} bytes exceeds the payload length`);
        }
      }
      if (maskedCrc32c(data) !== crc) throw new EncodingError("FRAMES_CHECKSUM", "snappy chunk checksum mismatch");
      out.set(data, produced);
      produced += data.length;
      continue;
    }
    if (type >= 0x02 && type <= 0x7f) throw new EncodingError("FRAMES_INVALID", `reserved unskippable snappy chunk type 0x${type.toString(16)}`);
    // 0x80..0xfe: padding and reserved skippable chunks.
  }
  return out;
}
