import {strict as assert} from "node:assert";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {systemTime} from "../../../src/clock/index.ts";
import {openChain, readOldestBlock, type BeaconChain, type CheckpointAnchor} from "../../../src/chain/index.ts";
import {BeaconDb} from "../../../src/db/index.ts";
import {PeerAction} from "../../../src/network/interface.ts";
import {startChainBackfill, startChainSync, type Backfill} from "../../../src/sync/index.ts";
import {fromHex, toHex} from "../../../src/util/bytes.ts";
import {silentLogger} from "../../../src/util/logger.ts";
import {InProcessValidators, openTestChain, runSlots, useDevNetwork, type TestChain} from "../chain/helpers.ts";
import {FakeNetwork} from "./fakeNetwork.ts";

const SOURCE_SLOTS = 40;
const SKIPPED = new Set([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);

describe("backfill: blocks before a checkpoint anchor from a fake network serving a real chain", function () {
  this.timeout(120_000);
  let source: TestChain;
  /** The same genesis, other proposals skipped: another chain below the anchor. */
  let fork: TestChain;
  let anchor: CheckpointAnchor;
  let dir: string;
  let db: BeaconDb | undefined;
  let local: BeaconChain | undefined;
  let backfill: Backfill | undefined;

  before(async () => {
    useDevNetwork(6);
    source = await openTestChain({validators: 64});
    // A run of skipped slots longer than a batch: backfill must look further back for the parent.
    await runSlots(source, new InProcessValidators(source.chain, 64), SOURCE_SLOTS, {skipProposals: SKIPPED});
    const root = fromHex(source.chain.anchorBlockRoot);
    const found = await source.chain.getBlockById(root);
    assert.ok(found !== null);
    anchor = {
      block: found.signedBlock,
      state: source.chain.regen.getBlockState(source.chain.anchorBlockRoot).state,
      checkpoint: source.chain.getFinalizedCheckpoint(),
      genesisBlockRoot: source.chain.genesis.genesisBlockRoot,
    };
    assert.ok(anchor.block.message.slot >= 16, `anchor at slot ${anchor.block.message.slot}`);
    fork = await openTestChain({validators: 64});
    await runSlots(fork, new InProcessValidators(fork.chain, 64), anchor.block.message.slot, {skipProposals: new Set([1, 2])});
  });
  after(async () => {
    await source?.close();
    await fork?.close();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "gnomon-backfill-"));
  });
  afterEach(async () => {
    await backfill?.stop();
    await closeLocal();
    rmSync(dir, {recursive: true, force: true});
    backfill = undefined;
  });

  async function openLocal(): Promise<BeaconChain> {
    db = await BeaconDb.open(dir);
    ({chain: local} = await openChain({db, checkpointAnchor: async () => anchor, network: {preset: "minimal", configOverrides: {}}, time: source.time}));
    return local;
  }

  async function closeLocal(): Promise<void> {
    await local?.stop();
    await db?.close();
    local = undefined;
    db = undefined;
  }

  function start(chain: BeaconChain, network: FakeNetwork, sync: {isSyncing(): boolean} | null = null): Backfill {
    backfill = startChainBackfill(chain, network, sync, {logger: silentLogger, time: systemTime, batchSlots: 8, retryDelayMs: 10, pauseMs: 0});
    return backfill;
  }

  /** Every block of the source below the anchor is stored under the finalized slot index, and REST-style lookups find it. */
  async function assertBackfilled(chain: BeaconChain): Promise<void> {
    const oldest = await readOldestBlock(chain.db);
    assert.deepEqual(oldest, {slot: 0, root: source.chain.genesis.genesisBlockRoot});
    assert.equal((await chain.getBlockRange!()).fromGenesis, true);
    for (let slot = 0; slot < anchor.block.message.slot; slot++) {
      const theirs = await source.chain.getBlockById(slot);
      const mine = await chain.getBlockById(slot);
      const root = await chain.db.getFinalizedRootAtSlot(slot);
      if (SKIPPED.has(slot)) {
        assert.equal(theirs, null);
        assert.equal(mine, null, `slot ${slot} was skipped`);
        assert.equal(root, undefined, `slot ${slot} was skipped`);
        continue;
      }
      assert.ok(theirs !== null && mine !== null, `slot ${slot}`);
      assert.equal(toHex(mine.root), toHex(theirs.root), `slot ${slot}`);
      assert.equal(toHex(root!), toHex(theirs.root), `slot ${slot}`);
    }
  }

  it("backfills to genesis from several peers, past a run of skipped slots, with no peer reported", async () => {
    const chain = await openLocal();
    const range = await chain.getBlockRange!();
    assert.equal(range.oldestSlot, anchor.block.message.slot);
    assert.equal(range.fromGenesis, false);
    const network = new FakeNetwork();
    network.addPeer("a", source.chain);
    network.addPeer("b", source.chain);
    const b = start(chain, network);
    await b.done();
    await assertBackfilled(chain);
    assert.deepEqual(network.reports, []);
    assert.equal(new Set(network.requests.map((r) => r.peerId)).size, 2);
    // Newest batch first, each below the one before.
    const starts = network.requests.map((r) => r.startSlot!);
    assert.deepEqual(starts, [...starts].sort((x, y) => y - x));
    assert.equal(b.stored, anchor.block.message.slot - SKIPPED.size);
  });

  it("reports a peer serving a bad proposer signature as fatal and takes the batch from another", async () => {
    const chain = await openLocal();
    const network = new FakeNetwork();
    network.addPeer("bad", source.chain, {invalidAtSlot: anchor.block.message.slot - 2});
    network.addPeer("good", source.chain);
    await start(chain, network).done();
    await assertBackfilled(chain);
    assert.ok(network.reports.length >= 1);
    for (const r of network.reports) {
      assert.equal(r.peerId, "bad");
      assert.equal(r.action, PeerAction.Fatal);
      assert.match(r.reason, /proposer signature/);
    }
  });

  it("reports a peer whose blocks do not link to the oldest block held, and stores nothing of it", async () => {
    const chain = await openLocal();
    const network = new FakeNetwork();
    // Serves every block but those at slots divisible by 3: its answers miss a parent.
    network.addPeer("withholder", source.chain, {withholdEvery: 3});
    network.addPeer("honest", source.chain);
    await start(chain, network).done();
    await assertBackfilled(chain);
    assert.ok(network.reports.length >= 1);
    for (const r of network.reports) {
      assert.equal(r.peerId, "withholder");
      assert.equal(r.action, PeerAction.LowTolerance);
      assert.match(r.reason, /not the child|do not link/);
    }
  });

  it("reports a peer serving another chain below the anchor, and takes the blocks from another peer", async () => {
    const chain = await openLocal();
    const network = new FakeNetwork();
    network.addPeer("other-chain", fork.chain, {}, {head_slot: source.chain.getHead().slot});
    network.addPeer("honest", source.chain);
    await start(chain, network).done();
    await assertBackfilled(chain);
    const reports = network.reports.filter((r) => r.peerId === "other-chain");
    assert.ok(reports.length >= 1, JSON.stringify(network.reports));
    assert.deepEqual(new Set(network.reports.map((r) => r.peerId)), new Set(["other-chain"]));
    assert.equal(reports[0].action, PeerAction.LowTolerance);
    assert.match(reports[0].reason, /do not link/);
  });

  it("does not report a peer without the history (checkpoint-synced itself) and backfills from one that has it", async () => {
    const otherDir = mkdtempSync(join(tmpdir(), "gnomon-backfill-"));
    const otherDb = await BeaconDb.open(otherDir);
    const {chain: other} = await openChain({db: otherDb, checkpointAnchor: async () => anchor, network: {preset: "minimal", configOverrides: {}}, time: source.time});
    try {
      const chain = await openLocal();
      const network = new FakeNetwork();
      network.addPeer("no-history", other);
      network.addPeer("archive", source.chain);
      await start(chain, network).done();
      await assertBackfilled(chain);
      assert.deepEqual(network.reports, []);
      assert.ok(network.requests.some((r) => r.peerId === "no-history"));
    } finally {
      await other.stop();
      await otherDb.close();
      rmSync(otherDir, {recursive: true, force: true});
    }
  });

  it("resumes after a restart from the oldest block stored", async () => {
    let chain = await openLocal();
    const network = new FakeNetwork();
    network.addPeer("a", source.chain);
    const first = start(chain, network);
    // Stop after the first stored batch.
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (first.stored > 0) {
          clearInterval(poll);
          resolve();
        }
      }, 1);
    });
    await first.stop();
    const stoppedAt = await readOldestBlock(chain.db);
    assert.ok(stoppedAt !== null && stoppedAt.slot > 0 && stoppedAt.slot < anchor.block.message.slot, JSON.stringify(stoppedAt));
    await closeLocal();

    chain = await openLocal();
    const before = network.requests.length;
    await start(chain, network).done();
    await assertBackfilled(chain);
    assert.ok(network.requests.slice(before).every((r) => r.startSlot! + r.count! <= stoppedAt!.slot), "requests after the restart start below the stored oldest block");
    assert.equal(backfill!.stored + first.stored, anchor.block.message.slot - SKIPPED.size);
  });

  it("range-syncs a checkpoint-synced chain from its anchor to the peers' head, with backfill after it", async () => {
    const chain = await openLocal();
    const network = new FakeNetwork();
    network.addPeer("a", source.chain);
    network.addPeer("b", source.chain);
    const sync = startChainSync(chain, network, {logger: silentLogger, time: systemTime, retryDelayMs: 10, range: {batchSlots: 8, batchesAhead: 2}});
    try {
      assert.equal(sync.isSyncing(), true);
      const b = start(chain, network, sync);
      await sync.idle();
      const head = source.chain.getHead();
      assert.equal(chain.getHead().slot, head.slot);
      assert.equal(toHex(chain.getHead().root), toHex(head.root));
      await b.done();
      // Range sync asked for the slots after the anchor before backfill asked for any below it.
      const firstBelow = network.requests.findIndex((r) => r.startSlot! < anchor.block.message.slot);
      const lastAbove = network.requests.findLastIndex((r) => r.startSlot! > anchor.block.message.slot);
      assert.ok(lastAbove >= 0 && firstBelow > lastAbove, JSON.stringify(network.requests));
      await assertBackfilled(chain);
      assert.deepEqual(network.reports, []);
    } finally {
      await sync.stop();
    }
  });

  it("waits while forward sync runs, and does nothing on a chain from genesis", async () => {
    const chain = await openLocal();
    const network = new FakeNetwork();
    network.addPeer("a", source.chain);
    let busy = true;
    const b = start(chain, network, {isSyncing: () => busy});
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(network.requests, []);
    busy = false;
    await b.done();
    await assertBackfilled(chain);

    const fromGenesis = startChainBackfill(source.chain, network, null, {logger: silentLogger, time: systemTime});
    const count = network.requests.length;
    await fromGenesis.done();
    assert.equal(network.requests.length, count);
  });
});
