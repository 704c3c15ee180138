import {strict as assert} from "node:assert";
import {EpochCache} from "../../../../src/validator/services/epochCache.ts";

function deferred<T>(): {promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void} {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return {promise, resolve, reject};
}

describe("validator / services: per-epoch duty cache", () => {
  it("fetches an epoch once, however many ask", async () => {
    const asked: number[] = [];
    const cache = new EpochCache(async (epoch) => (asked.push(epoch), {dependentRoot: new Uint8Array(32), value: `duties ${epoch}`}));
    assert.deepEqual(await Promise.all([cache.get(3), cache.get(3), cache.get(4)]), ["duties 3", "duties 3", "duties 4"]);
    assert.equal(await cache.get(3), "duties 3");
    assert.deepEqual(asked, [3, 4]);
  });

  it("keeps the newest answer when a re-fetch overtakes a fetch still in flight", async () => {
    const pending = [deferred<{dependentRoot: Uint8Array; value: string}>(), deferred<{dependentRoot: Uint8Array; value: string}>()];
    let n = 0;
    const cache = new EpochCache(() => pending[n++].promise);
    const first = cache.get(1);
    const second = cache.invalidate(1);
    pending[1].resolve({dependentRoot: new Uint8Array(32).fill(2), value: "new"});
    assert.equal(await second, "new");
    pending[0].resolve({dependentRoot: new Uint8Array(32).fill(1), value: "old"});
    assert.equal(await first, "new", "a caller of the superseded fetch gets the newer answer");
    assert.equal(cache.peek(1)!.value, "new");
    assert.equal(cache.peek(1)!.dependentRoot![0], 2);
  });

  it("forgets a failed fetch so the next caller tries again, and prunes old epochs", async () => {
    let fail = true;
    const cache = new EpochCache(async (epoch) => {
      if (fail) throw new Error("node down");
      return {dependentRoot: null, value: epoch};
    });
    await assert.rejects(cache.get(5), /node down/);
    assert.equal(cache.has(5), false);
    fail = false;
    assert.equal(await cache.get(5), 5);
    await cache.get(6);
    await cache.get(7);
    cache.prune(6);
    assert.deepEqual(cache.epochs(), [6, 7]);
  });
});
