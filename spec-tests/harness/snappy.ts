/**
 * Snappy *block* format decoder (the raw format, no framing), as used by `.ssz_snappy` vector
 * files. Every read is bounds-checked: a truncated or corrupt input throws SnappyError instead of
 * reading past the end, producing short output, or allocating whatever a corrupt header claims.
 */
import {SnappyError} from "./errors.ts";

/**
 * The most output one input byte can stand for: a 2-byte-offset copy spends 3 bytes on 64 output
 * bytes. A declared length above this bound cannot be honest, so it is refused before allocating.
 */
const MAX_EXPANSION = 22;

export function uncompressSnappyBlock(input: Uint8Array): Uint8Array {
  const {value: length, size: headerSize} = readLengthPreamble(input);
  if (length > (input.length - headerSize) * MAX_EXPANSION) {
    throw new SnappyError(`declared length ${length} is impossible for ${input.length - headerSize} compressed bytes (truncated or corrupt input)`);
  }
  const out = new Uint8Array(length);
  let pos = headerSize;
  let outPos = 0;

  while (pos < input.length) {
    const tag = input[pos++];
    const kind = tag & 3;
    if (kind === 0) {
      let len = tag >>> 2;
      if (len >= 60) {
        const extra = len - 59;
        if (pos + extra > input.length) throw truncated("literal length", pos, input.length);
        len = 0;
        for (let i = 0; i < extra; i++) len += input[pos + i] * 2 ** (8 * i);
        pos += extra;
      }
      len += 1;
      if (pos + len > input.length) {
        throw new SnappyError(`literal of ${len} bytes at offset ${pos} runs past the end of the input (${input.length} bytes)`);
      }
      if (outPos + len > length) throw overflow(outPos + len, length);
      out.set(input.subarray(pos, pos + len), outPos);
      pos += len;
      outPos += len;
      continue;
    }

    let len: number;
    let offset: number;
    if (kind === 1) {
      if (pos + 1 > input.length) throw truncated("copy offset", pos, input.length);
      len = 4 + ((tag >>> 2) & 7);
      offset = ((tag >>> 5) << 8) | input[pos];
      pos += 1;
    } else if (kind === 2) {
      if (pos + 2 > input.length) throw truncated("copy offset", pos, input.length);
      len = 1 + (tag >>> 2);
      offset = input[pos] | (input[pos + 1] << 8);
      pos += 2;
    } else {
      if (pos + 4 > input.length) throw truncated("copy offset", pos, input.length);
      len = 1 + (tag >>> 2);
      offset = (input[pos] | (input[pos + 1] << 8) | (input[pos + 2] << 16)) + input[pos + 3] * 2 ** 24;
      pos += 4;
    }
    if (offset === 0) throw new SnappyError(`copy with offset 0 at input offset ${pos}`);
    if (offset > outPos) {
      throw new SnappyError(`copy offset ${offset} reaches before the start of the output (at output byte ${outPos})`);
    }
    if (outPos + len > length) throw overflow(outPos + len, length);
    if (offset >= len) {
      out.copyWithin(outPos, outPos - offset, outPos - offset + len);
      outPos += len;
    } else {
      // An overlapping copy repeats the last `offset` bytes: copy byte by byte.
      for (let i = 0; i < len; i++, outPos++) out[outPos] = out[outPos - offset];
    }
  }

  if (outPos !== length) {
    throw new SnappyError(`decompressed ${outPos} bytes, but the header declares ${length} (truncated input?)`);
  }
  return out;
}

/** The uncompressed length: a little-endian base-128 varint of at most 32 bits. */
function readLengthPreamble(input: Uint8Array): {value: number; size: number} {
  let value = 0;
  for (let i = 0; i < 5; i++) {
    if (i >= input.length) throw new SnappyError(input.length === 0 ? "empty input" : "truncated length header");
    const b = input[i];
    value += (b & 0x7f) * 2 ** (7 * i);
    if ((b & 0x80) === 0) {
      if (value > 0xffffffff) throw new SnappyError(`length header ${value} exceeds 32 bits`);
      return {value, size: i + 1};
    }
  }
  throw new SnappyError("length header longer than 5 bytes");
}

function truncated(what: string, pos: number, size: number): SnappyError {
  return new SnappyError(`input ends inside a ${what} at offset ${pos} (${size} bytes)`);
}

function overflow(end: number, length: number): SnappyError {
  return new SnappyError(`output would grow to ${end} bytes, past the declared length ${length}`);
}
