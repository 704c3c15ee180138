/**
 * The eth1 follower waits between its steps on the node's TimeSource: caught up, it polls again
 * after the poll interval of that time; after failures it backs off exponentially on it; nothing
 * happens while that time stands still, however long the wall clock runs.
 */
import {strict as assert} from "node:assert";
import {FakeTime} from "../../../src/clock/index.ts";
import {Eth1Follower, Eth1Provider, JsonRpcClient} from "../../../src/eth1/index.ts";
import {useNetwork} from "../../../src/params/index.ts";
import {fromHex} from "../../../src/util/bytes.ts";
import {CONTRACT, FakeExecution} from "./fakeExecution.ts";

/** Until the follower's step in progress is over and its next one is scheduled. */
async function nextScheduled(time: FakeTime): Promise<number> {
  while (time.pendingTimers === 0) await new Promise<void>((r) => setImmediate(r));
  return time.nextTimerAt()! - time.now();
}

describe("eth1 follower: on the node's time source", function () {
  this.timeout(30_000);
  let fake: FakeExecution;

  before(() => useNetwork("minimal", {DEPOSIT_CHAIN_ID: "1337", ETH1_FOLLOW_DISTANCE: "2", SECONDS_PER_ETH1_BLOCK: "14", DEPOSIT_CONTRACT_ADDRESS: CONTRACT}));
  after(() => useNetwork("minimal"));
  beforeEach(async () => {
    fake = new FakeExecution(1);
    fake.addBlocks(12, 2);
    await fake.start();
  });
  afterEach(() => fake.stop());

  it("steps at once while behind, polls every interval once caught up, backs off after failures", async () => {
    const time = new FakeTime(1_700_000_000_000);
    const provider = new Eth1Provider(new JsonRpcClient(fake.url, {timeoutMs: 2000}), fromHex(CONTRACT));
    const f = new Eth1Follower({provider, deployBlock: 0, logsBatch: 5, pollIntervalMs: 7000, maxBackoffMs: 60_000, time});
    f.start();
    try {
      assert.equal(await nextScheduled(time), 0, "the first step is due at once");
      const delays: number[] = [];
      while (f.getStatus().state !== "synced") {
        time.advanceTo(time.nextTimerAt()!);
        delays.push(await nextScheduled(time));
      }
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
