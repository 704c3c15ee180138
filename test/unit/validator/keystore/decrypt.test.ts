import {strict as assert} from "node:assert";
import {createCipheriv, createHash, pbkdf2Sync} from "node:crypto";
import {toHex} from "../../../../src/util/bytes.ts";
import {decryptKeystore, decryptKeystoreSecret} from "../../../../src/validator/keystore/decrypt.ts";
import {KeystoreError} from "../../../../src/validator/keystore/errors.ts";
import {parseKeystore, parseKeystoreText} from "../../../../src/validator/keystore/parse.ts";
import {EIP_PASSWORD, EIP_PUBKEY, EIP_SECRET, readFixture, rejection} from "./helpers.ts";

function expectCode(e: unknown, code: string): void {
  assert.ok(e instanceof KeystoreError, `expected KeystoreError, got ${String(e)}`);
  assert.equal(e.code, code, e.message);
}

/** A pbkdf2 keystore (c=1, fast) around arbitrary secret bytes, built by hand. */
function handmadeKeystore(secret: Uint8Array, password: string): Record<string, any> {
  const salt = Buffer.alloc(32, 7);
  const iv = Buffer.alloc(16, 9);
  const dk = pbkdf2Sync(Buffer.from(password), salt, 1, 32, "sha256");
  const cipher = createCipheriv("aes-128-ctr", dk.subarray(0, 16), iv);
  const message = Buffer.concat([cipher.update(secret), cipher.final()]);
  const checksum = createHash("sha256").update(dk.subarray(16, 32)).update(message).digest();
  return {
    crypto: {
      kdf: {function: "pbkdf2", params: {dklen: 32, c: 1, prf: "hmac-sha256", salt: salt.toString("hex")}, message: ""},
      checksum: {function: "sha256", params: {}, message: checksum.toString("hex")},
      cipher: {function: "aes-128-ctr", params: {iv: iv.toString("hex")}, message: message.toString("hex")},
    },
    path: "",
    uuid: "64625def-3331-4eea-ab6f-782f3ed16a83",
    version: 4,
  };
}

describe("keystore / decrypt EIP-2335 test vectors", function () {
  this.timeout(60_000);

  for (const kdf of ["scrypt", "pbkdf2"]) {
    it(`decrypts the ${kdf} vector to the EIP's secret and pubkey`, async () => {
      const json = readFixture(`eip2335-${kdf}.json`);
      assert.equal(toHex(await decryptKeystoreSecret(json, EIP_PASSWORD)), EIP_SECRET);
      const ks = await decryptKeystore(json, EIP_PASSWORD);
      assert.equal(toHex(ks.secretKey.toBytes()), EIP_SECRET);
      assert.equal(toHex(ks.pubkey), EIP_PUBKEY);
      assert.equal(ks.path, json.path);
      assert.equal(ks.uuid, json.uuid);
    });
  }

  it("refuses a wrong password without echoing it", async () => {
    const password = "not-the-password-🔑";
    const e = await rejection(() => decryptKeystore(readFixture("eip2335-pbkdf2.json"), password));
    expectCode(e, "KEYSTORE_WRONG_PASSWORD");
    assert.ok(!e.message.includes(password));
    assert.ok(!e.message.includes(EIP_SECRET.slice(2)));
  });
});

describe("keystore / decrypt rejects bad keystores with typed errors", () => {
  const base = (): Record<string, any> => handmadeKeystore(new Uint8Array(Buffer.from(EIP_SECRET.slice(2), "hex")), "pw");

  it("accepts the hand-made keystore (control case)", async () => {
    assert.equal(toHex((await decryptKeystore(base(), "pw")).pubkey), EIP_PUBKEY);
  });

  const cases: [string, (k: Record<string, any>) => unknown, string][] = [
    ["a non-object", () => [], "KEYSTORE_MALFORMED"],
    ["version 3", (k) => ({...k, version: 3}), "KEYSTORE_UNSUPPORTED_VERSION"],
    ["a missing crypto", (k) => ({...k, crypto: undefined}), "KEYSTORE_MALFORMED"],
    ["a missing kdf", (k) => (delete k.crypto.kdf, k), "KEYSTORE_MALFORMED"],
    ["kdf argon2", (k) => ((k.crypto.kdf.function = "argon2id"), k), "KEYSTORE_UNSUPPORTED_KDF"],
    ["pbkdf2 with hmac-sha512", (k) => ((k.crypto.kdf.params.prf = "hmac-sha512"), k), "KEYSTORE_UNSUPPORTED_KDF"],
    ["cipher aes-256-gcm", (k) => ((k.crypto.cipher.function = "aes-256-gcm"), k), "KEYSTORE_UNSUPPORTED_CIPHER"],
    ["checksum keccak", (k) => ((k.crypto.checksum.function = "keccak256"), k), "KEYSTORE_UNSUPPORTED_CHECKSUM"],
    ["a non-hex salt", (k) => ((k.crypto.kdf.params.salt = "zz"), k), "KEYSTORE_MALFORMED"],
    ["a short iv", (k) => ((k.crypto.cipher.params.iv = "00"), k), "KEYSTORE_MALFORMED"],
    ["a short checksum", (k) => ((k.crypto.checksum.message = "00"), k), "KEYSTORE_MALFORMED"],
    ["dklen below 32", (k) => ((k.crypto.kdf.params.dklen = 16), k), "KEYSTORE_KDF_PARAMS_OUT_OF_RANGE"],
    ["a string iteration count", (k) => ((k.crypto.kdf.params.c = "1"), k), "KEYSTORE_MALFORMED"],
    ["a bad uuid", (k) => ((k.uuid = "nope"), k), "KEYSTORE_MALFORMED"],
    ["a hardened path", (k) => ((k.path = "m/12381'/3600"), k), "KEYSTORE_MALFORMED"],
    ["a short pubkey", (k) => ((k.pubkey = "abcd"), k), "KEYSTORE_MALFORMED"],
  ];
  for (const [what, mutate, code] of cases) {
    it(`${what} -> ${code}`, async () => {
      expectCode(await rejection(() => decryptKeystore(mutate(base()), "pw")), code);
    });
  }

  it("refuses scrypt parameters that are not a power of two or need too much memory", () => {
    const k = readFixture("eip2335-scrypt.json");
    k.crypto.kdf.params.n = 1000;
    expectCode(rejectionSync(() => parseKeystore(k)), "KEYSTORE_KDF_PARAMS_OUT_OF_RANGE");
    k.crypto.kdf.params.n = 2 ** 24;
    expectCode(rejectionSync(() => parseKeystore(k)), "KEYSTORE_KDF_PARAMS_OUT_OF_RANGE");
  });

  it("reports invalid JSON text as malformed", () => {
    expectCode(rejectionSync(() => parseKeystoreText("{not json")), "KEYSTORE_MALFORMED");
  });

  it("refuses a secret that belongs to another pubkey", async () => {
    const k = base();
    k.pubkey = "a99a76ed7796f7be22d5b7e85deeb7c5677e88e511e0b337618f8c4eb61349b4bf2d153f649f7b53359fe8b94a38e44c";
    expectCode(await rejection(() => decryptKeystore(k, "pw")), "KEYSTORE_PUBKEY_MISMATCH");
  });

  it("refuses a decrypted secret that is not a BLS secret key", async () => {
    expectCode(await rejection(() => decryptKeystore(handmadeKeystore(new Uint8Array(32), "pw"), "pw")), "KEYSTORE_INVALID_SECRET");
    expectCode(await rejection(() => decryptKeystore(handmadeKeystore(new Uint8Array(31).fill(1), "pw"), "pw")), "KEYSTORE_INVALID_SECRET");
  });
});

function rejectionSync(fn: () => unknown): any {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected an error, got none");
}
