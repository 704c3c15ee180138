import {strict as assert} from "node:assert";
import {SecretKey} from "@chainsafe/blst";
import {fromHex, toHex} from "../../../../src/util/bytes.ts";
import {GnomonError} from "../../../../src/util/errors.ts";
import {createKeystore} from "../../../../src/validator/keystore/create.ts";
import {decryptKeystore, decryptKeystoreSecret} from "../../../../src/validator/keystore/decrypt.ts";
import {KeystoreError} from "../../../../src/validator/keystore/errors.ts";
import {parseKeystore} from "../../../../src/validator/keystore/parse.ts";
import {EIP_PASSWORD, EIP_PUBKEY, EIP_SECRET, rejection} from "./helpers.ts";

const secret = fromHex(EIP_SECRET);

describe("keystore / createKeystore", () => {
  it("writes a scrypt keystore that decrypts back to the secret", async () => {
    const json = await createKeystore(secret, EIP_PASSWORD, {kdf: "scrypt", n: 1024, path: "m/12381/3600/0/0/0", description: "test"});
    assert.equal(json.version, 4);
    assert.equal(json.crypto.kdf.function, "scrypt");
    assert.deepEqual({...json.crypto.kdf.params, salt: undefined}, {dklen: 32, n: 1024, r: 8, p: 1, salt: undefined});
    assert.equal(json.pubkey, EIP_PUBKEY.slice(2));
    assert.equal(json.path, "m/12381/3600/0/0/0");
    assert.equal(json.description, "test");
    const parsed = parseKeystore(JSON.parse(JSON.stringify(json)));
    assert.equal(parsed.kdf.salt.length, 32);
    assert.equal(parsed.cipher.iv.length, 16);
    assert.equal(toHex(await decryptKeystoreSecret(json, EIP_PASSWORD)), EIP_SECRET);
  });

  it("writes a pbkdf2 keystore that decrypts back to the secret", async () => {
    const sk = SecretKey.fromBytes(secret);
    const json = await createKeystore(sk, "hunter2", {kdf: "pbkdf2", c: 1000});
    assert.equal(json.crypto.kdf.function, "pbkdf2");
    assert.equal(json.crypto.kdf.params.c, 1000);
    assert.equal(json.crypto.kdf.params.prf, "hmac-sha256");
    assert.equal(json.path, "");
    const ks = await decryptKeystore(json, "hunter2");
    assert.equal(toHex(ks.pubkey), EIP_PUBKEY);
  });

  it("uses the EIP's default cost parameters", async function () {
    this.timeout(60_000);
    const json = await createKeystore(secret, "pw", {kdf: "pbkdf2"});
    assert.equal(json.crypto.kdf.params.c, 262144);
  });

  it("normalizes the password: a trailing newline from a file does not matter", async () => {
    const json = await createKeystore(secret, "pass word", {kdf: "pbkdf2", c: 10});
    assert.equal(toHex(await decryptKeystoreSecret(json, "pass word\n")), EIP_SECRET);
    const e = await rejection(() => decryptKeystoreSecret(json, "password"));
    assert.ok(e instanceof KeystoreError && e.code === "KEYSTORE_WRONG_PASSWORD");
  });

  it("uses a fresh salt, iv and uuid each time", async () => {
    const a = await createKeystore(secret, "pw", {kdf: "pbkdf2", c: 10});
    const b = await createKeystore(secret, "pw", {kdf: "pbkdf2", c: 10});
    assert.notEqual(a.crypto.kdf.params.salt, b.crypto.kdf.params.salt);
    assert.notEqual(a.crypto.cipher.params.iv, b.crypto.cipher.params.iv);
    assert.notEqual(a.uuid, b.uuid);
    assert.notEqual(a.crypto.cipher.message, b.crypto.cipher.message);
  });

  it("refuses an invalid secret key or path with a typed error", async () => {
    const zero = await rejection(() => createKeystore(new Uint8Array(32), "pw", {kdf: "pbkdf2", c: 10}));
    assert.ok(zero instanceof GnomonError && zero.code === "INVALID_INPUT");
    const path = await rejection(() => createKeystore(secret, "pw", {kdf: "pbkdf2", c: 10, path: "x/1"}));
    assert.ok(path instanceof GnomonError && path.code === "INVALID_INPUT");
  });
});
