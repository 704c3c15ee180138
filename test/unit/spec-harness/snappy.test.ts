import {strict as assert} from "node:assert";
import {createRequire} from "node:module";
import {uncompressSnappyBlock} from "../../../spec-tests/harness/snappy.ts";
import {SnappyError} from "../../../spec-tests/harness/errors.ts";

// snappyjs ships no type declarations; only its compressor is used, as an independent producer.
const snappyjs = createRequire(import.meta.url)("snappyjs") as {compress(b: Uint8Array): Uint8Array};

const ascii = (s: string) => new Uint8Array(Buffer.from(s, "latin1"));
const text = (b: Uint8Array) => Buffer.from(b).toString("latin1");

function throwsSnappy(input: number[], pattern: RegExp): void {
  assert.throws(
    () => uncompressSnappyBlock(new Uint8Array(input)),
    (e: unknown) => e instanceof SnappyError && e.code === "SNAPPY_CORRUPT" && pattern.test(e.message)
  );
}

describe("spec-harness snappy block decoder", () => {
  describe("known inputs", () => {
    it("an empty block", () => {
      assert.equal(uncompressSnappyBlock(new Uint8Array([0x00])).length, 0);
    });

    it("a short literal", () => {
      assert.equal(text(uncompressSnappyBlock(new Uint8Array([0x05, 0x10, ...ascii("hello")]))), "hello");
    });

    it("a literal whose length follows the tag (60 = one extra length byte)", () => {
      const body = "x".repeat(50) + "y".repeat(50);
      const out = uncompressSnappyBlock(new Uint8Array([100, 60 << 2, 99, ...ascii(body)]));
      assert.equal(text(out), body);
    });

    it("an overlapping 1-byte-offset copy repeats the tail", () => {
      // "abc" then copy 9 bytes from 3 back: tag = ((9-4) << 2) | 1, offset 3.
      const out = uncompressSnappyBlock(new Uint8Array([12, 2 << 2, ...ascii("abc"), ((9 - 4) << 2) | 1, 3]));
      assert.equal(text(out), "abcabcabcabc");
    });

    it("2- and 4-byte-offset copies", () => {
      // "0123456789" then copy 4 bytes from offset 10 (2-byte form), then 3 bytes from offset 4 (4-byte form).
      const out = uncompressSnappyBlock(
        new Uint8Array([17, 9 << 2, ...ascii("0123456789"), (3 << 2) | 2, 10, 0, (2 << 2) | 3, 4, 0, 0, 0])
      );
      assert.equal(text(out), "0123456789" + "0123" + "012");
    });

    it("decodes what an independent compressor produces", () => {
      let seed = 7;
      const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
      const inputs = [
        new Uint8Array(0),
        new Uint8Array(70_000).fill(0xab),
        Uint8Array.from({length: 100_000}, (_, i) => (i % 251) ^ (i >> 10)),
        Uint8Array.from({length: 5000}, () => rand()),
        Uint8Array.from({length: 20_000}, (_, i) => (i % 3000 < 1500 ? rand() & 3 : i & 0xff)),
      ];
      for (const input of inputs) {
        const compressed = snappyjs.compress(input);
        assert.deepEqual(uncompressSnappyBlock(compressed), input);
      }
    });
  });

  describe("corrupt input throws SnappyError", () => {
    it("empty input", () => throwsSnappy([], /empty input/));
    it("a length header cut short", () => throwsSnappy([0x80], /truncated length header/));
    it("a length header longer than 5 bytes", () => throwsSnappy([0x80, 0x80, 0x80, 0x80, 0x80, 0x01], /longer than 5 bytes/));
    it("a declared length no input of this size can produce", () => throwsSnappy([0xff, 0xff, 0xff, 0xff, 0x0f, 0x00], /impossible/));
    it("a literal running past the end", () => throwsSnappy([5, 4 << 2, 0x61, 0x62], /runs past the end/));
    it("a literal length byte missing", () => throwsSnappy([5, 60 << 2], /inside a literal length/));
    it("a copy before any output", () => throwsSnappy([4, 1 << 2 | 2, 1, 0], /before the start of the output/));
    it("a copy with offset 0", () => throwsSnappy([8, 0, 0x61, 1, 0], /offset 0/));
    it("a copy offset cut short", () => throwsSnappy([8, 0, 0x61, 3 << 2 | 3, 1, 0], /inside a copy offset/));
    it("output longer than declared", () => throwsSnappy([2, 2 << 2, 0x61, 0x62, 0x63], /past the declared length 2/));
    it("output shorter than declared (truncated file)", () => {
      const compressed = snappyjs.compress(new Uint8Array(64).map((_, i) => i));
      assert.throws(() => uncompressSnappyBlock(compressed.subarray(0, compressed.length - 10)), SnappyError);
      throwsSnappy([6, 2 << 2, 0x61, 0x62, 0x63], /decompressed 3 bytes, but the header declares 6/);
    });
  });
});
