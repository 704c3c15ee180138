import {strict as assert} from "node:assert";
import {BitArray} from "@chainsafe/ssz";
import {fastAggregateVerify, interopPubkey, interopSecretKey, sign} from "../../../src/crypto/index.ts";
import {AttestationPool} from "../../../src/chain/opPools/attestationPool.ts";
import {KnownAggregates} from "../../../src/chain/opPools/knownAggregates.ts";
import {ssz, type Attestation, type AttestationData} from "../../../src/types/index.ts";
import {toHex} from "../../../src/util/bytes.ts";
import {useDevNetwork} from "./helpers.ts";

describe("chain: attestation pool", () => {
  before(() => useDevNetwork(6));

  const data = (slot: number): AttestationData => ({
    slot,
    index: 0,
    beacon_block_root: new Uint8Array(32).fill(slot),
    source: {epoch: 0, root: new Uint8Array(32)},
    target: {epoch: 0, root: new Uint8Array(32).fill(1)},
  });
  const message = new Uint8Array(32).fill(42);
  /** Committee member i is interop validator 10 + i; every signature is over the same message. */
  const att = (d: AttestationData, members: number[], len = 8): Attestation => {
    const bits = BitArray.fromBoolArray(Array.from({length: len}, (_, i) => members.includes(i)));
    const sigs = members.map((i) => sign(interopSecretKey(10 + i), message));
    return {aggregation_bits: bits, data: d, signature: members.length === 1 ? sigs[0] : aggregateOf(sigs)};
  };
  const aggregateOf = (sigs: Uint8Array[]): Uint8Array => {
    const pool = new AttestationPool();
    const d = data(99);
    const root = ssz.AttestationData.hashTreeRoot(d);
    sigs.forEach((s, i) => pool.add({aggregation_bits: BitArray.fromSingleBit(64, i), data: d, signature: s}, root));
    return pool.getAggregate(99, root)!.signature;
  };

  it("merges disjoint attestations by aggregating signatures, drops covered ones, keeps the best", () => {
    const known = new KnownAggregates();
    const pool = new AttestationPool(known);
    const d = data(5);
    const root = ssz.AttestationData.hashTreeRoot(d);
    assert.equal(pool.add(att(d, [0]), root), "added");
    assert.equal(pool.add(att(d, [1]), root), "merged");
    assert.equal(pool.add(att(d, [0]), root), "known");
    assert.equal(pool.add(att(d, [1, 2]), root), "added"); // overlaps {0,1}: kept beside it
    assert.equal(pool.add(att(d, [3]), root), "merged");
    const best = pool.getAggregate(5, root)!;
    const members = best.aggregation_bits.getTrueBitIndexes();
    assert.equal(members.length, 3);
    assert.ok(fastAggregateVerify(members.map((i) => interopPubkey(10 + i)), message, best.signature));
    assert.ok(known.has(toHex(root), best.aggregation_bits, best.signature));
    // An aggregate that covers everything replaces the ones it covers.
    assert.equal(pool.add(att(d, [0, 1, 2, 3]), root), "added");
    assert.deepEqual(pool.getAll({slot: 5}).map((a) => a.aggregation_bits.getTrueBitIndexes()), [[0, 1, 2, 3]]);

    assert.equal(pool.getAggregate(6, root), null);
    pool.add(att(data(7), [0]), ssz.AttestationData.hashTreeRoot(data(7)));
    assert.equal(pool.size, 2);
    pool.pruneBefore(6);
    assert.equal(pool.size, 1);
    assert.equal(pool.add(att(d, [5]), root), "known", "below the pruned slot");
  });
});
