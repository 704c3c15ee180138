import {strict as assert} from "node:assert";
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {main} from "../../../src/cli/main.ts";
import {createChainConfig, useNetwork} from "../../../src/params/index.ts";
import {readConfigFile} from "../../../src/node/network.ts";
import {ssz} from "../../../src/types/index.ts";
import {toHex} from "../../../src/util/bytes.ts";

const devnetYaml = fileURLToPath(new URL("../../../genesis/devnet.yaml", import.meta.url));

describe("genesis/devnet.yaml", () => {
  after(() => useNetwork("mainnet"));

  it("is a minimal-preset config with 2-s slots, its own fork version and no fork after phase0", () => {
    const file = readConfigFile(devnetYaml);
    assert.equal(file.preset, "minimal");
    const cfg = createChainConfig("minimal", file.overrides);
    assert.equal(cfg.CONFIG_NAME, "gnomon-devnet");
    assert.equal(cfg.SECONDS_PER_SLOT, 2);
    assert.equal(toHex(cfg.GENESIS_FORK_VERSION), "0x00676e6d");
    assert.equal(cfg.ALTAIR_FORK_EPOCH, Infinity);
    for (const [key, value] of Object.entries(cfg.raw)) {
      if (key.endsWith("_FORK_EPOCH")) assert.equal(value, "18446744073709551615", key);
    }
  });

  it("builds a genesis whose fork is the devnet's", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gnomon-devnet-"));
    try {
      const out = join(dir, "devnet.ssz");
      const log = console.log;
      console.log = () => {};
      let code: number;
      try {
        code = await main(["genesis", "--validators", "64", "--genesis-time", "1700000000", "--preset", "minimal", "--config", devnetYaml, "--out", out]);
      } finally {
        console.log = log;
      }
      assert.equal(code, 0);
      useNetwork("minimal");
      const state = ssz.BeaconState.deserialize(readFileSync(out));
      assert.equal(toHex(state.fork.current_version), "0x00676e6d");
      assert.equal(state.genesis_time, 1700000000);
      assert.equal(state.validators.length, 64);
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });
});
