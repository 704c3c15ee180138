import {strict as assert} from "node:assert";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {BeaconDb, DbError} from "../../../src/db/index.ts";

const root = (b: number) => new Uint8Array(32).fill(b);

// The same assertions on disk and in memory.
for (const backend of ["level", "memory"] as const) describe(`BeaconDb (${backend})`, () => {
  let dir: string;
  let db: BeaconDb;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "gnomon-db-"));
    db = backend === "level" ? await BeaconDb.open(dir) : BeaconDb.inMemory();
  });
  afterEach(async () => {
    await db.close();
    rmSync(dir, {recursive: true, force: true});
  });

  it("stores blocks with a slot index and applies a batch atomically", async () => {
    await db.batch([...db.putBlockOps(root(1), 5, Uint8Array.of(1)), ...db.putBlockOps(root(2), 300, Uint8Array.of(2))]);
    assert.deepEqual(await db.getBlock(root(2)), Uint8Array.of(2));
    assert.equal(await db.getBlock(root(3)), undefined);
    const range = await db.blockRootsBySlotRange(0, 299);
    assert.deepEqual(range.map((r) => r.slot), [5]);
    assert.deepEqual(range[0].root, root(1));
    assert.equal((await db.blockRootsBySlotRange(5, 2 ** 40)).length, 2);
    await db.batch(db.deleteBlockOps(root(1), 5));
    assert.equal(await db.hasBlock(root(1)), false);
  });

  it("resolves the finalized block at or before a slot", async () => {
    await db.batch([db.putFinalizedSlotOp(0, root(0)), db.putFinalizedSlotOp(2, root(2)), db.putFinalizedSlotOp(256, root(9))]);
    assert.deepEqual(await db.getFinalizedBlockAtOrBefore(1), {slot: 0, root: root(0)});
    assert.deepEqual(await db.getFinalizedBlockAtOrBefore(255), {slot: 2, root: root(2)});
    assert.deepEqual(await db.getFinalizedBlockAtOrBefore(1000), {slot: 256, root: root(9)});
    assert.deepEqual(await db.getFinalizedRootAtSlot(2), root(2));
  });

  it("keeps checkpoint and archived states apart, ordered by epoch and slot", async () => {
    await db.batch([
      db.putCheckpointStateOp(3, root(3), Uint8Array.of(3)),
      db.putCheckpointStateOp(1, root(1), Uint8Array.of(1)),
      db.putArchivedStateOp(64, Uint8Array.of(64)),
      db.putArchivedStateOp(128, Uint8Array.of(128)),
    ]);
    assert.deepEqual((await db.checkpointStateKeys()).map((k) => k.epoch), [1, 3]);
    assert.deepEqual(await db.getCheckpointState(3, root(3)), Uint8Array.of(3));
    assert.deepEqual((await db.getArchivedStateAtOrBefore(127))?.slot, 64);
    assert.equal(await db.getArchivedStateAtOrBefore(63), undefined);
  });

  if (backend === "level") it("persists across reopen, and refuses a second opener with a typed error", async () => {
    await db.batch([db.putMetaOp("anchor", Uint8Array.of(7))], true);
    await assert.rejects(BeaconDb.open(dir), DbError);
    await db.close();
    db = await BeaconDb.open(dir);
    assert.deepEqual(await db.getMeta("anchor"), Uint8Array.of(7));
  });
});
