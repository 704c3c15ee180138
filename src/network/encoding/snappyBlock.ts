/**
 * Snappy block compression (the raw format, gossip's encoding) with the size checks the p2p spec
 * asks for: the declared length is read before anything is allocated, so a message that claims
 * gigabytes costs nothing.
 */
import {createRequire} from "node:module";
import {GnomonError} from "../../util/errors.ts";

// snappyjs ships no type declarations.
const snappyjs = createRequire(import.meta.url)("snappyjs") as {
  compress(b: Uint8Array): Uint8Array;
  uncompress(b: Uint8Array, maxLength?: number): Uint8Array;
};

export class SnappyError extends GnomonError {
  constructor(message: string) {
    super("SNAPPY_INVALID", message);
  }
}

/** max_compressed_len (p2p-interface.md): snappy's worst case for n input bytes. */
export function maxCompressedLen(n: number): number {
  return 32 + n + Math.floor(n / 6);
}

export function compressBlock(data: Uint8Array): Uint8Array {
  return snappyjs.compress(data);
}

/** The uncompressed length a snappy block declares in its varint preamble (at most 32 bits). */
export function declaredLength(block: Uint8Array): number {
  let value = 0;
  for (let i = 0; i < 5 && i < block.length; i++) {
    value += (block[i] & 0x7f) * 2 ** (7 * i);
    if ((block[i] & 0x80) === 0) {
      if (value > 0xffffffff) break;
      return value;
    }
  }
  throw new SnappyError("snappy block has no valid length preamble");
}

/** Decompresses a block whose declared length is at most `maxLength`; anything malformed is a SnappyError. */
export function uncompressBlock(block: Uint8Array, maxLength: number): Uint8Array {
  const length = declaredLength(block);
  if (length > maxLength) throw new SnappyError(`snappy block declares ${length} bytes, more than the ${maxLength} allowed`);
  if (block.length > maxCompressedLen(length) + 5) throw new SnappyError(`snappy block of ${block.length} bytes is too long for ${length} uncompressed bytes`);
  checkBlockElements(block, length);
  let out: Uint8Array;
  try {
    out = snappyjs.uncompress(block, maxLength);
  } catch (e) {
    throw new SnappyError(`invalid snappy block: ${(e as Error).message}`);
  }
  if (out.length !== length) throw new SnappyError(`snappy block decompressed to ${out.length} bytes, declared ${length}`);
  return out;
}

/**
 * snappyjs neither stops at the declared length nor notices a block that falls short of it; one
 * pass over the element tags (no copying) proves that the literals and copies add up to exactly
 * the declared length and that every copy reaches back only into bytes already produced.
 */
function checkBlockElements(block: Uint8Array, length: number): void {
  let pos = 0;
  while (block[pos] & 0x80) pos++;
  pos++;
  let produced = 0;
  while (pos < block.length) {
    const tag = block[pos++];
    let len: number;
    let offset = -1;
    switch (tag & 3) {
      case 0: {
        len = tag >>> 2;
        if (len >= 60) {
          const bytes = len - 59;
          if (pos + bytes > block.length) throw new SnappyError("snappy literal length runs past the end");
          len = 0;
          for (let i = 0; i < bytes; i++) len += block[pos + i] * 2 ** (8 * i);
          pos += bytes;
        }
        len += 1;
        if (pos + len > block.length) throw new SnappyError("snappy literal runs past the end");
        pos += len;
        break;
      }
      case 1:
        if (pos + 1 > block.length) throw new SnappyError("snappy copy runs past the end");
        len = 4 + ((tag >>> 2) & 7);
        offset = ((tag >>> 5) << 8) | block[pos];
        pos += 1;
        break;
      case 2:
        if (pos + 2 > block.length) throw new SnappyError("snappy copy runs past the end");
        len = 1 + (tag >>> 2);
        offset = block[pos] | (block[pos + 1] << 8);
        pos += 2;
        break;
      default:
        if (pos + 4 > block.length) throw new SnappyError("snappy copy runs past the end");
        len = 1 + (tag >>> 2);
        offset = (block[pos] | (block[pos + 1] << 8) | (block[pos + 2] << 16)) + block[pos + 3] * 2 ** 24;
        pos += 4;
    }
    if (offset === 0 || offset > produced) throw new SnappyError(`snappy copy offset ${offset} outside the ${produced} bytes produced`);
    produced += len;
    if (produced > length) throw new SnappyError(`snappy block produces more than its declared ${length} bytes`);
  }
  if (produced !== length) throw new SnappyError(`snappy block produces ${produced} bytes, declared ${length}`);
}
