/**
 * The project's snappy block decoder (spec-tests/harness/snappy.ts; `.ssz_snappy` files, and the
 * format req/resp and gossip payloads use). Oracle: garbage is refused with a SnappyError, never
 * another exception or a short output; valid data (from snappyjs's compressor, an independent
 * producer) round-trips exactly.
 */
import fc from "fast-check";
import {createRequire} from "node:module";
import {uncompressSnappyBlock} from "../../../spec-tests/harness/snappy.ts";
import {SnappyError} from "../../../spec-tests/harness/errors.ts";
import {hexOf, mutatedBytes, type InProcessTarget} from "../target.ts";

// snappyjs ships no type declarations; only its compressor is used.
const snappyjs = createRequire(import.meta.url)("snappyjs") as {compress(b: Uint8Array): Uint8Array};

export function snappyTarget(): InProcessTarget<{compressed: Uint8Array; original: Uint8Array | null}> {
  const original = fc.oneof(fc.uint8Array({maxLength: 2048}), fc.string({maxLength: 512}).map((s) => new TextEncoder().encode(s.repeat(4))));
  const valid = original.map((o) => ({compressed: snappyjs.compress(o), original: o as Uint8Array | null}));
  const arbitrary = fc.oneof(
    {arbitrary: valid, weight: 1},
    {arbitrary: mutatedBytes(valid.map((v) => v.compressed), 1024).map((compressed) => ({compressed, original: null})), weight: 4}
  );
  return {
    name: "snappy",
    description: "snappy block decoding: a SnappyError for garbage, exact round trips for valid data",
    arbitrary,
    check({compressed, original}) {
      let out: Uint8Array;
      try {
        out = uncompressSnappyBlock(compressed);
      } catch (e) {
        if (original !== null) return `valid compressed data was refused: ${(e as Error).message}`;
        return e instanceof SnappyError ? null : `decoding threw ${(e as Error).constructor.name}: ${(e as Error).message}`;
      }
      if (original !== null && hexOf(out) !== hexOf(original)) return "a round trip changed the data";
      return null;
    },
    show: ({compressed}) => ({compressed: hexOf(compressed)}),
  };
}
