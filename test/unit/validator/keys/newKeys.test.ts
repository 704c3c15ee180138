import {strict as assert} from "node:assert";
import {createHash} from "node:crypto";
import {mkdtemp, readdir, readFile, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {verify} from "../../../../src/crypto/index.ts";
import {DOMAIN_DEPOSIT} from "../../../../src/params/index.ts";
import {computeDomain, computeSigningRoot} from "../../../../src/state-transition/index.ts";
import {ssz} from "../../../../src/types/index.ts";
import {fromHex, toHex} from "../../../../src/util/bytes.ts";
import {GnomonError} from "../../../../src/util/errors.ts";
import {parseDepositDataEntry, parseDepositDataFile} from "../../../../src/validator/keys/depositData.ts";
import {mnemonicToSeed, newMnemonic} from "../../../../src/validator/keys/mnemonic.ts";
import {newValidatorKeys, writeValidatorKeys} from "../../../../src/validator/keys/newKeys.ts";
import {decryptKeystore, deriveSecretKeyFromPath, loadKeystoresFromDir} from "../../../../src/validator/keystore/index.ts";

const ABANDON = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
// ERC-2333 test case 0: the seed of ABANDON under the passphrase "TREZOR", and its master key.
const CASE0_SEED = "0xc55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04";
const CASE0_MASTER = 6083874454709270928345386274498605044986640685124978867557563392430687146096n;
const FORK = fromHex("0x00000001");
const PASSWORD = "a password of some length";
const fast = {kdf: "pbkdf2" as const, c: 16};
const isInputError = (e: unknown): boolean => e instanceof GnomonError && e.code === "INVALID_INPUT";

describe("keys / mnemonic, derivation, keystores and deposit data", () => {
  it("derives the ERC-2333 test case 0 seed and master key from its BIP-39 mnemonic", () => {
    const seed = mnemonicToSeed(ABANDON, "TREZOR");
    assert.equal(toHex(seed), CASE0_SEED);
    assert.equal(BigInt(toHex(deriveSecretKeyFromPath(seed, "m").toBytes())), CASE0_MASTER);
  });

  it("generates 24-word mnemonics that validate, and reads one typed loosely", () => {
    const m = newMnemonic();
    assert.equal(m.split(" ").length, 24);
    assert.deepEqual(mnemonicToSeed(`  ${m.toUpperCase().replaceAll(" ", "\n\t")}\n`), mnemonicToSeed(m));
    assert.notEqual(newMnemonic(), m);
  });

  it("refuses a mnemonic with a wrong word, a bad checksum or a wrong length", () => {
    assert.throws(() => mnemonicToSeed(ABANDON.replace("about", "above")), (e: unknown) => isInputError(e) && /checksum/.test((e as Error).message));
    assert.throws(() => mnemonicToSeed(ABANDON.replace("about", "aboutt")), (e: unknown) => isInputError(e) && /word list/.test((e as Error).message));
    assert.throws(() => mnemonicToSeed("abandon about"), isInputError);
  });

  it("makes keystores at ERC-2334 paths that our decryptor opens, with BLS withdrawal credentials", async function () {
    this.timeout(20_000);
    const seed = mnemonicToSeed(ABANDON);
    const keys = await newValidatorKeys({seed, startIndex: 3, count: 2, password: PASSWORD, withdrawal: {kind: "bls"}, amount: 32e9, forkVersion: FORK, networkName: "minimal", keystore: fast});
    assert.deepEqual(keys.map((k) => k.path), ["m/12381/3600/3/0/0", "m/12381/3600/4/0/0"]);
    for (const k of keys) {
      const expected = deriveSecretKeyFromPath(seed, k.path);
      const opened = await decryptKeystore(k.keystore, PASSWORD);
      assert.deepEqual(opened.secretKey.toBytes(), expected.toBytes());
      assert.equal(opened.path, k.path);
      assert.equal(`0x${k.deposit.pubkey}`, toHex(opened.pubkey));
      const withdrawalPubkey = deriveSecretKeyFromPath(seed, `m/12381/3600/${k.index}/0`).toPublicKey().toBytes(true);
      const hash = createHash("sha256").update(withdrawalPubkey).digest("hex");
      assert.equal(k.deposit.withdrawal_credentials, `00${hash.slice(2)}`);
    }
  });

  it("signs deposits under compute_domain(DOMAIN_DEPOSIT, fork_version) with the roots of the DepositData", async function () {
    this.timeout(20_000);
    const address = "0x" + "ab".repeat(20);
    const [k] = await newValidatorKeys({
      seed: mnemonicToSeed(ABANDON),
      startIndex: 0,
      count: 1,
      password: PASSWORD,
      withdrawal: {kind: "address", address: fromHex(address)},
      amount: 1e9,
      forkVersion: FORK,
      networkName: "minimal",
      keystore: fast,
    });
    const d = k.deposit;
    assert.equal(d.withdrawal_credentials, `01${"00".repeat(11)}${"ab".repeat(20)}`);
    assert.deepEqual([d.amount, d.fork_version, d.network_name], [1e9, "00000001", "minimal"]);
    const data = {pubkey: fromHex(`0x${d.pubkey}`), withdrawal_credentials: fromHex(`0x${d.withdrawal_credentials}`), amount: d.amount, signature: fromHex(`0x${d.signature}`)};
    assert.equal(d.deposit_data_root, toHex(ssz.DepositData.hashTreeRoot(data)).slice(2));
    const message = {pubkey: data.pubkey, withdrawal_credentials: data.withdrawal_credentials, amount: data.amount};
    assert.equal(d.deposit_message_root, toHex(ssz.DepositMessage.hashTreeRoot(message)).slice(2));
    const root = computeSigningRoot(ssz.DepositMessage, message, computeDomain(DOMAIN_DEPOSIT, FORK));
    assert.equal(verify(data.pubkey, root, data.signature), true);
    // Another fork version is another domain: the signature must not verify there.
    assert.equal(verify(data.pubkey, computeSigningRoot(ssz.DepositMessage, message, computeDomain(DOMAIN_DEPOSIT, fromHex("0x00000000"))), data.signature), false);

    assert.deepEqual(parseDepositDataEntry(d).depositDataRoot, fromHex(`0x${d.deposit_data_root}`));
    for (const [field, value] of [["amount", 2e9], ["deposit_data_root", "00".repeat(32)], ["fork_version", "00000000"], ["signature", "zz"]] as const) {
      assert.throws(() => parseDepositDataEntry({...d, [field]: value}), isInputError, field);
    }
  });

  it("writes keystores and deposit_data-<time>.json that the keystore loader reads, never overwriting", async function () {
    this.timeout(20_000);
    const dir = await mkdtemp(join(tmpdir(), "gnomon-keys-"));
    try {
      const keys = await newValidatorKeys({seed: mnemonicToSeed(ABANDON), startIndex: 0, count: 3, password: PASSWORD, withdrawal: {kind: "bls"}, amount: 32e9, forkVersion: FORK, networkName: "minimal", keystore: fast});
      const written = await writeValidatorKeys(dir, keys, 1700000000);
      assert.deepEqual((await readdir(dir)).sort(), [
        "deposit_data-1700000000.json",
        "keystore-m_12381_3600_0_0_0-1700000000.json",
        "keystore-m_12381_3600_1_0_0-1700000000.json",
        "keystore-m_12381_3600_2_0_0-1700000000.json",
      ]);
      const deposits = parseDepositDataFile(await readFile(written.depositDataFile, "utf8"));
      const loaded = await loadKeystoresFromDir(dir, PASSWORD);
      assert.deepEqual(loaded.map((l) => toHex(l.pubkey)), deposits.map((d) => toHex(d.data.pubkey)));
      await assert.rejects(writeValidatorKeys(dir, keys, 1700000000), (e: unknown) => isInputError(e) && /already exists/.test((e as Error).message));
    } finally {
      await rm(dir, {recursive: true, force: true});
    }
  });
});
