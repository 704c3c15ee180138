/**
 * The preset is the process's (the spec's build-time choice): a running node pins it, and a node
 * of another preset is refused with a typed error instead of changing every SSZ type and preset
 * constant under the running one. Nodes of different chain configs on one preset share a process.
 */
import {strict as assert} from "node:assert";
import {FakeTime} from "../../../src/clock/index.ts";
import {BeaconDb} from "../../../src/db/index.ts";
import {BeaconNode} from "../../../src/node/index.ts";
import {ACTIVE_PRESET, PresetPinnedError, useNetwork} from "../../../src/params/index.ts";
import {silentLogger} from "../../../src/util/logger.ts";

const GENESIS_TIME = 1_700_000_000;

function start(preset: "minimal" | "mainnet", secondsPerSlot: number): Promise<BeaconNode> {
  return BeaconNode.start({
    dataDir: "(in memory)",
    db: BeaconDb.inMemory(),
    network: {preset, configOverrides: {SECONDS_PER_SLOT: String(secondsPerSlot)}},
    defaultPreset: preset,
    genesis: {type: "interop", validators: 64, genesisTime: GENESIS_TIME},
    rest: null,
    logger: silentLogger,
    time: new FakeTime(GENESIS_TIME * 1000),
    statusLine: false,
  });
}

describe("node: the preset is pinned while a node runs", function () {
  this.timeout(60_000);
  after(() => useNetwork("mainnet"));

  it("runs two nodes of different configs on one preset, refuses a node of another preset, and frees the preset once they stop", async () => {
    const a = await start("minimal", 6);
    const b = await start("minimal", 12);
    try {
      assert.equal(a.chain.config.SECONDS_PER_SLOT, 6);
      assert.equal(b.chain.config.SECONDS_PER_SLOT, 12);
      await assert.rejects(start("mainnet", 12), (e: unknown) => e instanceof PresetPinnedError && e.code === "PRESET_PINNED" && /minimal preset/.test(e.message));
      assert.throws(() => useNetwork("mainnet"), PresetPinnedError);
      assert.equal(ACTIVE_PRESET, "minimal", "the refused start changed nothing");
      await a.stop();
      assert.throws(() => useNetwork("mainnet"), PresetPinnedError, "one node still runs");
    } finally {
      await a.stop();
      await b.stop();
    }
    useNetwork("mainnet");
    assert.equal(ACTIVE_PRESET, "mainnet");
  });
});
