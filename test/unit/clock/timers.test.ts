import {strict as assert} from "node:assert";
import {every, FakeTime, sleep, timeoutSignal} from "../../../src/clock/index.ts";

describe("clock: FakeTime and the timers over a TimeSource", () => {
  it("advance fires due timers in time order, those of one instant in the order they were set", () => {
    const time = new FakeTime(1000);
    const fired: string[] = [];
    time.setTimeout(() => fired.push(`c@${time.now()}`), 30);
    time.setTimeout(() => fired.push(`a@${time.now()}`), 10);
    time.setTimeout(() => fired.push(`b1@${time.now()}`), 20);
    time.setTimeout(() => fired.push(`b2@${time.now()}`), 20);
    const cleared = time.setTimeout(() => fired.push("cleared"), 5);
    time.clearTimeout(cleared);
    // A timer set by a firing timer, due within the advance, fires in the same advance.
    time.setTimeout(() => time.setTimeout(() => fired.push(`nested@${time.now()}`), 5), 15);
    time.advance(25);
    assert.deepEqual(fired, ["a@1010", "b1@1020", "b2@1020", "nested@1020"]);
    assert.equal(time.now(), 1025);
    assert.equal(time.nextTimerAt(), 1030);
    assert.equal(time.pendingTimers, 1);
    time.advanceTo(1030);
    assert.deepEqual(fired.slice(4), ["c@1030"]);
    assert.equal(time.nextTimerAt(), null);
  });

  it("runUntil awaits the settle hook before each timer, so async work a timer starts ends before time moves", async () => {
    const time = new FakeTime(0);
    const log: string[] = [];
    let work: Promise<void> = Promise.resolve();
    const tick = (name: string) => () => {
      log.push(`${name} fired @${time.now()}`);
      work = (async () => {
        for (let i = 0; i < 3; i++) await new Promise<void>((r) => setImmediate(r));
        log.push(`${name} done @${time.now()}`);
      })();
    };
    time.setTimeout(tick("a"), 100);
    time.setTimeout(tick("b"), 200);
    time.setTimeout(tick("late"), 1000);
    let settles = 0;
    await time.runUntil(500, async () => {
      settles++;
      await work;
    });
    assert.deepEqual(log, ["a fired @100", "a done @100", "b fired @200", "b done @200"]);
    assert.equal(time.now(), 500);
    assert.equal(settles, 3);
    assert.equal(time.pendingTimers, 1);
  });

  it("sleep resolves after its time, or at once on abort; timeoutSignal aborts with a TimeoutError unless cancelled", async () => {
    const time = new FakeTime(0);
    let slept = false;
    const s = sleep(time, 50).then(() => (slept = true));
    time.advance(49);
    await Promise.resolve();
    assert.equal(slept, false);
    time.advance(1);
    await s;
    assert.equal(slept, true);

    const abort = new AbortController();
    const early = sleep(time, 10_000, abort.signal);
    abort.abort();
    await early;
    assert.equal(time.pendingTimers, 0, "an aborted sleep leaves no timer behind");
    await sleep(time, 10, abort.signal); // already aborted: resolves at once

    const t = timeoutSignal(time, 100);
    time.advance(99);
    assert.equal(t.signal.aborted, false);
    time.advance(1);
    assert.equal(t.signal.aborted, true);
    assert.equal((t.signal.reason as DOMException).name, "TimeoutError");
    const cancelled = timeoutSignal(time, 100);
    cancelled.cancel();
    time.advance(1000);
    assert.equal(cancelled.signal.aborted, false);
    assert.equal(time.pendingTimers, 0);
  });

  it("every repeats at its period until stopped", () => {
    const time = new FakeTime(0);
    const at: number[] = [];
    const stop = every(time, 30, () => at.push(time.now()));
    time.advance(100);
    assert.deepEqual(at, [30, 60, 90]);
    stop();
    time.advance(100);
    assert.deepEqual(at, [30, 60, 90]);
    assert.equal(time.pendingTimers, 0);
  });
});
