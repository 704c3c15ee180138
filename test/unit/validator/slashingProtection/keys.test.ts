import {strict as assert} from "node:assert";
import * as keys from "../../../../src/validator/slashingProtection/keys.ts";
import {pubkey, root} from "./helpers.ts";

const compare = (a: Uint8Array, b: Uint8Array): number => Buffer.compare(a, b);

describe("slashingProtection / key and value layout", () => {
  it("orders slot keys numerically, across 2**32 and up to 2**53 - 1", () => {
    const values = [0, 1, 255, 256, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 3, Number.MAX_SAFE_INTEGER];
    const encoded = values.map((v) => keys.blockKey(pubkey(1), v));
    for (let i = 1; i < encoded.length; i++) assert.equal(compare(encoded[i - 1], encoded[i]), -1);
    assert.deepEqual(encoded.map(keys.numberOfKey), values);
    assert.deepEqual(keys.pubkeyOfKey(encoded[0]), pubkey(1));
  });

  it("keeps each validator's records inside its own range", () => {
    const range = keys.attestationRange(pubkey(2));
    const inside = keys.attestationKey(pubkey(2), Number.MAX_SAFE_INTEGER);
    assert.ok(compare(range.gte, inside) <= 0 && compare(inside, range.lte) <= 0);
    for (const outside of [keys.attestationKey(pubkey(1), 5), keys.attestationKey(pubkey(3), 0), keys.blockKey(pubkey(2), 5)]) {
      assert.ok(compare(outside, range.gte) < 0 || compare(outside, range.lte) > 0);
    }
  });

  it("round-trips watermarks, including unset ones", () => {
    for (const w of [
      {blockSlot: null, sourceEpoch: null, targetEpoch: null},
      {blockSlot: 0, sourceEpoch: 2 ** 33, targetEpoch: null},
      {blockSlot: Number.MAX_SAFE_INTEGER, sourceEpoch: 0, targetEpoch: 7},
    ]) {
      assert.deepEqual(keys.decodeWatermarks(keys.encodeWatermarks(w)), w);
    }
  });

  it("round-trips records with known and unknown signing roots", () => {
    assert.deepEqual(keys.decodeBlock(9, keys.encodeBlockValue(root(5))), {slot: 9, signingRoot: root(5)});
    assert.deepEqual(keys.decodeBlock(9, keys.encodeBlockValue(null)), {slot: 9, signingRoot: null});
    assert.deepEqual(keys.decodeAttestation(4, keys.encodeAttestationValue(3, root(6))), {sourceEpoch: 3, targetEpoch: 4, signingRoot: root(6)});
    assert.deepEqual(keys.decodeAttestation(2 ** 35, keys.encodeAttestationValue(2 ** 34, null)), {sourceEpoch: 2 ** 34, targetEpoch: 2 ** 35, signingRoot: null});
  });
});
