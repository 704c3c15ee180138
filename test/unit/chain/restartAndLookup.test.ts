import {strict as assert} from "node:assert";
import {SLOTS_PER_EPOCH} from "../../../src/params/index.ts";
import {computeStartSlotAtEpoch} from "../../../src/state-transition/index.ts";
import type {BlockResult} from "../../../src/chain/index.ts";
import {toHex} from "../../../src/util/bytes.ts";
import {InProcessValidators, interopGenesis, openTestChain, runSlots, useDevNetwork, type TestChain} from "./helpers.ts";

describe("chain: restart from the database, state and block lookups", function () {
  this.timeout(120_000);
  let t: TestChain | undefined;
  before(() => useDevNetwork(6));
  afterEach(async () => t?.close());

  it("restarts from the stored anchor and blocks, with finality kept, and keeps finalizing", async () => {
    t = await openTestChain({validators: 64});
    let v = new InProcessValidators(t.chain, 64);
    const emptySlot = 3 * SLOTS_PER_EPOCH + 3;
    await runSlots(t, v, 5 * SLOTS_PER_EPOCH + 2, {skipProposals: new Set([emptySlot])});
    const head = t.chain.getHead();
    const finalized = t.chain.getFinalizedCheckpoint();
    assert.equal(finalized.epoch, 3);
    const roots = new Map<number, string>();
    for (let slot = 1; slot <= head.slot; slot++) {
      const b: BlockResult | null = await t.chain.getBlockById(slot);
      if (slot === emptySlot) assert.equal(b, null, "no block at the skipped slot");
      else roots.set(slot, toHex(b!.root));
    }
    const {dir, time} = t;
    await t.close({keepDir: true});

    t = await openTestChain({dir, time});
    assert.equal(toHex(t.chain.getHead().root), toHex(head.root));
    assert.equal(t.chain.getFinalizedCheckpoint().epoch, finalized.epoch);
    assert.equal(toHex(t.chain.getFinalizedCheckpoint().root), toHex(finalized.root));
    for (const [slot, root] of roots) {
      const b: BlockResult = (await t.chain.getBlockById(slot))!;
      assert.equal(toHex(b.root), root, `slot ${slot}`);
      assert.equal(b.canonical, true);
      assert.equal(b.finalized, slot <= computeStartSlotAtEpoch(finalized.epoch));
    }

    v = new InProcessValidators(t.chain, 64);
    t.chain.start();
    await runSlots(t, v, 7 * SLOTS_PER_EPOCH + 1);
    assert.deepEqual(v.errors, []);
    assert.equal(t.chain.getFinalizedCheckpoint().epoch, 5);
  });

  it("serves states by name, slot (empty slots too) and root, regenerating and replaying where needed", async () => {
    t = await openTestChain({validators: 64});
    const v = new InProcessValidators(t.chain, 64);
    const emptySlot = 4 * SLOTS_PER_EPOCH + 2;
    await runSlots(t, v, 5 * SLOTS_PER_EPOCH + 4, {skipProposals: new Set([emptySlot])});
    const chain = t.chain;

    const genesis = (await chain.getStateById("genesis"))!;
    assert.equal(toHex(genesis.stateRoot), toHex(interopGenesis(64).hashTreeRoot()));
    assert.equal(genesis.finalized, true);

    const fin = chain.getFinalizedCheckpoint();
    const finState = (await chain.getStateById("finalized"))!;
    assert.equal(finState.state.state.slot, computeStartSlotAtEpoch(fin.epoch));
    const justState = (await chain.getStateById("justified"))!;
    assert.equal(justState.state.state.slot, computeStartSlotAtEpoch(chain.getJustifiedCheckpoint().epoch));

    // Post-states of blocks by slot, finalized (archive + replay) and not, match the blocks' state roots.
    for (const slot of [1, 9, computeStartSlotAtEpoch(fin.epoch) + 1, emptySlot - 1, emptySlot + 1]) {
      const block = (await chain.getBlockById(slot))!;
      const s = (await chain.getStateById(slot))!;
      assert.equal(toHex(s.stateRoot), toHex(block.signedBlock.message.state_root), `state at slot ${slot}`);
      const byRoot = (await chain.getStateById(block.signedBlock.message.state_root))!;
      assert.equal(byRoot.state.state.slot, slot);
    }
    // The empty slot's state: the previous block's state advanced one slot; found by its root too.
    const empty = (await chain.getStateById(emptySlot))!;
    assert.equal(empty.state.state.slot, emptySlot);
    const byRoot = (await chain.getStateById(empty.stateRoot))!;
    assert.equal(toHex(byRoot.stateRoot), toHex(empty.stateRoot));
    // Beyond the current slot: nothing.
    assert.equal(await chain.getStateById(chain.currentSlot() + 1), null);
    assert.equal(await chain.getStateById(new Uint8Array(32).fill(1)), null);

    // An evicted state is regenerated from an older one by replaying blocks.
    const target = (await chain.getBlockById(emptySlot + 2))!;
    chain.regen.blockStates.clear();
    chain.regen.checkpointStates.clear();
    const before = chain.regen.replayedBlocks;
    const regenerated = chain.regen.getBlockState(toHex(target.root));
    assert.ok(chain.regen.replayedBlocks > before);
    assert.equal(toHex(regenerated.state.hashTreeRoot()), toHex(target.signedBlock.message.state_root));

    // Headers: by slot and by parent.
    const [h] = await chain.getHeaders({slot: 9});
    assert.equal(toHex(h.root), toHex((await chain.getBlockById(9))!.root));
    const children = await chain.getHeaders({parentRoot: (await chain.getBlockById(8))!.root});
    assert.deepEqual(children.map((c) => c.header.message.slot), [9]);
    assert.equal((await chain.getHeaders({})).length, 1);
  });
});
