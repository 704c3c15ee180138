import assert from "node:assert/strict";
import {BitArray} from "@chainsafe/ssz";
import {computeShuffledIndex} from "../../../src/crypto/index.ts";
import {createChainConfig, DOMAIN_BEACON_ATTESTER, SLOTS_PER_EPOCH, useNetwork} from "../../../src/params/index.ts";
import {ssz, type Attestation} from "../../../src/types/index.ts";
import {
  BlockProcessingError,
  computeCommitteeCount,
  computeEpochAtSlot,
  createCachedBeaconState,
  getActiveValidatorIndices,
  getAttestingIndices,
  getBeaconCommitteeAnyIndex,
  getIndexedAttestation,
  getSeed,
  StateTransitionError,
  type CachedBeaconState,
} from "../../../src/state-transition/index.ts";
import {loadVectorState} from "./helpers.ts";

const MINIMAL = createChainConfig("minimal");

/** get_beacon_committee written out from the spec text, compute_shuffled_index per member. */
function specCommittee(s: CachedBeaconState, slot: number, index: number): number[] {
  const epoch = computeEpochAtSlot(slot);
  const indices = getActiveValidatorIndices(s.state, epoch);
  const seed = getSeed(s.state, epoch, DOMAIN_BEACON_ATTESTER);
  const perSlot = computeCommitteeCount(indices.length);
  const g = (slot % SLOTS_PER_EPOCH) * perSlot + index;
  const count = perSlot * SLOTS_PER_EPOCH;
  const n = indices.length;
  const out: number[] = [];
  for (let i = Math.floor((n * g) / count); i < Math.floor((n * (g + 1)) / count); i++) {
    out.push(indices[computeShuffledIndex(i, n, seed)]);
  }
  return out;
}

/** Bits of length `len` with every other committee position set. */
function bits(len: number): BitArray {
  const b = BitArray.fromBitLen(len);
  for (let i = 0; i < len; i += 2) b.set(i, true);
  return b;
}

function attestation(slot: number, index: number, aggregationBits: BitArray): Attestation {
  const a = ssz.Attestation.defaultValue();
  a.data.slot = slot;
  a.data.index = index;
  a.data.target.epoch = computeEpochAtSlot(slot);
  a.aggregation_bits = aggregationBits;
  return a;
}

function failsWith(code: string): (e: unknown) => boolean {
  return (e) => e instanceof StateTransitionError && e.code === code;
}

describe("state-transition: get_attesting_indices with the spec's semantics", function () {
  this.timeout(60_000);
  let s: CachedBeaconState;
  before(() => {
    useNetwork("minimal");
    s = createCachedBeaconState(loadVectorState("sanity/blocks/pyspec_tests/attestation/pre.ssz_snappy"), MINIMAL);
  });
  after(() => useNetwork("mainnet"));

  it("reads the committee of the index as compute_committee does, also at and above the count per slot", () => {
    const slot = s.state.slot + 2;
    const perSlot = s.epochCtx.getCommitteeCountPerSlot(computeEpochAtSlot(slot));
    assert.ok(perSlot >= 2, "the vector state has several committees per slot");
    const remaining = (SLOTS_PER_EPOCH - (slot % SLOTS_PER_EPOCH)) * perSlot;
    for (let index = 0; index < remaining; index++) {
      const committee = [...getBeaconCommitteeAnyIndex(s, slot, index)];
      assert.deepEqual(committee, specCommittee(s, slot, index), `index ${index}`);
      assert.ok(committee.length > 0);
    }
    // Index perSlot at this slot is committee 0 of the next slot.
    assert.deepEqual([...getBeaconCommitteeAnyIndex(s, slot, perSlot)], [...s.epochCtx.getBeaconCommittee(slot + 1, 0)]);
    // The block path refuses it.
    assert.throws(() => s.epochCtx.getBeaconCommittee(slot, perSlot), (e) => e instanceof BlockProcessingError);
  });

  it("refuses an index past the epoch's last committee (the spec fails or yields no committee)", () => {
    const slot = s.state.slot;
    const perSlot = s.epochCtx.getCommitteeCountPerSlot(computeEpochAtSlot(slot));
    const past = (SLOTS_PER_EPOCH - (slot % SLOTS_PER_EPOCH)) * perSlot;
    for (const index of [past, past + 1, 2 ** 53, Infinity]) {
      assert.throws(() => getBeaconCommitteeAnyIndex(s, slot, index), failsWith("COMMITTEE_INDEX_OUT_OF_RANGE"), `index ${index}`);
      const a = attestation(slot, index, bits(4));
      assert.throws(() => getAttestingIndices(s, a), failsWith("COMMITTEE_INDEX_OUT_OF_RANGE"));
      assert.throws(() => getIndexedAttestation(s, a), failsWith("COMMITTEE_INDEX_OUT_OF_RANGE"));
    }
  });

  it("ignores bits past the committee and refuses a bitlist shorter than it", () => {
    const slot = s.state.slot;
    const committee = [...s.epochCtx.getBeaconCommittee(slot, 1)];
    const expected = committee.filter((_, i) => i % 2 === 0);
    assert.deepEqual(getAttestingIndices(s, attestation(slot, 1, bits(committee.length))), expected);
    const longer = bits(committee.length + 9);
    assert.deepEqual(getAttestingIndices(s, attestation(slot, 1, longer)), expected);
    // process_attestation's check, kept on the block path.
    assert.throws(() => s.epochCtx.getAttestingIndices({slot, index: 1}, longer), (e) => e instanceof BlockProcessingError);
    assert.throws(() => getAttestingIndices(s, attestation(slot, 1, bits(committee.length - 1))), failsWith("AGGREGATION_BITS_TOO_SHORT"));
  });

  it("builds the indexed attestation sorted, sharing the block path's result where both apply", () => {
    const slot = s.state.slot;
    const perSlot = s.epochCtx.getCommitteeCountPerSlot(computeEpochAtSlot(slot));
    const exact = attestation(slot, 0, bits(s.epochCtx.getBeaconCommittee(slot, 0).length));
    assert.equal(getIndexedAttestation(s, exact), s.epochCtx.getIndexedAttestation(exact));

    const above = attestation(slot, perSlot + 1, bits(64));
    const indexed = getIndexedAttestation(s, above);
    const members = specCommittee(s, slot, perSlot + 1).filter((_, i) => i % 2 === 0);
    assert.deepEqual(indexed.attesting_indices, [...members].sort((a, b) => a - b));
    assert.equal(indexed.data, above.data);
    assert.equal(indexed.signature, above.signature);
    assert.throws(() => s.epochCtx.getIndexedAttestation(above), (e) => e instanceof BlockProcessingError);
  });
});
