import {strict as assert} from "node:assert";
import {createHash} from "node:crypto";
import {computeShuffledIndex, computeShuffledList, CryptoError} from "../../../src/crypto/index.ts";
import {ACTIVE_PRESET, SHUFFLE_ROUND_COUNT, useNetwork} from "../../../src/params/index.ts";
import {fromHex} from "../../../src/util/bytes.ts";

/**
 * compute_shuffled_permutation transcribed from the spec with node:crypto and bigint, as an
 * independent reference (slow, fine for small counts).
 */
function referencePermutation(indexCount: number, seed: Uint8Array, rounds: number): number[] {
  const hash = (...parts: Uint8Array[]): Uint8Array => {
    const h = createHash("sha256");
    for (const p of parts) h.update(p);
    return new Uint8Array(h.digest());
  };
  // The spec would divide by zero here; an empty list has the empty permutation.
  if (indexCount === 0) return [];
  const n = BigInt(indexCount);
  const indices = Array.from({length: indexCount}, (_, i) => BigInt(i));
  for (let round = 0; round < rounds; round++) {
    const roundBytes = Uint8Array.of(round);
    const pivotHash = hash(seed, roundBytes);
    let pivot = 0n;
    for (let b = 7; b >= 0; b--) pivot = (pivot << 8n) | BigInt(pivotHash[b]);
    pivot %= n;
    const sources = new Map<bigint, Uint8Array>();
    for (let i = 0; i < indexCount; i++) {
      const flip = (pivot + n - indices[i]) % n;
      const position = indices[i] > flip ? indices[i] : flip;
      const bucket = position / 256n;
      let source = sources.get(bucket);
      if (source === undefined) {
        const bucketBytes = new Uint8Array(4);
        new DataView(bucketBytes.buffer).setUint32(0, Number(bucket), true);
        source = hash(seed, roundBytes, bucketBytes);
        sources.set(bucket, source);
      }
      const byte = source[Number((position % 256n) / 8n)];
      if ((byte >> Number(position % 8n)) & 1) indices[i] = flip;
    }
  }
  return indices.map(Number);
}

/** Deterministic pseudo-random bytes (xorshift), so failures reproduce. */
function pseudoRandom(seedValue: number, length: number): Uint8Array {
  let x = seedValue >>> 0 || 1;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

function pseudoRandomIndices(seedValue: number, n: number): Uint32Array {
  const bytes = pseudoRandom(seedValue, n * 4);
  return new Uint32Array(bytes.buffer, 0, n);
}

describe("crypto/shuffle", () => {
  it("matches the spec's permutation for many sizes and seeds (incl. 0, 1, 2)", () => {
    const sizes = [0, 1, 2, 3, 5, 10, 33, 100, 255, 256, 257, 511, 513, 1000];
    for (const rounds of [10, 90]) {
      sizes.forEach((n, k) => {
        const seed = pseudoRandom(1000 * rounds + k, 32);
        const ref = referencePermutation(n, seed, rounds);
        const indices = pseudoRandomIndices(77 + k, n);
        const list = computeShuffledList(indices, seed, rounds);
        assert.equal(list.length, n);
        for (let i = 0; i < n; i++) {
          assert.equal(computeShuffledIndex(i, n, seed, rounds), ref[i], `index ${i} of ${n}, ${rounds} rounds`);
          assert.equal(list[i], indices[ref[i]], `list ${i} of ${n}, ${rounds} rounds`);
        }
      });
    }
  });

  it("matches the official mapping of a small minimal-preset case", () => {
    // consensus-spec-tests minimal/phase0/shuffling/core/shuffle/shuffle_0x23bc..._10 (10 rounds)
    const seed = fromHex("0x23bcd11624a07465b1c2fc1a0fe52996daae4bf87b0fb6bed45926096c644843");
    const mapping = [6, 9, 2, 7, 8, 3, 0, 1, 4, 5];
    const identity = Uint32Array.from({length: 10}, (_, i) => i);
    assert.deepEqual(Array.from(computeShuffledList(identity, seed, 10)), mapping);
    assert.deepEqual(mapping.map((_, i) => computeShuffledIndex(i, 10, seed, 10)), mapping);
  });

  it("is a permutation of the input, leaves the input untouched, and keeps values above 2**31", () => {
    const n = 100_000;
    const indices = Uint32Array.from({length: n}, (_, i) => (0xfffffff0 - i) >>> 0);
    const before = indices.slice();
    const seed = pseudoRandom(5, 32);
    const out = computeShuffledList(indices, seed, 90);
    assert.deepEqual(indices, before);
    assert.notDeepEqual(out, indices);
    assert.deepEqual(out.slice().sort(), before.slice().sort());
    for (const i of [0, 1, 255, 256, 4096, 50_000, 99_998, 99_999]) {
      assert.equal(out[i], indices[computeShuffledIndex(i, n, seed, 90)], `index ${i}`);
    }
  });

  it("keeps pivots of the right seed, count and round count across interleaved calls", () => {
    const seedA = pseudoRandom(11, 32);
    const seedB = pseudoRandom(12, 32);
    const refA = referencePermutation(300, seedA, 10);
    const refB = referencePermutation(300, seedB, 10);
    const refA299 = referencePermutation(299, seedA, 10);
    const refA90 = referencePermutation(300, seedA, 20);
    for (let i = 0; i < 299; i += 7) {
      assert.equal(computeShuffledIndex(i, 300, seedA, 10), refA[i]);
      assert.equal(computeShuffledIndex(i, 300, seedB, 10), refB[i]);
      assert.equal(computeShuffledIndex(i, 299, seedA, 10), refA299[i]);
      assert.equal(computeShuffledIndex(i, 300, seedA, 20), refA90[i]);
    }
    // The caller's seed array may change after a call; the next call must see the new bytes.
    const seed = seedA.slice();
    assert.equal(computeShuffledIndex(5, 300, seed, 10), refA[5]);
    seed.set(seedB);
    assert.equal(computeShuffledIndex(5, 300, seed, 10), refB[5]);
  });

  it("reads SHUFFLE_ROUND_COUNT of the active preset at call time", () => {
    const previous = ACTIVE_PRESET;
    const seed = pseudoRandom(21, 32);
    const indices = Uint32Array.from({length: 200}, (_, i) => i);
    try {
      useNetwork("minimal");
      assert.equal(SHUFFLE_ROUND_COUNT, 10);
      assert.deepEqual(computeShuffledList(indices, seed), computeShuffledList(indices, seed, 10));
      assert.equal(computeShuffledIndex(17, 200, seed), computeShuffledIndex(17, 200, seed, 10));
      useNetwork("mainnet");
      assert.deepEqual(computeShuffledList(indices, seed), computeShuffledList(indices, seed, 90));
      assert.equal(computeShuffledIndex(17, 200, seed), referencePermutation(200, seed, 90)[17]);
    } finally {
      useNetwork(previous);
    }
  });

  it("rejects out-of-range indices and bad arguments with typed errors", () => {
    const seed = new Uint8Array(32);
    const code = (c: string) => (e: unknown) => e instanceof CryptoError && e.code === c;
    assert.throws(() => computeShuffledIndex(10, 10, seed, 10), code("SHUFFLE_INDEX_OUT_OF_RANGE"));
    assert.throws(() => computeShuffledIndex(0, 0, seed, 10), code("SHUFFLE_INDEX_OUT_OF_RANGE"));
    assert.throws(() => computeShuffledIndex(-1, 10, seed, 10), code("SHUFFLE_INDEX_OUT_OF_RANGE"));
    assert.throws(() => computeShuffledIndex(0, 10, new Uint8Array(31), 10), code("SHUFFLE_INVALID_ARGUMENT"));
    assert.throws(() => computeShuffledList(new Uint32Array(4), new Uint8Array(33), 10), code("SHUFFLE_INVALID_ARGUMENT"));
    assert.throws(() => computeShuffledList(new Uint32Array(4), seed, 257), code("SHUFFLE_INVALID_ARGUMENT"));
  });
});
