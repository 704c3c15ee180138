import {strict as assert} from "node:assert";
import {specValues} from "../../../src/api/specValues.ts";
import {useNetwork} from "../../../src/params/index.ts";

describe("api: config/spec values", () => {
  after(() => useNetwork("mainnet"));

  it("reports preset, config and constants as strings in the API's format", () => {
    const v = specValues(useNetwork("minimal", {SECONDS_PER_SLOT: "2"}));
    assert.equal(v.SLOTS_PER_EPOCH, "8");
    assert.equal(v.MAX_EFFECTIVE_BALANCE, "32000000000");
    assert.equal(v.PRESET_BASE, "minimal");
    assert.equal(v.SECONDS_PER_SLOT, "2");
    assert.equal(v.SLOT_DURATION_MS, "2000");
    assert.equal(v.GENESIS_FORK_VERSION, "0x00000001");
    assert.equal(v.DOMAIN_BEACON_ATTESTER, "0x01000000");
    assert.equal(v.BLS_WITHDRAWAL_PREFIX, "0x00");
    assert.equal(v.FAR_FUTURE_EPOCH, "18446744073709551615");
    assert.equal(v.ALTAIR_FORK_EPOCH, "18446744073709551615");
    assert.equal(v.TARGET_AGGREGATORS_PER_COMMITTEE, "16");
    for (const [k, val] of Object.entries(v)) {
      assert.ok(typeof val === "string" || Array.isArray(val), `${k} is ${typeof val}`);
    }
  });

  it("follows the active preset and the given config", () => {
    const config = useNetwork("mainnet");
    assert.equal(specValues(config).SLOTS_PER_EPOCH, "32");
    assert.equal(specValues(config).SECONDS_PER_SLOT, "12");
  });
});
