import {strict as assert} from "node:assert";
import type {BlockResult} from "../../../src/chain/index.ts";
import {toHex} from "../../../src/util/bytes.ts";
import {InProcessValidators, openTestChain, runSlots, useDevNetwork, type TestChain} from "./helpers.ts";

describe("chain: finalization after fork choice pruned the finalized block's ancestors", function () {
  this.timeout(120_000);
  let t: TestChain | undefined;
  before(() => useDevNetwork(6));
  after(async () => t?.close());

  it("keeps and indexes every canonical block, across the 256-node prune of the proto-array", async () => {
    t = await openTestChain({validators: 64});
    await runSlots(t, new InProcessValidators(t.chain, 64), 290);
    assert.ok(t.chain.getFinalizedCheckpoint().epoch >= 33);
    const stored = new Set((await t.db.blockRootsBySlotRange(1, 290)).map((r) => r.slot));
    const finalizedSlot = t.chain.getFinalizedCheckpoint().epoch * 8;
    for (let slot = 1; slot <= finalizedSlot; slot++) {
      assert.ok(stored.has(slot), `block at slot ${slot} stored`);
      const indexed = await t.db.getFinalizedRootAtSlot(slot);
      assert.ok(indexed !== undefined, `slot ${slot} in the finalized index`);
      const block: BlockResult | null = await t.chain.getBlockById(slot);
      assert.equal(toHex(indexed), toHex(block!.root));
      if (slot > 1) assert.equal(toHex(block!.signedBlock.message.parent_root), toHex((await t.db.getFinalizedRootAtSlot(slot - 1))!));
    }
  });
});
