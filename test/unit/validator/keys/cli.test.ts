import {strict as assert} from "node:assert";
import {mkdtemp, readdir, readFile, rm, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {runCli} from "../helpers/runCli.ts";
import {toHex} from "../../../../src/util/bytes.ts";
import {parseDepositDataFile} from "../../../../src/validator/keys/depositData.ts";
import {mnemonicToSeed} from "../../../../src/validator/keys/mnemonic.ts";
import {deriveSecretKeyFromPath, loadKeystoresFromDir} from "../../../../src/validator/keystore/index.ts";

const ABANDON = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

describe("keys / gnomon keys new", function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "gnomon-keys-cli-"));
    await writeFile(join(dir, "pw"), "a long enough password\n");
    await writeFile(join(dir, "mnemonic"), `${ABANDON}\n`);
  });
  afterEach(() => rm(dir, {recursive: true, force: true}));

  const base = (out: string): string[] => ["keys", "new", "--out", join(dir, out), "--password-file", join(dir, "pw"), "--kdf", "pbkdf2", "--kdf-cost", "16"];

  it("derives keys from a mnemonic file at the given indices, for a config's fork version, without printing the mnemonic", async () => {
    await writeFile(join(dir, "config.yaml"), "PRESET_BASE: minimal\nCONFIG_NAME: testnet-x\nGENESIS_FORK_VERSION: 0x10000038\n");
    const r = await runCli([...base("keys"), "--count", "2", "--start-index", "5", "--mnemonic-file", join(dir, "mnemonic"), "--config", join(dir, "config.yaml")]);
    assert.equal(r.code, 0, r.stderr.join("\n"));
    assert.ok(!r.stdout.join("\n").includes("abandon"));
    const names = (await readdir(join(dir, "keys"))).sort();
    assert.equal(names.length, 3);
    const deposits = parseDepositDataFile(await readFile(join(dir, "keys", names.find((n) => n.startsWith("deposit_data-"))!), "utf8"));
    const seed = mnemonicToSeed(ABANDON);
    assert.deepEqual(deposits.map((d) => toHex(d.data.pubkey)), [5, 6].map((i) => toHex(deriveSecretKeyFromPath(seed, `m/12381/3600/${i}/0/0`).toPublicKey().toBytes(true))));
    assert.deepEqual(deposits.map((d) => [toHex(d.forkVersion), d.networkName, d.data.amount]), [["0x10000038", "testnet-x", 32e9], ["0x10000038", "testnet-x", 32e9]]);
    assert.equal((await loadKeystoresFromDir(join(dir, "keys"), "a long enough password")).length, 2);
  });

  it("shows a generated mnemonic once, and refuses bad input with a clear error", async () => {
    const r = await runCli([...base("new"), "--count", "1", "--network", "minimal", "--withdrawal-address", "0x" + "11".repeat(20)]);
    assert.equal(r.code, 0, r.stderr.join("\n"));
    const words = r.stdout.find((l) => /^([a-z]+ ){23}[a-z]+$/.test(l.trim()));
    assert.ok(words, r.stdout.join("\n"));
    for (const argv of [
      [...base("a"), "--count", "0"],
      [...base("b"), "--count", "1", "--withdrawal-address", "0x1234"],
      [...base("c"), "--count", "1", "--network", "holesky"],
      [...base("d"), "--count", "1", "--amount", "5"],
      [...base("e"), "--count", "1", "--mnemonic-file", join(dir, "pw")],
    ]) {
      const bad = await runCli(argv);
      assert.equal(bad.code, 2, argv.join(" "));
      assert.match(bad.stderr.join("\n"), /^gnomon: error: /);
    }
  });
});
