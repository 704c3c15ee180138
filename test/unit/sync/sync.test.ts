import {strict as assert} from "node:assert";
import {systemTime} from "../../../src/clock/index.ts";
import {silentLogger} from "../../../src/util/logger.ts";
import {PeerAction} from "../../../src/network/interface.ts";
import {startChainSync, type SyncService} from "../../../src/sync/index.ts";
import {toHex} from "../../../src/util/bytes.ts";
import {InProcessValidators, openTestChain, runSlots, useDevNetwork, type TestChain} from "../chain/helpers.ts";
import {FakeNetwork, rootHex} from "./fakeNetwork.ts";

const SOURCE_SLOTS = 40;

describe("sync: range sync and lookups against a fake network serving a real chain", function () {
  this.timeout(120_000);
  let source: TestChain;
  let local: TestChain | undefined;
  let sync: SyncService | undefined;

  before(async () => {
    useDevNetwork(6);
    source = await openTestChain({validators: 64});
    await runSlots(source, new InProcessValidators(source.chain, 64), SOURCE_SLOTS);
  });
  after(async () => source?.close());
  afterEach(async () => {
    await sync?.stop();
    await local?.close();
    sync = undefined;
    local = undefined;
  });

  async function startLocal(network: FakeNetwork, opts: {batchSlots?: number} = {}): Promise<SyncService> {
    // Same genesis, same moment: the source's blocks are not from the future.
    local = await openTestChain({validators: 64, time: source.time});
    sync = startChainSync(local.chain, network, {
      logger: silentLogger,
      // Sync's own timers (retry delay, rate meter) on wall time; the chains on the fake clock.
      time: systemTime,
      retryDelayMs: 10,
      range: {batchSlots: opts.batchSlots ?? 8, batchesAhead: 3},
    });
    return sync;
  }

  function assertSameHead(): void {
    const a = source.chain.getHead();
    const b = local!.chain.getHead();
    assert.equal(b.slot, a.slot);
    assert.equal(toHex(b.root), toHex(a.root));
    assert.equal(local!.chain.getFinalizedCheckpoint().epoch, source.chain.getFinalizedCheckpoint().epoch);
  }

  it("syncs to the peers' head from several peers, batches spread over them, and reports syncing only while behind", async () => {
    const network = new FakeNetwork();
    network.addPeer("peer-a", source.chain);
    network.addPeer("peer-b", source.chain);
    network.addPeer("peer-c", source.chain);
    const s = await startLocal(network);
    assert.equal(s.isSyncing(), true);
    assert.equal(s.progress().targetSlot, source.chain.getHead().slot);
    source.time.advance(6000);
    assert.deepEqual(local!.chain.getSyncStatus(), {headSlot: 0, syncDistance: SOURCE_SLOTS + 1, isSyncing: true, isOptimistic: false, elOffline: false});
    await s.idle();
    const synced = local!.chain.getSyncStatus();
    assert.equal(synced.isSyncing, false);
    assert.equal(synced.headSlot, SOURCE_SLOTS);
    assertSameHead();
    assert.ok(source.chain.getFinalizedCheckpoint().epoch >= 2, "the source chain finalized");
    assert.equal(s.isSyncing(), false);
    assert.deepEqual(network.reports, []);
    const byPeer = new Map<string, number>();
    for (const r of network.requests) byPeer.set(r.peerId, (byPeer.get(r.peerId) ?? 0) + 1);
    assert.equal(byPeer.size, 3, `requests per peer: ${JSON.stringify([...byPeer])}`);
    assert.ok(s.progress().blocksPerSecond > 0);
  });

  it("is not syncing without peers, nor with peers no further than itself", async () => {
    const network = new FakeNetwork();
    const s = await startLocal(network);
    await s.idle();
    assert.equal(s.isSyncing(), false);
    network.addPeer("level", source.chain, {}, {head_slot: 2});
    await s.idle();
    assert.equal(s.isSyncing(), false);
    assert.equal(local!.chain.getSyncStatus().isSyncing, false);
    assert.deepEqual(network.requests, []);
  });

  it("reports a peer serving an invalid block as fatal and takes the batch from another peer", async () => {
    const network = new FakeNetwork();
    const s = await startLocal(network);
    network.addPeer("bad", source.chain, {invalidAtSlot: 3});
    network.addPeer("good", source.chain);
    await s.idle();
    assertSameHead();
    const fatal = network.reports.filter((r) => r.action === PeerAction.Fatal);
    assert.equal(fatal.length, 1, JSON.stringify(network.reports));
    assert.equal(fatal[0].peerId, "bad");
    assert.match(fatal[0].reason, /invalid block/);
  });

  it("finds a peer that withholds blocks (the next batch does not link) and reports it", async () => {
    const network = new FakeNetwork();
    const s = await startLocal(network);
    network.addPeer("withholder", source.chain, {withholdEvery: 8});
    network.addPeer("honest", source.chain);
    await s.idle();
    assertSameHead();
    const withheld = network.reports.filter((r) => /withheld/.test(r.reason));
    assert.ok(withheld.length >= 1, JSON.stringify(network.reports));
    assert.ok(withheld.every((r) => r.peerId === "withholder"));
    assert.ok(network.reports.every((r) => r.peerId === "withholder"));
  });

  it("retries the batches of a failing peer elsewhere and stops when no peer can serve", async () => {
    const network = new FakeNetwork();
    const s = await startLocal(network);
    network.addPeer("failing", source.chain, {failing: true});
    network.addPeer("ok", source.chain);
    await s.idle();
    assertSameHead();
    assert.ok(network.reports.length >= 1);
    assert.ok(network.reports.every((r) => r.peerId === "failing" && r.action === PeerAction.MidTolerance));
  });

  it("looks up a chain of unknown ancestors by root and imports it oldest first", async () => {
    const network = new FakeNetwork();
    const s = await startLocal(network);
    // Import the source's blocks up to 5 slots before its head directly.
    const head = source.chain.getHead();
    for (let slot = 1; slot <= head.slot - 5; slot++) {
      const b = await source.chain.getBlockById(slot);
      if (b !== null) await local!.chain.processBlock(b.signedBlock, "api");
    }
    // A peer whose status is no further than ours (no range sync), and a gossip block with an unknown parent.
    network.addPeer("p", source.chain, {}, {head_slot: local!.chain.getHead().slot});
    const headBlock = (await source.chain.getBlockById("head"))!.signedBlock;
    s.unknownBlocks.onUnknownParent(headBlock, "p");
    await s.unknownBlocks.idle();
    assertSameHead();
    assert.equal(s.unknownBlocks.stats.imported, 5);
    assert.equal(s.unknownBlocks.pendingCount, 0);
    assert.ok(network.requests.every((r) => r.kind === "root"));
    assert.deepEqual(network.reports, []);
  });

  it("looks up a block an attestation votes for, and reports a peer answering with another block", async () => {
    const network = new FakeNetwork();
    const s = await startLocal(network);
    const head = source.chain.getHead();
    for (let slot = 1; slot < head.slot; slot++) {
      const b = await source.chain.getBlockById(slot);
      if (b !== null) await local!.chain.processBlock(b.signedBlock, "api");
    }
    const genesisBlock = (await source.chain.getBlockById(1))!.signedBlock;
    network.addPeer("liar", source.chain, {wrongByRoot: genesisBlock}, {head_slot: 0});
    network.addPeer("honest", source.chain, {}, {head_slot: 0});
    s.unknownBlocks.onUnknownBlockRoot(head.root, "liar");
    await s.unknownBlocks.idle();
    assertSameHead();
    assert.equal(rootHex((await local!.chain.getBlockById("head"))!.signedBlock), toHex(head.root));
    assert.deepEqual(
      network.reports.map((r) => [r.peerId, r.action]),
      [["liar", PeerAction.LowTolerance]]
    );
  });

  it("hands a block too far ahead for a lookup to range sync, with its sender as the peer ahead", async () => {
    const network = new FakeNetwork();
    const s = await startLocal(network);
    // A stale status (from before the peer had synced): nothing to range sync from.
    network.addPeer("p", source.chain, {}, {head_slot: 0, head_root: local!.chain.getHead().root});
    await s.idle();
    assert.equal(local!.chain.getHead().slot, 0);
    const headBlock = (await source.chain.getBlockById("head"))!.signedBlock;
    s.unknownBlocks.onUnknownParent(headBlock, "p");
    await s.idle();
    await s.unknownBlocks.idle();
    await s.idle();
    assertSameHead();
    assert.ok(network.requests.some((r) => r.kind === "range"));
  });
});
