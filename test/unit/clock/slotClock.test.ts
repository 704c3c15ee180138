import {strict as assert} from "node:assert";
import {SlotClock, FakeTime} from "../../../src/clock/index.ts";

function makeClock(startMs: number) {
  const time = new FakeTime(startMs);
  const clock = new SlotClock({
    genesisTime: 1000,
    slotDurationMs: 6000,
    slotsPerEpoch: 8,
    attestationDueBps: 3333,
    aggregateDueBps: 6667,
    time,
  });
  const events: string[] = [];
  clock.on("slot", (s) => events.push(`slot ${s}`));
  clock.on("epoch", (e) => events.push(`epoch ${e}`));
  clock.on("attestation", (s) => events.push(`att ${s}@${time.now() - clock.slotStartMs(s)}`));
  clock.on("aggregate", (s) => events.push(`agg ${s}@${time.now() - clock.slotStartMs(s)}`));
  return {time, clock, events};
}

describe("SlotClock", () => {
  it("maps wall time to slots and epochs", () => {
    const {clock} = makeClock(1000_000 + 6000 * 17 + 10);
    assert.equal(clock.currentSlot, 17);
    assert.equal(clock.currentEpoch, 2);
    assert.equal(clock.msIntoSlot(), 10);
    assert.equal(clock.isBeforeGenesis(), false);
    const early = makeClock(999_000);
    assert.equal(early.clock.currentSlot, 0);
    assert.equal(early.clock.isBeforeGenesis(), true);
  });

  it("fires slot start, attestation at 1/3 and aggregate at 2/3, epochs on boundaries", () => {
    const {time, clock, events} = makeClock(1000_000 + 6000 * 7 + 100);
    clock.start();
    time.advance(0);
    time.advance(6000 * 2);
    clock.stop();
    assert.deepEqual(events, [
      "slot 7",
      "att 7@1999",
      "agg 7@4000",
      "slot 8",
      "epoch 1",
      "att 8@1999",
      "agg 8@4000",
      "slot 9",
    ]);
  });

  it("before genesis, waits for slot 0", () => {
    const {time, clock, events} = makeClock(1000_000 - 2500);
    clock.start();
    time.advance(2000);
    assert.deepEqual(events, []);
    time.advance(600);
    assert.deepEqual(events, ["slot 0", "epoch 0"]);
    clock.stop();
  });

  it("after a stall, fires every missed slot start but no stale duty points", () => {
    const {time, clock, events} = makeClock(1000_000 + 10);
    clock.start();
    time.advance(0);
    events.length = 0;
    // Simulate a blocked event loop: the clock jumps 3 slots before any timer runs.
    (time as unknown as {t: number}).t += 6000 * 3;
    time.advance(0);
    clock.stop();
    assert.deepEqual(events, ["slot 1", "slot 2", "slot 3"]);
  });

  it("waitForSlot resolves at the slot start", async () => {
    const {time, clock} = makeClock(1000_000);
    let done = false;
    const p = clock.waitForSlot(2).then(() => (done = true));
    time.advance(11_999);
    await Promise.resolve();
    assert.equal(done, false);
    time.advance(1);
    await p;
    assert.equal(done, true);
  });
});
