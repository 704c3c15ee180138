import {strict as assert} from "node:assert";
import {mkdir, mkdtemp, rm, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {SecretKey} from "@chainsafe/blst";
import {toHex} from "../../../../src/util/bytes.ts";
import {createKeystore} from "../../../../src/validator/keystore/create.ts";
import {KeystoreDirError, KeystoreError} from "../../../../src/validator/keystore/errors.ts";
import {loadKeystoresFromDir, readPasswordFile} from "../../../../src/validator/keystore/loadDir.ts";
import {rejection} from "./helpers.ts";

const key = (i: number): SecretKey => SecretKey.fromKeygen(new Uint8Array(32).fill(i + 1));

describe("keystore / loadKeystoresFromDir", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "gnomon-keystores-"));
  });
  afterEach(async () => {
    await rm(dir, {recursive: true, force: true});
  });

  async function put(name: string, i: number, password = "secret pw", kdf: "scrypt" | "pbkdf2" = "pbkdf2"): Promise<void> {
    const json = await createKeystore(key(i), password, kdf === "scrypt" ? {kdf, n: 1024} : {kdf, c: 100});
    await writeFile(join(dir, name), JSON.stringify(json));
  }

  it("loads every *.json keystore in file-name order and ignores other files", async () => {
    await put("keystore-b.json", 1, "secret pw", "scrypt");
    await put("keystore-a.json", 0);
    await writeFile(join(dir, "notes.txt"), "not a keystore");
    await writeFile(join(dir, "deposit_data-1700000000.json"), "[]");
    await writeFile(join(dir, "password.txt"), "secret pw\n");
    const password = await readPasswordFile(join(dir, "password.txt"));
    const loaded = await loadKeystoresFromDir(dir, password);
    assert.deepEqual(loaded.map((k) => k.file), [join(dir, "keystore-a.json"), join(dir, "keystore-b.json")]);
    assert.deepEqual(loaded.map((k) => toHex(k.pubkey)), [0, 1].map((i) => toHex(key(i).toPublicKey().toBytes())));
    assert.equal(toHex(loaded[1].secretKey.toBytes()), toHex(key(1).toBytes()));
  });

  it("returns nothing for a directory without keystores", async () => {
    assert.deepEqual(await loadKeystoresFromDir(dir, "pw"), []);
  });

  it("names every failed file and why, without leaking the password", async () => {
    await put("good.json", 0);
    await put("other-password.json", 1, "another password");
    await writeFile(join(dir, "broken.json"), "{\"version\": 4");
    await writeFile(join(dir, "v3.json"), JSON.stringify({version: 3, crypto: {}}));
    await put("twin.json", 0);
    const e = await rejection(() => loadKeystoresFromDir(dir, "secret pw"));
    assert.ok(e instanceof KeystoreDirError);
    assert.equal(e.code, "KEYSTORE_DIR_LOAD_FAILED");
    assert.deepEqual(
      e.failures.map((f: {file: string; code: string}) => [f.file, f.code]),
      [
        ["broken.json", "KEYSTORE_MALFORMED"],
        ["other-password.json", "KEYSTORE_WRONG_PASSWORD"],
        ["twin.json", "KEYSTORE_DUPLICATE_PUBKEY"],
        ["v3.json", "KEYSTORE_UNSUPPORTED_VERSION"],
      ]
    );
    for (const name of ["broken.json", "other-password.json", "twin.json", "v3.json"]) assert.ok(e.message.includes(name));
    assert.ok(!e.message.includes("secret pw"));
  });

  it("skips directories even when named *.json", async () => {
    await put("good.json", 0);
    await mkdir(join(dir, "subdir.json"));
    assert.equal((await loadKeystoresFromDir(dir, "secret pw")).length, 1, "directories are not keystore files");
  });

  it("reports a missing directory or password file with a typed error", async () => {
    const missing = await rejection(() => loadKeystoresFromDir(join(dir, "nope"), "pw"));
    assert.ok(missing instanceof KeystoreError && missing.code === "KEYSTORE_DIR_UNREADABLE");
    const noFile = await rejection(() => readPasswordFile(join(dir, "nope.txt")));
    assert.ok(noFile instanceof KeystoreError && noFile.code === "KEYSTORE_UNREADABLE");
  });
});
