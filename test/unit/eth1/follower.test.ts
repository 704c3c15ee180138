/**
 * The eth1 follower against a fake execution node: it follows blocks and deposit logs at the
 * follow distance with the contract's root, and every kind of bad answer (wrong chain id,
 * non-JSON, a skipped log index, a lying get_deposit_root, a reorg, an endpoint that is gone)
 * leaves it with no wrong deposit, a status that names the problem, and recovery once the
 * endpoint answers correctly. What it read survives a restart through the level database.
 */
import {strict as assert} from "node:assert";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {FakeTime} from "../../../src/clock/index.ts";
import {BeaconDb} from "../../../src/db/index.ts";
import {Eth1Follower, Eth1Provider, Eth1Store, JsonRpcClient} from "../../../src/eth1/index.ts";
import {DepositDataTree} from "../../../src/eth1/depositTree.ts";
import {createChainConfig, useNetwork} from "../../../src/params/index.ts";
import {fromHex} from "../../../src/util/bytes.ts";
import {CONTRACT, FakeExecution} from "./fakeExecution.ts";

const FOLLOW = 2;
const config = createChainConfig("minimal", {DEPOSIT_CHAIN_ID: "1337", ETH1_FOLLOW_DISTANCE: String(FOLLOW), SECONDS_PER_ETH1_BLOCK: "14", DEPOSIT_CONTRACT_ADDRESS: CONTRACT});

function follower(url: string, store: Eth1Store | null = null): Eth1Follower {
  const provider = new Eth1Provider(new JsonRpcClient(url, {timeoutMs: 2000}), fromHex(CONTRACT));
  return new Eth1Follower({config, provider, store, deployBlock: 0, logsBatch: 5, maxBackoffMs: 10});
}

/** Polls until caught up (or `max` steps). */
async function sync(f: Eth1Follower, max = 50): Promise<void> {
  for (let i = 0; i < max; i++) {
    await f.poll();
    if (f.getStatus().state === "synced") return;
  }
}

function referenceRoot(fake: FakeExecution, count: number): Uint8Array {
  const t = new DepositDataTree();
  for (const d of fake.deposits.slice(0, count)) t.push(d.data);
  return t.root();
}

/** Until the follower's step in progress is over and its next one is scheduled. */
async function nextScheduled(time: FakeTime): Promise<number> {
  while (time.pendingTimers === 0) await new Promise<void>((r) => setImmediate(r));
  return time.nextTimerAt()! - time.now();
}

describe("eth1 follower", function () {
  this.timeout(30_000);
  let fake: FakeExecution;

  before(() => useNetwork("minimal"));
  beforeEach(async () => {
    fake = new FakeExecution(1);
    fake.addBlocks(12, 2);
    await fake.start();
  });
  afterEach(() => fake.stop());

  it("follows deposits and blocks up to the follow distance, with the contract's root", async () => {
    const f = follower(fake.url);
    await sync(f);
    const status = f.getStatus();
    assert.equal(status.state, "synced");
    const last = fake.blocks.length - 1 - FOLLOW;
    assert.equal(status.blockNumber, last);
    const expected = fake.deposits.filter((d) => d.block <= last).length;
    assert.equal(f.tree.count, expected);
    const blocks = f.getBlocksByTimestamp(0, Number.MAX_SAFE_INTEGER);
    assert.equal(blocks.at(-1)!.eth1Data.deposit_count, expected);
    assert.deepEqual(blocks.at(-1)!.eth1Data.deposit_root, referenceRoot(fake, expected));
    // Each followed block carries the deposit count and root as of that block.
    const b5 = blocks.find((b) => b.timestamp === fake.blocks[5].timestamp)!;
    const at5 = fake.deposits.filter((d) => d.block <= 5).length;
    assert.equal(b5.eth1Data.deposit_count, at5);
    assert.deepEqual(b5.eth1Data.deposit_root, referenceRoot(fake, at5));
    // Deposits with proofs against an eth1_data it knows; none against a root it does not.
    const deposits = f.getDeposits(2, 5, b5.eth1Data)!;
    assert.equal(deposits.length, 3);
    assert.equal(f.getDeposits(0, 1, {...b5.eth1Data, deposit_root: new Uint8Array(32)}), null);
    assert.equal(f.getDeposits(0, 1, {...b5.eth1Data, deposit_count: expected + 1}), null);
  });

  it("refuses an endpoint of another chain", async () => {
    fake.chainId = 1;
    const f = follower(fake.url);
    await f.poll();
    assert.equal(f.getStatus().state, "error");
    assert.equal(f.getStatus().lastErrorCode, "ETH1_WRONG_CHAIN");
    assert.equal(f.tree.count, 0);
    assert.match(f.statusText(), /eth1 error \(ETH1_WRONG_CHAIN\)/);
  });

  it("survives non-JSON answers and a stopped endpoint, then recovers", async () => {
    const f = follower(fake.url);
    fake.notJson = true;
    const delay1 = await f.poll();
    const delay2 = await f.poll();
    assert.equal(f.getStatus().lastErrorCode, "ETH1_NOT_JSON");
    assert.equal(f.getStatus().consecutiveFailures, 2);
    assert.ok(delay2 >= delay1);
    fake.notJson = false;
    await fake.stop();
    await f.poll();
    assert.equal(f.getStatus().lastErrorCode, "ETH1_UNREACHABLE");
    // The same endpoint comes back, and the same follower catches up.
    await fake.start(Number(new URL(fake.url).port));
    await sync(f);
    assert.equal(f.getStatus().state, "synced");
    assert.equal(f.getStatus().consecutiveFailures, 0);
  });

  it("keeps nothing from logs with a gap in the deposit indices", async () => {
    fake.skipLogIndex = 3;
    const f = follower(fake.url);
    await f.poll();
    assert.equal(f.getStatus().lastErrorCode, "ETH1_DEPOSIT_GAP");
    assert.ok(f.tree.count <= 3);
    fake.skipLogIndex = null;
    await sync(f);
    assert.equal(f.getStatus().state, "synced");
    const n = f.tree.count;
    assert.deepEqual(f.tree.root(), referenceRoot(fake, n));
  });

  it("keeps nothing when the contract's root disagrees with the logs", async () => {
    fake.lieAboutRoot = true;
    const f = follower(fake.url);
    await f.poll();
    assert.equal(f.getStatus().lastErrorCode, "ETH1_ROOT_MISMATCH");
    assert.equal(f.tree.count, 0);
    assert.equal(f.getStatus().blockNumber, null);
  });

  it("rolls back a reorg and follows the new chain", async () => {
    const f = follower(fake.url);
    await sync(f);
    const before = f.tree.count;
    assert.ok(before > 8);
    fake.reorg(4);
    fake.addBlocks(3, 1);
    await f.poll(); // detects the reorg and rolls back
    assert.equal(f.getStatus().lastErrorCode, "ETH1_REORG");
    await sync(f);
    assert.equal(f.getStatus().state, "synced");
    const last = fake.blocks.length - 1 - FOLLOW;
    const expected = fake.deposits.filter((d) => d.block <= last).length;
    assert.equal(f.tree.count, expected);
    assert.deepEqual(f.tree.root(), referenceRoot(fake, expected));
    const tip = f.getBlocksByTimestamp(0, Number.MAX_SAFE_INTEGER).at(-1)!;
    assert.deepEqual(tip.eth1Data.block_hash, fake.blocks[last].hash);
  });

  it("notices, while caught up, that the endpoint now serves another history", async () => {
    const f = follower(fake.url);
    await sync(f);
    fake.reorg(1); // same length, every block but genesis replaced
    await f.poll();
    assert.equal(f.getStatus().lastErrorCode, "ETH1_REORG");
    await sync(f);
    const last = fake.blocks.length - 1 - FOLLOW;
    assert.deepEqual(f.getBlocksByTimestamp(0, Number.MAX_SAFE_INTEGER).at(-1)!.eth1Data.block_hash, fake.blocks[last].hash);
    assert.equal(f.tree.count, fake.deposits.filter((d) => d.block <= last).length);
  });

  it("stops at once while a request hangs", async function () {
    // The client would wait 60 s for this answer; the test's own timeout is far shorter.
    this.timeout(10_000);
    const provider = new Eth1Provider(new JsonRpcClient(fake.url, {timeoutMs: 60_000}), fromHex(CONTRACT));
    const f = new Eth1Follower({config, provider, deployBlock: 0});
    fake.delayMs = 60_000;
    f.start();
    while (fake.calls === 0 && f.getStatus().state === "starting") await new Promise((r) => setTimeout(r, 50));
    await f.stop();
    assert.equal(f.getStatus().state, "error");
    assert.match(f.getStatus().lastError!, /closed/);
  });

  it("resumes from the database after a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gnomon-eth1-store-"));
    try {
      let db = await BeaconDb.open(dir);
      const f = follower(fake.url, new Eth1Store(db));
      await sync(f);
      const count = f.tree.count;
      const root = f.tree.root();
      const block = f.getStatus().blockNumber;
      await db.close();

      db = await BeaconDb.open(dir);
      const calls = fake.calls;
      const f2 = follower(fake.url, new Eth1Store(db));
      await f2.load();
      assert.equal(fake.calls, calls, "loading reads only the database");
      assert.equal(f2.tree.count, count);
      assert.deepEqual(f2.tree.root(), root);
      assert.equal(f2.getStatus().blockNumber, block);
      fake.addBlocks(2, 1);
      await sync(f2);
      assert.equal(f2.tree.count, fake.deposits.filter((d) => d.block <= fake.blocks.length - 1 - FOLLOW).length);
      await db.close();
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });

  it("waits between steps on the node's time source: at once while behind, the interval once caught up, a backoff after failures", async () => {
    const time = new FakeTime(1_700_000_000_000);
    const provider = new Eth1Provider(new JsonRpcClient(fake.url, {timeoutMs: 2000}), fromHex(CONTRACT));
    const f = new Eth1Follower({config, provider, deployBlock: 0, logsBatch: 5, pollIntervalMs: 7000, maxBackoffMs: 60_000, time});
    f.start();
    try {
      assert.equal(await nextScheduled(time), 0, "the first step is due at once");
      const delays: number[] = [];
      while (f.getStatus().state !== "synced") {
        time.advanceTo(time.nextTimerAt()!);
        delays.push(await nextScheduled(time));
      }
      assert.ok(delays.length >= 3, `${delays.length} steps: the 11 blocks to follow take three batches of 5`);
      assert.deepEqual(delays.slice(0, -1), delays.slice(0, -1).map(() => 0), "no wait while behind");
      assert.equal(delays.at(-1), 7000, "caught up: the poll interval");

      const calls = fake.calls;
      time.advance(6999);
      for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
      assert.equal(fake.calls, calls, "no request before the interval has passed on the node's time");

      fake.notJson = true;
      const backoff: number[] = [];
      for (let i = 0; i < 3; i++) {
        time.advanceTo(time.nextTimerAt()!);
        backoff.push(await nextScheduled(time));
      }
      assert.deepEqual(backoff, [500, 1000, 2000]);
      assert.equal(f.getStatus().state, "error");
    } finally {
      await f.stop();
    }
    assert.equal(time.pendingTimers, 0, "stop clears the scheduled step");
  });
});
