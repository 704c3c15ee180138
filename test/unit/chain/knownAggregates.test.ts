import {strict as assert} from "node:assert";
import {BitArray} from "@chainsafe/ssz";
import {KnownAggregates} from "../../../src/chain/opPools/knownAggregates.ts";
import {SLOTS_PER_EPOCH} from "../../../src/params/index.ts";
import {useDevNetwork} from "./helpers.ts";

describe("chain: known aggregates", () => {
  before(() => useDevNetwork(6));

  const rootOf = (slot: number, i: number): string => `0x${slot.toString(16).padStart(8, "0")}${i.toString(16).padStart(56, "0")}`;
  const bitsOf = (i: number): BitArray => BitArray.fromSingleBit(16, i % 16);
  const sigOf = (slot: number, i: number): Uint8Array => {
    const s = new Uint8Array(96);
    new DataView(s.buffer).setUint32(0, slot);
    s[4] = i;
    return s;
  };

  it("holds only the aggregates of the includable slots when pruned as the chain does each slot", () => {
    const perSlot = 10;
    const known = new KnownAggregates();
    const epochs = 100;
    let maxSize = 0;
    for (let slot = 0; slot < epochs * SLOTS_PER_EPOCH; slot++) {
      known.pruneBefore(slot - SLOTS_PER_EPOCH); // BeaconChain.pruneSeen at the slot start
      for (let i = 0; i < perSlot; i++) known.add(slot, rootOf(slot, i), bitsOf(i), sigOf(slot, i));
      maxSize = Math.max(maxSize, known.size);
    }
    // Slots current - SLOTS_PER_EPOCH .. current: SLOTS_PER_EPOCH + 1 slots' worth, after 800 slots of additions.
    assert.equal(maxSize, perSlot * (SLOTS_PER_EPOCH + 1));
    const last = epochs * SLOTS_PER_EPOCH - 1;
    assert.equal(known.has(rootOf(last, 3), bitsOf(3), sigOf(last, 3)), true);
    const includable = last - SLOTS_PER_EPOCH;
    assert.equal(known.has(rootOf(includable, 0), bitsOf(0), sigOf(includable, 0)), true);
    assert.equal(known.has(rootOf(includable - 1, 0), bitsOf(0), sigOf(includable - 1, 0)), false);
    // An aggregate of an already pruned slot is not recorded.
    known.add(includable - 1, rootOf(includable - 1, 0), bitsOf(0), sigOf(includable - 1, 0));
    assert.equal(known.has(rootOf(includable - 1, 0), bitsOf(0), sigOf(includable - 1, 0)), false);
  });

  it("keeps at most `max` entries within the window, dropping the least recently added", () => {
    const known = new KnownAggregates(4);
    for (let i = 0; i < 6; i++) known.add(1, rootOf(1, i), bitsOf(i), sigOf(1, i));
    assert.equal(known.size, 4);
    assert.equal(known.has(rootOf(1, 1), bitsOf(1), sigOf(1, 1)), false);
    assert.equal(known.has(rootOf(1, 2), bitsOf(2), sigOf(1, 2)), true);
    // The key covers the bits and the signature, not just the data.
    assert.equal(known.has(rootOf(1, 2), bitsOf(3), sigOf(1, 2)), false);
    assert.equal(known.has(rootOf(1, 2), bitsOf(2), sigOf(1, 3)), false);
  });
});
