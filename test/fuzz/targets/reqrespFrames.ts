/**
 * Req/resp payload decoding (src/network/encoding: varint length, snappy frames with CRC-32C,
 * ssz_snappy bounds) from a stream cut into arbitrary chunks, as a muxer delivers it. Oracle:
 * payloads framed by an independent producer (the LEB128 prefix, CRC-32C and framing written
 * here, snappyjs's compressor, compressed, stored and padding chunks of varied sizes) read back
 * to exactly the SSZ bytes and consume the whole frame; mutated or random streams give a payload
 * within the type's bounds, a clean end, or an EncodingError, never another exception or a hang.
 */
import fc from "fast-check";
import {createRequire} from "node:module";
import type {Type} from "@chainsafe/ssz";
import {ssz} from "../../../src/types/index.ts";
import {createChainConfig} from "../../../src/params/index.ts";
import {ByteReader} from "../../../src/network/encoding/byteReader.ts";
import {EncodingError} from "../../../src/network/encoding/errors.ts";
import {readSszSnappy} from "../../../src/network/encoding/sszSnappy.ts";
import {hexOf, mutatedBytes, type InProcessTarget} from "../target.ts";

// snappyjs ships no type declarations; only its compressor is used.
const snappyjs = createRequire(import.meta.url)("snappyjs") as {compress(b: Uint8Array): Uint8Array};

/** The req/resp payload types of phase0 (requests and response chunks). */
const TYPES = {
  Status: ssz.Status,
  Goodbye: ssz.Goodbye,
  Ping: ssz.Ping,
  BeaconBlocksByRangeRequest: ssz.BeaconBlocksByRangeRequest,
  SignedBeaconBlock: ssz.SignedBeaconBlock,
} as unknown as Record<string, Type<unknown>>;

interface FramesInput {
  type: string;
  stream: Uint8Array;
  /** Where the stream is cut into chunks. */
  cuts: number[];
  /** The SSZ bytes the stream carries, for inputs from the producer; null for mutated ones. */
  ssz: Uint8Array | null;
}

/** CRC-32C bit by bit, masked as the framing format stores it. */
function maskedCrc(data: Uint8Array): number {
  let crc = ~0 >>> 0;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  crc = ~crc >>> 0;
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) % 2 ** 32;
}

function leb128(n: number): number[] {
  const out: number[] = [];
  do {
    out.push((n % 128) | (n >= 128 ? 128 : 0));
    n = Math.floor(n / 128);
  } while (n > 0);
  return out;
}

function chunk(type: number, body: number[]): number[] {
  return [type, body.length & 0xff, (body.length >> 8) & 0xff, (body.length >> 16) & 0xff, ...body];
}

/** A framing of `data`: pieces of the given sizes, each compressed or stored, padding before each. */
function frame(data: Uint8Array, pieceSize: number, stored: boolean[], padding: boolean): Uint8Array {
  const out = [...leb128(data.length), ...chunk(0xff, [0x73, 0x4e, 0x61, 0x50, 0x70, 0x59])];
  for (let start = 0, i = 0; start < data.length; start += pieceSize, i++) {
    const piece = data.subarray(start, start + pieceSize);
    const crc = maskedCrc(piece);
    const crcBytes = [crc & 0xff, (crc >>> 8) & 0xff, (crc >>> 16) & 0xff, crc >>> 24];
    const store = stored[i % stored.length];
    // Padding only before a data chunk: the reader stops at the payload's last byte.
    if (padding) out.push(...chunk(0xfe, [0, 0, 0]));
    out.push(...chunk(store ? 0x01 : 0x00, [...crcBytes, ...(store ? piece : snappyjs.compress(piece))]));
  }
  return Uint8Array.from(out);
}

/** The most the frames of an n-byte payload may take on the wire (the spec's max_compressed_len plus framing). */
function framedBound(n: number): number {
  return 10 + 8 * Math.max(1, Math.ceil(n / 65536)) + 32 + n + Math.floor(n / 6);
}

function validSsz(type: Type<unknown>): fc.Arbitrary<Uint8Array> {
  if (type.fixedSize !== null) return fc.uint8Array({minLength: type.fixedSize, maxLength: type.fixedSize});
  return fc.constant(type.serialize(type.defaultValue()));
}

async function* chunks(stream: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  const at = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
  let prev = 0;
  for (const c of [...at, stream.length]) {
    yield stream.subarray(prev, c);
    prev = c;
  }
}

export function reqrespFramesTarget(): InProcessTarget<FramesInput> {
  const perType = new Map(
    Object.entries(TYPES).map(([name, type]) => {
      const valid = fc
        .record({ssz: validSsz(type), pieceSize: fc.integer({min: 1, max: 65536}), stored: fc.array(fc.boolean(), {minLength: 1, maxLength: 3}), padding: fc.boolean()})
        .map((v) => {
          // Tiny chunks are legal framing but may exceed the bound a reader enforces; then one chunk.
          const stream = frame(v.ssz, v.pieceSize, v.stored, v.padding);
          const prefix = leb128(v.ssz.length).length;
          return {ssz: v.ssz, stream: stream.length - prefix <= framedBound(v.ssz.length) ? stream : frame(v.ssz, 65536, [false], false)};
        });
      const input = fc.oneof(
        {arbitrary: valid.map((v) => ({stream: v.stream, ssz: v.ssz as Uint8Array | null})), weight: 1},
        {arbitrary: mutatedBytes(valid.map((v) => v.stream), 512).map((stream) => ({stream, ssz: null})), weight: 3}
      );
      return [name, fc.tuple(input, fc.array(fc.nat(), {maxLength: 4})).map(([i, cuts]) => ({type: name, cuts, ...i}))] as const;
    })
  );
  const arbitrary = fc.constantFrom(...perType.keys()).chain((name) => perType.get(name)!);
  return {
    name: "reqresp",
    description: "ssz_snappy req/resp payloads: exact round trips, an EncodingError for bad frames",
    arbitrary,
    async check({type: name, stream, cuts, ssz: expected}) {
      const type = TYPES[name];
      const reader = new ByteReader(chunks(stream, cuts));
      let out: Uint8Array | null;
      try {
        out = await readSszSnappy(reader, {minSize: type.minSize, maxSize: type.maxSize}, createChainConfig("mainnet").MAX_PAYLOAD_SIZE);
      } catch (e) {
        if (expected !== null) return `a valid payload was refused: ${(e as Error).message}`;
        return e instanceof EncodingError ? null : `decoding threw ${(e as Error).constructor.name}: ${(e as Error).message}`;
      }
      if (expected !== null) {
        if (out === null || hexOf(out) !== hexOf(expected)) return "a round trip changed the payload";
        if (!(await reader.atEnd())) return "a valid payload left bytes unread";
        return null;
      }
      if (out !== null && (out.length < type.minSize || out.length > type.maxSize)) return `a payload of ${out.length} bytes outside the type's bounds was accepted`;
      return null;
    },
    show: ({type, stream, cuts}) => ({type, stream: hexOf(stream), cuts}),
  };
}
