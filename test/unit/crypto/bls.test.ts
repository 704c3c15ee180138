import {strict as assert} from "node:assert";
import {
  aggregate,
  aggregateVerified,
  aggregateVerify,
  CryptoError,
  deserializePubkey,
  deserializeSignature,
  fastAggregateVerify,
  interopSecretKey,
  keyValidate,
  PublicKey,
  secretKeyFromBytes,
  sign,
  skToPk,
  verify,
} from "../../../src/crypto/index.ts";
import {fromHex, toHex} from "../../../src/util/bytes.ts";

const INFINITY_PUBKEY = fromHex("0xc0" + "00".repeat(47));
const INFINITY_SIGNATURE = fromHex("0xc0" + "00".repeat(95));
const msgA = new Uint8Array(32).fill(0xab);
const msgB = new Uint8Array(32).fill(0x56);

const sks = [0, 1, 2, 3].map((i) => interopSecretKey(i));
const pks = sks.map((sk) => skToPk(sk));

function codeOf(e: unknown): string | undefined {
  return e instanceof CryptoError ? e.code : undefined;
}

/** p of BLS12-381's base field. */
const P = 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaabn;

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
  }
  return result;
}

/**
 * A compressed point on E1: y^2 = x^3 + 4 that is (with overwhelming probability, the cofactor
 * being ~2**126) outside the prime-order subgroup G1.
 */
function pointOutsideG1(): Uint8Array {
  for (let x = 1n; ; x++) {
    const rhs = (x ** 3n + 4n) % P;
    if (modPow(rhs, (P - 1n) / 2n, P) === 1n) {
      const bytes = fromHex("0x" + x.toString(16).padStart(96, "0"));
      bytes[0] |= 0x80; // compressed flag
      return bytes;
    }
  }
}

describe("crypto/bls", () => {
  it("signs as the reference vectors do", () => {
    // consensus-spec-tests bls/sign/sign_case_11b8c7cad5238946
    const sk = secretKeyFromBytes(fromHex("0x47b8192d77bf871b62e87859d653922725724a5c031afeabc60bcef5ff665138"));
    assert.equal(
      toHex(sign(sk, new Uint8Array(32))),
      "0xb23c46be3a001c63ca711f87a005c200cc550b9429d5f4eb38d74322144f1b63926da3388979e5321012fb1a0526bcd100b5ef5fe72628ce4cd5e904aeaa3279527843fae5ca9ca675f4f51ed8f83bbf7155da9ecc9663100a885d5dc6df96d9",
    );
  });

  it("refuses secret keys that are zero, >= r or of the wrong length", () => {
    const r = fromHex("0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001");
    for (const bad of [new Uint8Array(32), r, new Uint8Array(31).fill(1), new Uint8Array(33).fill(1)]) {
      assert.throws(() => secretKeyFromBytes(bad), (e: unknown) => codeOf(e) === "BLS_INVALID_SECRET_KEY");
    }
    assert.throws(() => skToPk(new Uint8Array(32)), (e: unknown) => codeOf(e) === "BLS_INVALID_SECRET_KEY");
  });

  it("verifies a signature only against its key and message", () => {
    const sig = sign(sks[0], msgA);
    assert.equal(sig.length, 96);
    assert.equal(verify(pks[0], msgA, sig), true);
    assert.equal(verify(pks[0], msgB, sig), false);
    assert.equal(verify(pks[1], msgA, sig), false);
    assert.equal(verify(pks[0], msgA, sign(sks[0], msgB)), false);
  });

  it("returns false, never throws, for malformed or degenerate inputs to verify", () => {
    const sig = sign(sks[0], msgA);
    const flipped = sig.slice();
    flipped[10] ^= 0x01;
    const cases: [Uint8Array, Uint8Array][] = [
      [INFINITY_PUBKEY, INFINITY_SIGNATURE],
      [INFINITY_PUBKEY, sig],
      [pks[0], INFINITY_SIGNATURE],
      [pks[0], flipped],
      [pks[0], sig.subarray(0, 95)],
      [pks[0], new Uint8Array(96)],
      [pks[0], new Uint8Array(8).fill(0xff)],
      [pks[0].subarray(0, 47), sig],
      [new Uint8Array(48), sig],
      [pks[0].slice().fill(0xff), sig],
      [PublicKey.fromBytes(pks[0]).toBytes(false), sig], // uncompressed: not a BLSPubkey
      [pointOutsideG1(), sig],
    ];
    for (const [pk, s] of cases) assert.equal(verify(pk, msgA, s), false, `${toHex(pk).slice(0, 12)} / ${toHex(s).slice(0, 12)}`);
  });

  it("KeyValidate accepts real keys and rejects infinity, garbage and points outside G1", () => {
    for (const pk of pks) assert.equal(keyValidate(pk), true);
    assert.equal(keyValidate(INFINITY_PUBKEY), false);
    assert.equal(keyValidate(new Uint8Array(48)), false);
    assert.equal(keyValidate(new Uint8Array(47)), false);
    const outside = pointOutsideG1();
    // It is a valid curve point (decodes without the subgroup check) but not a valid key.
    assert.doesNotThrow(() => PublicKey.fromBytes(outside, false));
    assert.equal(keyValidate(outside), false);
    assert.throws(() => deserializePubkey(outside), (e: unknown) => codeOf(e) === "BLS_INVALID_PUBKEY");
    assert.equal(toHex(deserializePubkey(pks[2]).toBytes()), toHex(pks[2]));
  });

  it("aggregates signatures so that FastAggregateVerify accepts them", () => {
    const sigs = sks.map((sk) => sign(sk, msgA));
    const agg = aggregate(sigs);
    assert.equal(agg.length, 96);
    assert.equal(fastAggregateVerify(pks, msgA, agg), true);
    assert.equal(fastAggregateVerify(pks.slice(0, 3), msgA, agg), false, "a missing signer");
    assert.equal(fastAggregateVerify([...pks, skToPk(interopSecretKey(9))], msgA, agg), false, "an extra key");
    assert.equal(fastAggregateVerify(pks, msgB, agg), false);
    assert.equal(fastAggregateVerify([...pks.slice(0, 3), INFINITY_PUBKEY], msgA, aggregate(sigs.slice(0, 3))), false);
    // Aggregation is order independent.
    assert.equal(toHex(aggregate([...sigs].reverse())), toHex(agg));
    // The aggregate of one signature is that signature.
    assert.equal(toHex(aggregate([sigs[1]])), toHex(sigs[1]));
  });

  it("aggregates verified signatures, from bytes or a running point, to the same aggregate", () => {
    const sigs = sks.map((sk) => sign(sk, msgA));
    const running = aggregateVerified([sigs[0], sigs[1]]);
    const all = aggregateVerified([running, sigs[2], sigs[3]]);
    assert.equal(toHex(all.toBytes()), toHex(aggregate(sigs)));
    assert.equal(fastAggregateVerify(pks, msgA, all.toBytes()), true);
    assert.throws(() => aggregateVerified([]), (e: unknown) => codeOf(e) === "BLS_EMPTY_AGGREGATE");
    assert.throws(() => aggregateVerified([sigs[0], new Uint8Array(95)]), (e: unknown) => codeOf(e) === "BLS_INVALID_SIGNATURE");
  });

  it("Aggregate fails on an empty list or an undecodable signature and accepts infinity", () => {
    assert.throws(() => aggregate([]), (e: unknown) => codeOf(e) === "BLS_EMPTY_AGGREGATE");
    const good = sign(sks[0], msgA);
    assert.throws(() => aggregate([good, new Uint8Array(96)]), (e: unknown) => codeOf(e) === "BLS_INVALID_SIGNATURE");
    assert.throws(() => aggregate([good.subarray(0, 90)]), (e: unknown) => codeOf(e) === "BLS_INVALID_SIGNATURE");
    assert.equal(toHex(aggregate([INFINITY_SIGNATURE])), toHex(INFINITY_SIGNATURE));
    assert.equal(toHex(aggregate([good, INFINITY_SIGNATURE])), toHex(good));
    assert.throws(() => deserializeSignature(new Uint8Array(96)), (e: unknown) => codeOf(e) === "BLS_INVALID_SIGNATURE");
  });

  it("FastAggregateVerify is false for an empty key list, even with the infinity signature", () => {
    assert.equal(fastAggregateVerify([], msgA, INFINITY_SIGNATURE), false);
    assert.equal(fastAggregateVerify([], msgA, new Uint8Array(96)), false);
    assert.equal(fastAggregateVerify([pks[0]], msgA, new Uint8Array(3)), false);
  });

  it("AggregateVerify checks one message per key, repeated messages allowed", () => {
    const msgs = [msgA, msgB, msgA];
    const sig = aggregate([sign(sks[0], msgs[0]), sign(sks[1], msgs[1]), sign(sks[2], msgs[2])]);
    assert.equal(aggregateVerify(pks.slice(0, 3), msgs, sig), true);
    assert.equal(aggregateVerify(pks.slice(0, 3), [msgB, msgA, msgA], sig), false);
    assert.equal(aggregateVerify(pks.slice(0, 2), msgs, sig), false, "length mismatch");
    assert.equal(aggregateVerify([], [], INFINITY_SIGNATURE), false);
    assert.equal(aggregateVerify([...pks.slice(0, 2), INFINITY_PUBKEY], msgs, sig), false);
    assert.equal(aggregateVerify(pks.slice(0, 3), msgs, sig.subarray(0, 8)), false);
  });
});
