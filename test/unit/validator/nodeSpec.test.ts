import {strict as assert} from "node:assert";
import {specValues} from "../../../src/api/specValues.ts";
import {preset, useNetwork} from "../../../src/params/index.ts";
import {adoptNodeNetwork, compareNodeSpec, NodeSpecMismatchError} from "../../../src/validator/nodeSpec.ts";

describe("validator / node spec check", () => {
  afterEach(() => useNetwork("mainnet"));

  it("accepts the spec of a node on the same network and lists every difference otherwise", () => {
    const config = useNetwork("minimal", {SECONDS_PER_SLOT: "2"});
    const spec = specValues(config);
    assert.deepEqual(compareNodeSpec(config, spec), []);
    const other = {...spec, SLOTS_PER_EPOCH: "32", GENESIS_FORK_VERSION: "0x00000099", SLOT_DURATION_MS: "6000", SECONDS_PER_SLOT: "6"};
    const diffs = compareNodeSpec(config, other);
    assert.ok(diffs.includes("SLOTS_PER_EPOCH: node 32, ours 8"), diffs.join("\n"));
    assert.ok(diffs.some((d) => d.startsWith("GENESIS_FORK_VERSION: node 0x00000099")), diffs.join("\n"));
    assert.ok(diffs.includes("slot duration: node 6000 ms, ours 2000 ms"), diffs.join("\n"));
  });

  it("a standalone client adopts the node's preset and config", () => {
    const spec = specValues(useNetwork("minimal", {SECONDS_PER_SLOT: "2", GENESIS_FORK_VERSION: "0x12345678"}));
    useNetwork("mainnet");
    const config = adoptNodeNetwork(spec);
    assert.equal(preset.SLOTS_PER_EPOCH, 8);
    assert.equal(config.SLOT_DURATION_MS, 2000);
    assert.deepEqual([...config.GENESIS_FORK_VERSION], [0x12, 0x34, 0x56, 0x78]);
    assert.throws(() => adoptNodeNetwork({...spec, PRESET_BASE: "gnosis"}), NodeSpecMismatchError);
  });
});
