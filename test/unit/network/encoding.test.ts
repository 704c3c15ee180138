/**
 * The req/resp wire encoding against bytes worked out by hand from the snappy framing format and
 * the p2p spec (CRC-32C by the bitwise definition, checked against its standard check value).
 */
import {strict as assert} from "node:assert";
import {ByteReader} from "../../../src/network/encoding/byteReader.ts";
import {crc32c} from "../../../src/network/encoding/crc32c.ts";
import {EncodingError} from "../../../src/network/encoding/errors.ts";
import {compressBlock, maxCompressedLen, SnappyError, uncompressBlock} from "../../../src/network/encoding/snappyBlock.ts";
import {encodeSnappyFrames, readSnappyFrames} from "../../../src/network/encoding/snappyFrames.ts";
import {encodeSszSnappy, readSszSnappy} from "../../../src/network/encoding/sszSnappy.ts";
import {encodeVarint, readVarint} from "../../../src/network/encoding/varint.ts";

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, "hex"));
const toHexStr = (b: Uint8Array): string => Buffer.from(b).toString("hex");

/** A reader over the bytes cut into pieces of `piece` bytes, as a muxer may deliver them. */
function readerOf(bytes: Uint8Array, piece = bytes.length || 1): ByteReader {
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < bytes.length; i += piece) yield bytes.subarray(i, i + piece);
  }
  return new ByteReader(chunks());
}

async function rejects(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof EncodingError && e.code === code);
}

// "hello" as ssz_snappy: varint 5, stream identifier, one uncompressed chunk (a literal block
// would be longer than the data) with the masked CRC-32C of "hello".
const HELLO_SSZ_SNAPPY = "05ff060000734e6150705901090000bb1f1c1968656c6c6f";
// 100 zero bytes: one compressed chunk whose block is a 1-byte literal and two copies.
const ZEROS_SSZ_SNAPPY = "64ff060000734e61507059000d00006ffa6ee2640000fe01008a0100";
const ANY = {minSize: 0, maxSize: 1 << 20};
/** The phase0 configs' MAX_PAYLOAD_SIZE. */
const MAX_PAYLOAD = 10 * 2 ** 20;

describe("network encoding", () => {
  it("CRC-32C has its standard check value", () => {
    assert.equal(crc32c(new TextEncoder().encode("123456789")), 0xe3069283);
  });

  it("varints round-trip and are minimal", async () => {
    for (const [n, bytes] of [[0, "00"], [1, "01"], [127, "7f"], [128, "8001"], [300, "ac02"], [2 ** 32, "8080808010"]] as const) {
      assert.equal(toHexStr(encodeVarint(n)), bytes);
      assert.equal(await readVarint(readerOf(hex(bytes))), n);
    }
    await rejects(readVarint(readerOf(hex("8000"))), "INVALID_VARINT");
    await rejects(readVarint(readerOf(hex("80"))), "INVALID_VARINT");
    await rejects(readVarint(readerOf(hex("ffffffffffffffffffff01"))), "INVALID_VARINT");
    assert.equal(await readVarint(readerOf(new Uint8Array(0))), null);
  });

  it("encodes a short payload as an uncompressed chunk, byte for byte", () => {
    assert.equal(toHexStr(encodeSszSnappy(new TextEncoder().encode("hello"))), HELLO_SSZ_SNAPPY);
  });

  it("reads hand-made payloads, whole and one byte at a time", async () => {
    for (const piece of [1, 3, 1000]) {
      assert.deepEqual(await readSszSnappy(readerOf(hex(HELLO_SSZ_SNAPPY), piece), ANY, MAX_PAYLOAD), new TextEncoder().encode("hello"));
      assert.deepEqual(await readSszSnappy(readerOf(hex(ZEROS_SSZ_SNAPPY), piece), ANY, MAX_PAYLOAD), new Uint8Array(100));
    }
  });

  it("round-trips payloads that span several 64 KiB chunks", async () => {
    const data = new Uint8Array(200_000).map((_, i) => (i * 7) % 251);
    const encoded = encodeSszSnappy(data);
    assert.deepEqual(await readSszSnappy(readerOf(encoded, 4096), ANY, MAX_PAYLOAD), data);
  });

  it("refuses lengths outside the type's bounds before reading the payload", async () => {
    await rejects(readSszSnappy(readerOf(hex(HELLO_SSZ_SNAPPY)), {minSize: 6, maxSize: 10}, MAX_PAYLOAD), "INVALID_LENGTH");
    await rejects(readSszSnappy(readerOf(hex(HELLO_SSZ_SNAPPY)), {minSize: 0, maxSize: 4}, MAX_PAYLOAD), "INVALID_LENGTH");
    // A length above MAX_PAYLOAD_SIZE (10 MiB) is refused whatever the type allows.
    await rejects(readSszSnappy(readerOf(encodeVarint(11 * 2 ** 20)), {minSize: 0, maxSize: 2 ** 40}, MAX_PAYLOAD), "INVALID_LENGTH");
  });

  it("refuses a bad checksum, a truncated stream, a missing identifier and reserved chunk types", async () => {
    const bad = hex(HELLO_SSZ_SNAPPY);
    bad[15] ^= 1;
    await rejects(readSszSnappy(readerOf(bad), ANY, MAX_PAYLOAD), "FRAMES_CHECKSUM");
    await rejects(readSszSnappy(readerOf(hex(HELLO_SSZ_SNAPPY).subarray(0, 20)), ANY, MAX_PAYLOAD), "FRAMES_TRUNCATED");
    await rejects(readSszSnappy(readerOf(hex("05010900000000000068656c6c6f")), ANY, MAX_PAYLOAD), "FRAMES_INVALID");
    await rejects(readSszSnappy(readerOf(hex("05ff060000734e61507059020100000000")), ANY, MAX_PAYLOAD), "FRAMES_INVALID");
  });

  it("a payload claiming more data than its chunks hold cannot make the reader run on", async () => {
    // Declares 100 bytes, then sends padding chunks forever: refused once past max_compressed_len.
    const padding = hex("fe" + "ff0f00" + "00".repeat(0xfff));
    const parts = [hex("64ff060000734e6150705901")];
    for (let i = 0; i < 10; i++) parts.push(padding);
    const all = Buffer.concat(parts);
    await rejects(readSszSnappy(readerOf(all), ANY, MAX_PAYLOAD), "FRAMES_TOO_LONG");
  });

  it("frames more than the declared length are refused", async () => {
    const frames = encodeSnappyFrames(new Uint8Array(10));
    await rejects(readSnappyFrames(readerOf(frames), 5, 1000), "FRAMES_INVALID");
  });

  it("snappy blocks: strict decoding and size limits", () => {
    const data = new Uint8Array(5000).map((_, i) => i % 13);
    assert.deepEqual(uncompressBlock(compressBlock(data), 5000), data);
    assert.throws(() => uncompressBlock(compressBlock(data), 4999), SnappyError);
    // Declares 5 bytes, holds a 4-byte literal.
    assert.throws(() => uncompressBlock(hex("050c68656c6c"), 100), SnappyError);
    // Copy reaching before the start of the output.
    assert.throws(() => uncompressBlock(hex("0a0061fe0200"), 100), SnappyError);
    // Claims 4 GiB in a 6-byte message.
    assert.throws(() => uncompressBlock(hex("ffffffff0f00"), 10 * 2 ** 20), SnappyError);
    assert.equal(maxCompressedLen(600), 32 + 600 + 100);
  });
});
