import {strict as assert} from "node:assert";
import {readFileSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {parse} from "yaml";
import {
  presets,
  createChainConfig,
  parseChainConfigYaml,
  useNetwork,
  SLOTS_PER_EPOCH,
  mainnetPreset,
} from "../../../src/params/index.ts";
import * as params from "../../../src/params/index.ts";
import {ssz} from "../../../src/types/index.ts";
import {InputError} from "../../../src/util/errors.ts";

const specDir = fileURLToPath(new URL("../../../../shared/consensus-specs/", import.meta.url));

describe("params", () => {
  after(() => useNetwork("mainnet"));

  for (const name of ["mainnet", "minimal"] as const) {
    it(`${name} preset holds every phase0 constant of the spec's preset file`, () => {
      const yaml = parse(readFileSync(`${specDir}/presets/${name}/phase0.yaml`, "utf8"), {intAsBigInt: true}) as Record<string, bigint>;
      assert.deepEqual(Object.keys(presets[name]).sort(), Object.keys(yaml).sort());
      for (const [k, v] of Object.entries(yaml)) assert.equal(BigInt(presets[name][k as keyof typeof mainnetPreset]), v, k);
    });

    it(`${name} config parses the spec's config file`, () => {
      const raw = parseChainConfigYaml(readFileSync(`${specDir}/configs/${name}.yaml`, "utf8"));
      const cfg = createChainConfig(name, raw);
      assert.equal(cfg.PRESET_BASE, name);
      assert.equal(cfg.SECONDS_PER_SLOT, Number(raw.SLOT_DURATION_MS) / 1000);
      assert.equal(cfg.EJECTION_BALANCE, 16_000_000_000);
    });
  }

  it("useNetwork switches the live bindings of preset and types, and returns the config without installing it", () => {
    const config = useNetwork("minimal", {SECONDS_PER_SLOT: "2"});
    // Read through the namespace and a named import: both are live bindings.
    assert.equal(params.SLOTS_PER_EPOCH, 8);
    assert.equal(SLOTS_PER_EPOCH, 8);
    assert.equal(config.SECONDS_PER_SLOT, 2);
    assert.equal(config.SLOT_DURATION_MS, 2000);
    assert.equal(ssz.BeaconState.fields.block_roots.length, 64);
    assert.equal("config" in params, false);
    const mainnet = useNetwork("mainnet");
    assert.equal(SLOTS_PER_EPOCH, 32);
    assert.equal(ssz.BeaconState.fields.block_roots.length, 8192);
    assert.equal(mainnet.SECONDS_PER_SLOT, 12);
    // The config returned earlier is a value of its own: selecting another network leaves it alone.
    assert.equal(config.SECONDS_PER_SLOT, 2);
  });

  it("config overrides are typed and checked", () => {
    assert.equal(createChainConfig("mainnet", {GENESIS_FORK_VERSION: "0x01020304"}).GENESIS_FORK_VERSION[3], 4);
    assert.equal(createChainConfig("mainnet", {ALTAIR_FORK_EPOCH: "18446744073709551615"}).ALTAIR_FORK_EPOCH, Infinity);
    assert.throws(() => createChainConfig("mainnet", {GENESIS_FORK_VERSION: "0x0102"}), InputError);
    assert.throws(() => createChainConfig("mainnet", {EJECTION_BALANCE: "-1"}), InputError);
    assert.throws(() => createChainConfig("mainnet", {PRESET_BASE: "minimal"}), /PRESET_BASE/);
    assert.throws(() => parseChainConfigYaml("a: [1,"), InputError);
  });
});
