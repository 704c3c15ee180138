import {strict as assert} from "node:assert";
import {createHash} from "node:crypto";
import {digest, digest64, digest64Into} from "../../../src/crypto/sha256.ts";
import {concatBytes, toHex} from "../../../src/util/bytes.ts";

function reference(data: Uint8Array): string {
  return "0x" + createHash("sha256").update(data).digest("hex");
}

function pattern(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + 7) & 0xff;
  return out;
}

describe("crypto/sha256", () => {
  it("matches the FIPS 180-2 examples", () => {
    assert.equal(toHex(digest(new Uint8Array(0))), "0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert.equal(toHex(digest(new TextEncoder().encode("abc"))), "0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("agrees with node:crypto on both sides of the small/large input switch", () => {
    for (const len of [1, 31, 32, 33, 37, 55, 56, 63, 64, 65, 127, 128, 129, 200, 256, 1000, 65537]) {
      const data = pattern(len);
      assert.equal(toHex(digest(data)), reference(data), `length ${len}`);
    }
  });

  it("hashes a subarray view by its own bytes only", () => {
    const backing = pattern(300);
    assert.equal(toHex(digest(backing.subarray(10, 47))), reference(backing.slice(10, 47)));
    assert.equal(toHex(digest(backing.subarray(5, 250))), reference(backing.slice(5, 250)));
  });

  it("returns a fresh array each call", () => {
    const a = digest(pattern(40));
    const b = digest(pattern(41));
    assert.notEqual(toHex(a), toHex(b));
    assert.equal(toHex(a), reference(pattern(40)));
  });

  it("digest64 is the hash of the 64-byte concatenation", () => {
    const a = pattern(32);
    const b = pattern(64).subarray(32);
    const expected = reference(concatBytes(a, b));
    assert.equal(toHex(digest64(a, b)), expected);
    const out = new Uint8Array(32);
    digest64Into(a, b, out);
    assert.equal(toHex(out), expected);
  });
});
