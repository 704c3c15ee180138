import {strict as assert} from "node:assert";
import {mkdtemp, readFile, rm, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {runCli} from "./helpers/runCli.ts";
import {interopPubkey} from "../../../src/crypto/index.ts";
import {toHex} from "../../../src/util/bytes.ts";
import {slashingProtectionPath} from "../../../src/validator/index.ts";
import {SlashingProtectionStore} from "../../../src/validator/slashingProtection/index.ts";
import {fixturesDir} from "./keystore/helpers.ts";

describe("validator / CLI", () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), "gnomon-vc-cli-"))));
  afterEach(() => rm(dir, {recursive: true, force: true}));

  it("refuses key options that do not make one source of keys, with exit status 2", async () => {
    for (const argv of [
      ["validator"],
      ["validator", "--interop-indices", "0..3", "--keystores", dir, "--password-file", "p"],
      ["validator", "--keystores", dir],
      ["validator", "--interop-indices", "0..3", "--password-file", "p"],
      ["validator", "--interop-indices", "3..1"],
      ["validator", "--interop-indices", "0", "--beacon-node", "localhost:5052"],
      ["validator", "--interop-indices", "0", "--graffiti", "x".repeat(40)],
    ]) {
      const r = await runCli(argv);
      assert.equal(r.code, 2, argv.join(" "));
      assert.match(r.stderr.join("\n"), /^gnomon: error: /, argv.join(" "));
    }
  });

  it("run-test prints a line per file and the tally, and exits 1 when one fails", async () => {
    const files = ["interchange-double_vote.json", "interchange-surround.json"].map((f) => join(fixturesDir, f));
    const ok = await runCli(["validator", "slashing-protection", "run-test", ...files]);
    assert.equal(ok.code, 0);
    assert.deepEqual(ok.stdout.map((l) => l.split(" ")[0]), ["strategy:", "PASS", "PASS", "2"]);
    assert.equal(ok.stdout[0], "strategy: complete");
    assert.equal(ok.stdout.at(-1), "2 passed, 0 failed");

    const broken = join(dir, "broken.json");
    await writeFile(broken, "{\"name\": 1}");
    const bad = await runCli(["validator", "slashing-protection", "run-test", files[0], broken]);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout[2], /^FAIL .*broken\.json: INTERCHANGE_TEST_MALFORMED/);
    assert.equal(bad.stdout.at(-1), "1 passed, 1 failed");
  });

  it("exports and imports the EIP-3076 interchange offline with --genesis-validators-root", async () => {
    const gvr = "0x" + "04".repeat(32);
    const source = join(dir, "a");
    const store = await SlashingProtectionStore.open(slashingProtectionPath(source));
    await store.bindGenesisValidatorsRoot(new Uint8Array(32).fill(4));
    await store.checkAndInsertBlock(interopPubkey(0), 7, new Uint8Array(32).fill(1));
    await store.checkAndInsertAttestation(interopPubkey(0), 1, 2, new Uint8Array(32).fill(2));
    await store.close();

    const out = join(dir, "protection.json");
    const exp = await runCli(["validator", "slashing-protection", "export", "--out", out, "--data-dir", source, "--genesis-validators-root", gvr]);
    assert.equal(exp.code, 0, exp.stderr.join("\n"));
    const interchange = JSON.parse(await readFile(out, "utf8"));
    assert.equal(interchange.metadata.interchange_format_version, "5");
    assert.equal(interchange.metadata.genesis_validators_root, gvr);
    assert.deepEqual(interchange.data[0].signed_blocks.map((b: {slot: string}) => b.slot), ["7"]);

    const target = join(dir, "b");
    const imp = await runCli(["validator", "slashing-protection", "import", out, "--data-dir", target, "--genesis-validators-root", gvr]);
    assert.equal(imp.code, 0, imp.stderr.join("\n"));
    assert.match(imp.stdout[0], /imported 1 validators \(1 blocks, 1 attestations\)/);
    const copy = await SlashingProtectionStore.open(slashingProtectionPath(target));
    try {
      await assert.rejects(copy.checkAndInsertBlock(interopPubkey(0), 7, new Uint8Array(32).fill(9)), /slot 7/);
      assert.equal(toHex((await copy.repo.pubkeys())[0]), toHex(interopPubkey(0)));
    } finally {
      await copy.close();
    }

    const wrongChain = await runCli(["validator", "slashing-protection", "import", out, "--data-dir", target, "--genesis-validators-root", "0x" + "05".repeat(32)]);
    assert.equal(wrongChain.code, 1);
    assert.match(wrongChain.stderr.join("\n"), /GENESIS_VALIDATORS_ROOT_MISMATCH/);
  });
});
