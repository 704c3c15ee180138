import {strict as assert} from "node:assert";
import {SLOTS_PER_EPOCH} from "../../../src/params/index.ts";
import {computeEpochAtSlot} from "../../../src/state-transition/index.ts";
import {toHex} from "../../../src/util/bytes.ts";
import {InProcessValidators, openTestChain, runSlots, useDevNetwork, type TestChain} from "./helpers.ts";

describe("chain: a 64-validator interop chain driven through the chain API", function () {
  this.timeout(120_000);
  let t: TestChain;

  before(() => useDevNetwork(6));
  afterEach(async () => t?.close());

  it("produces a block every slot, counts every attester, and finalizes epoch - 2 at each boundary from epoch 4", async () => {
    t = await openTestChain({validators: 64});
    t.chain.start();
    const v = new InProcessValidators(t.chain, 64);
    const finalizedAtBoundary: number[] = [];
    t.chain.events.on("head", (e) => {
      if (e.slot % SLOTS_PER_EPOCH === 0) finalizedAtBoundary[computeEpochAtSlot(e.slot)] = t.chain.getFinalizedCheckpoint().epoch;
    });
    await runSlots(t, v, 6 * SLOTS_PER_EPOCH);
    assert.deepEqual(v.errors, []);

    const head = t.chain.getHead();
    assert.equal(head.slot, 6 * SLOTS_PER_EPOCH);
    for (let slot = 1; slot <= head.slot; slot++) {
      const b = await t.chain.getBlockById(slot);
      assert.ok(b, `block at slot ${slot}`);
      assert.equal(b.canonical, true);
    }
    for (let epoch = 4; epoch <= 6; epoch++) assert.equal(finalizedAtBoundary[epoch], epoch - 2, `finalized at epoch ${epoch}`);
    assert.equal(t.chain.getFinalizedCheckpoint().epoch, 4);
    assert.equal(t.chain.getJustifiedCheckpoint().epoch, 5);

    // Every validator attested in epoch 5 and was seen live.
    const live = t.chain.getLiveness(5, Array.from({length: 64}, (_, i) => i));
    assert.equal(live.filter((l) => l.isLive).length, 64);
    // Epochs the tracker has forgotten are refused, not reported as "not live".
    assert.equal(t.chain.getLiveness(3, [0])[0].isLive, true);
    assert.throws(() => t.chain.getLiveness(2, [0]), /epoch 2 is before epoch 3/);
    // The finalized block is in the finalized slot index of the database.
    const fin = t.chain.getFinalizedCheckpoint();
    const finalizedBlock = await t.chain.getBlockById("finalized");
    assert.ok(finalizedBlock);
    assert.equal(toHex(finalizedBlock.root), toHex(fin.root));
    assert.equal(finalizedBlock.finalized, true);
  });
});
