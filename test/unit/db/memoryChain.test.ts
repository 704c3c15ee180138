import {strict as assert} from "node:assert";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {openChain} from "../../../src/chain/open.ts";
import {FakeTime} from "../../../src/clock/fakeTime.ts";
import {BeaconDb, LevelStore, MemoryStore, type KeyValueStore} from "../../../src/db/index.ts";
import {SLOTS_PER_EPOCH} from "../../../src/params/index.ts";
import {toHex} from "../../../src/util/bytes.ts";
import {GENESIS_TIME, InProcessValidators, interopGenesis, runSlots, useDevNetwork, type TestChain} from "../chain/helpers.ts";

async function openOn(store: KeyValueStore, db: BeaconDb, time: FakeTime): Promise<TestChain> {
  const {chain} = await openChain({db, genesisState: () => interopGenesis(64), network: {preset: "minimal", configOverrides: {}}, time});
  return {chain, db, time, dir: store.location, close: async () => chain.stop()};
}

/** Every entry of a store, keys and values in hex, in key order. */
async function dump(store: KeyValueStore): Promise<string[]> {
  const out: string[] = [];
  for await (const [k, v] of store.entries({})) out.push(`${Buffer.from(k).toString("hex")}=${Buffer.from(v).toString("hex")}`);
  return out;
}

describe("a chain on the in-memory database", function () {
  this.timeout(180_000);
  before(() => useDevNetwork(6));

  it("finalizes and restarts as on level, leaving byte-identical databases", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gnomon-memchain-"));
    const level = await LevelStore.open(dir);
    const memory = new MemoryStore();
    try {
      const toSlot = 4 * SLOTS_PER_EPOCH + 2;
      const runs: {store: KeyValueStore; db: BeaconDb; head: string; finalized: number}[] = [];
      for (const store of [level, memory]) {
        const db = new BeaconDb(store);
        const t = await openOn(store, db, new FakeTime(GENESIS_TIME * 1000));
        t.chain.start();
        const v = new InProcessValidators(t.chain, 64);
        await runSlots(t, v, toSlot);
        assert.deepEqual(v.errors, []);
        runs.push({store, db, head: toHex(t.chain.getHead().root), finalized: t.chain.getFinalizedCheckpoint().epoch});
        await t.close();
      }
      const [onLevel, onMemory] = runs;
      assert.equal(onMemory.finalized, 2);
      assert.deepEqual({head: onMemory.head, finalized: onMemory.finalized}, {head: onLevel.head, finalized: onLevel.finalized});
      const [levelEntries, memoryEntries] = [await dump(level), await dump(memory)];
      assert.ok(memoryEntries.length > toSlot);
      assert.deepEqual(memoryEntries, levelEntries);

      // A restart on the same memory: anchor and blocks replayed from it.
      const again = await openOn(memory, onMemory.db, new FakeTime(GENESIS_TIME * 1000 + toSlot * 6000));
      assert.equal(toHex(again.chain.getHead().root), onMemory.head);
      assert.equal(again.chain.getFinalizedCheckpoint().epoch, 2);
      await again.close();
    } finally {
      await level.close();
      await memory.close();
      rmSync(dir, {recursive: true, force: true});
    }
  });
});
