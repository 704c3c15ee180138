/**
 * blocks_by_range's source on a real chain: canonical blocks of any range, across the finalized
 * part (database index) and the fork-choice part, with empty slots left out, before and after a
 * restart moves the fork-choice anchor; blocks by root as stored bytes.
 */
import {strict as assert} from "node:assert";
import {SLOTS_PER_EPOCH} from "../../../src/params/index.ts";
import {chainBlockSource} from "../../../src/network/reqresp/blockSource.ts";
import {ssz} from "../../../src/types/index.ts";
import {toHex} from "../../../src/util/bytes.ts";
import {InProcessValidators, openTestChain, runSlots, useDevNetwork, type TestChain} from "../chain/helpers.ts";

describe("network: blocks by range and root from the chain", function () {
  this.timeout(120_000);
  let t: TestChain | undefined;
  before(() => useDevNetwork(6));
  after(async () => t?.close());

  it("answers every range with the canonical blocks in slot order", async () => {
    t = await openTestChain({validators: 64});
    const v = new InProcessValidators(t.chain, 64);
    const emptySlot = 3 * SLOTS_PER_EPOCH + 3;
    await runSlots(t, v, 5 * SLOTS_PER_EPOCH + 2, {skipProposals: new Set([emptySlot])});
    const headSlot = t.chain.getHead().slot;
    const expected = new Map<number, string>();
    for (let slot = 0; slot <= headSlot; slot++) {
      const b = await t.chain.getBlockById(slot);
      if (b !== null) expected.set(slot, toHex(b.root));
    }
    assert.ok(!expected.has(emptySlot));

    const check = async (label: string): Promise<void> => {
      const source = chainBlockSource(t!.chain);
      const anchor = t!.chain.anchorSlot;
      for (const [start, count] of [[0, 1], [1, 8], [anchor - 3, 6], [anchor, 1], [anchor - 8, 8], [emptySlot - 1, 3], [headSlot - 2, 100], [headSlot + 1, 5], [0, 1024]]) {
        const want = [...expected].filter(([s]) => s >= start && s < start + count).map(([, r]) => r);
        const got = (await source.canonicalRootsInRange(Math.max(0, start), count)).map(toHex);
        assert.deepEqual(got, want, `${label}: [${start}, ${start + count}) with the anchor at ${anchor}`);
      }
      const root = expected.get(2)!;
      const bytes = (await source.blockBytes(Uint8Array.from(Buffer.from(root.slice(2), "hex"))))!;
      assert.equal(toHex(ssz.BeaconBlock.hashTreeRoot(ssz.SignedBeaconBlock.deserialize(bytes).message)), root);
      assert.equal(await source.blockBytes(new Uint8Array(32).fill(7)), null);
    };
    await check("running");
    const {dir, time} = t;
    await t.close({keepDir: true});
    t = await openTestChain({dir, time});
    assert.ok(t.chain.anchorSlot > 0);
    await check("restarted");
  });
});
