import {strict as assert} from "node:assert";
import {fromJsonStrict, JsonDecodeError, listFromJsonStrict} from "../../../src/api/codec/json.ts";
import {ssz} from "../../../src/types/index.ts";
import {useNetwork} from "../../../src/params/index.ts";

function rejects(fn: () => unknown, pathAndMessage: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof JsonDecodeError, `expected JsonDecodeError, got ${String(e)}`);
    assert.equal(e.status, 400);
    assert.match(e.message, pathAndMessage);
    return true;
  });
}

const root = (b: number) => "0x" + b.toString(16).padStart(2, "0").repeat(32);
const sig = "0x" + "ab".repeat(96);

function attestationJson(): Record<string, unknown> {
  return {
    aggregation_bits: "0x0101",
    data: {
      slot: "12",
      index: "0",
      beacon_block_root: root(1),
      source: {epoch: "1", root: root(2)},
      target: {epoch: "2", root: root(3)},
    },
    signature: sig,
  };
}

describe("api: strict JSON decoding", () => {
  before(() => useNetwork("minimal"));
  after(() => useNetwork("mainnet"));

  it("decodes a valid value identically to the SSZ type's own toJson round trip", () => {
    const json = attestationJson();
    const value = fromJsonStrict(ssz.Attestation, json);
    assert.deepEqual(ssz.Attestation.toJson(value), json);
    assert.equal(value.data.slot, 12);
    assert.equal(value.aggregation_bits.bitLen, 8);
  });

  it("rejects integers that are not unsigned decimal strings", () => {
    for (const bad of ["12abc", "-1", "", " 1", "1.5", "0x10", "1e3"]) {
      const json = attestationJson();
      (json.data as Record<string, unknown>).slot = bad;
      rejects(() => fromJsonStrict(ssz.Attestation, json), /^data\.slot: expected an unsigned integer/);
    }
    const numeric = attestationJson();
    (numeric.data as Record<string, unknown>).slot = 12;
    rejects(() => fromJsonStrict(ssz.Attestation, numeric), /^data\.slot: .*got number 12/);
  });

  it("rejects integers outside uint64 and the exactly representable range, but keeps 2^64-1", () => {
    rejects(() => fromJsonStrict(ssz.Checkpoint, {epoch: "18446744073709551616", root: root(0)}), /^epoch: .* does not fit in uint64/);
    rejects(() => fromJsonStrict(ssz.Checkpoint, {epoch: "9007199254740993", root: root(0)}), /^epoch: .*too large/);
    assert.equal(fromJsonStrict(ssz.Checkpoint, {epoch: "18446744073709551615", root: root(0)}).epoch, Infinity);
    assert.equal(fromJsonStrict(ssz.Checkpoint, {epoch: "9007199254740991", root: root(0)}).epoch, 9007199254740991);
  });

  it("rejects hex of the wrong length or alphabet", () => {
    rejects(() => fromJsonStrict(ssz.Checkpoint, {epoch: "1", root: "0x1234"}), /^root: expected 32 bytes of hex, got 2/);
    rejects(() => fromJsonStrict(ssz.Checkpoint, {epoch: "1", root: root(1).slice(2)}), /^root: expected 0x-prefixed hex/);
    rejects(() => fromJsonStrict(ssz.Checkpoint, {epoch: "1", root: "0x" + "zz".repeat(32)}), /^root: expected 0x-prefixed hex/);
    rejects(() => fromJsonStrict(ssz.Checkpoint, {epoch: "1", root: root(1) + "0"}), /^root: expected 0x-prefixed hex/);
  });

  it("rejects malformed bitlists (no length bit, too long)", () => {
    const json = attestationJson();
    json.aggregation_bits = "0x00";
    rejects(() => fromJsonStrict(ssz.Attestation, json), /^aggregation_bits: not a bitlist/);
    json.aggregation_bits = "0x" + "ff".repeat(300);
    rejects(() => fromJsonStrict(ssz.Attestation, json), /^aggregation_bits: not a bitlist/);
  });

  it("rejects missing fields, wrong containers and booleans given as strings", () => {
    const json = attestationJson();
    delete (json.data as Record<string, unknown>).target;
    rejects(() => fromJsonStrict(ssz.Attestation, json), /^data\.target: missing field/);
    rejects(() => fromJsonStrict(ssz.Attestation, null), /expected an object, got null/);
    rejects(() => fromJsonStrict(ssz.Attestation, [attestationJson()]), /expected an object, got an array/);
    const v = ssz.Validator.toJson(ssz.Validator.defaultValue()) as Record<string, unknown>;
    assert.equal(fromJsonStrict(ssz.Validator, v).slashed, false);
    rejects(() => fromJsonStrict(ssz.Validator, {...v, slashed: "false"}), /^slashed: expected true or false/);
  });

  it("enforces list limits and vector lengths, naming the item", () => {
    const indices = Array.from({length: 2049}, () => "1");
    rejects(
      () => fromJsonStrict(ssz.IndexedAttestation, {attesting_indices: indices, data: attestationJson().data, signature: sig}),
      /^attesting_indices: 2049 items exceed the limit of 2048/
    );
    rejects(
      () => fromJsonStrict(ssz.IndexedAttestation, {attesting_indices: ["1", "x"], data: attestationJson().data, signature: sig}),
      /^attesting_indices\[1\]: expected an unsigned integer/
    );
    rejects(() => fromJsonStrict(ssz.Deposit, {proof: [root(1)], data: {}}), /^proof: expected 33 items, got 1/);
  });

  it("decodes a list of values and reports the failing index", () => {
    assert.equal(listFromJsonStrict(ssz.Attestation, [attestationJson(), attestationJson()]).length, 2);
    const second = attestationJson();
    second.signature = "0x00";
    rejects(() => listFromJsonStrict(ssz.Attestation, [attestationJson(), second]), /^\[1\]\.signature: expected 96 bytes/);
  });
});
