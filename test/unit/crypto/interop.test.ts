import {strict as assert} from "node:assert";
import {CryptoError, CURVE_ORDER, interopPubkey, interopSecretKey, interopSecretKeyBytes, skToPk} from "../../../src/crypto/index.ts";
import {toHex} from "../../../src/util/bytes.ts";

describe("crypto/interop", () => {
  it("derives the published interop keys 0 and 1", () => {
    assert.equal(
      toHex(interopPubkey(0)),
      "0xa99a76ed7796f7be22d5b7e85deeb7c5677e88e511e0b337618f8c4eb61349b4bf2d153f649f7b53359fe8b94a38e44c",
    );
    // sha256(uint256_le(1)) read little-endian exceeds r, so this one checks the reduction.
    assert.equal(
      toHex(interopPubkey(1)),
      "0xb89bebc699769726a318c8e9971bd3171297c61aea4a6578a7a4f94b547dcba5bac16a89108b6b6a1fe3695d1a874a0b",
    );
    assert.equal(toHex(interopSecretKeyBytes(0)), "0x25295f0d1d592a90b333e26e85149708208e9f8e8bc18f6c77bd62f8ad7a6866");
    assert.equal(toHex(interopSecretKeyBytes(1)), "0x51d0b65185db6989ab0b560d6deed19c7ead0e24b9b6372cbecb1f26bdfad000");
  });

  it("returns 32 big-endian bytes below the curve order, matching the SecretKey object", () => {
    for (const i of [2, 3, 100, 65535]) {
      const bytes = interopSecretKeyBytes(i);
      assert.equal(bytes.length, 32);
      assert.ok(BigInt(toHex(bytes)) < CURVE_ORDER);
      assert.equal(toHex(interopSecretKey(i).toBytes()), toHex(bytes));
      assert.equal(toHex(skToPk(bytes)), toHex(interopPubkey(i)));
    }
  });

  it("gives distinct keys to distinct indices", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 16; i++) seen.add(toHex(interopPubkey(i)));
    assert.equal(seen.size, 16);
  });

  it("rejects a negative or fractional index with a typed error", () => {
    assert.throws(() => interopSecretKeyBytes(-1), (e: unknown) => e instanceof CryptoError && e.code === "BLS_INVALID_SECRET_KEY");
    assert.throws(() => interopSecretKeyBytes(1.5), CryptoError);
  });
});
