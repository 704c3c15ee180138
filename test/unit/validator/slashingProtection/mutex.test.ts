import {strict as assert} from "node:assert";
import {KeyedMutex} from "../../../../src/validator/slashingProtection/mutex.ts";

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("slashingProtection / KeyedMutex", () => {
  it("runs holders of the same key one after another, in arrival order", async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const job = (name: string) => async () => {
      log.push(`${name} start`);
      await tick();
      await tick();
      log.push(`${name} end`);
    };
    await Promise.all([mutex.runExclusive(["a"], job("1")), mutex.runExclusive(["a"], job("2")), mutex.runExclusive(["a"], job("3"))]);
    assert.deepEqual(log, ["1 start", "1 end", "2 start", "2 end", "3 start", "3 end"]);
  });

  it("lets different keys overlap", async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const job = (name: string) => async () => {
      log.push(`${name} start`);
      await tick();
      log.push(`${name} end`);
    };
    await Promise.all([mutex.runExclusive(["a"], job("a")), mutex.runExclusive(["b"], job("b"))]);
    assert.deepEqual(log, ["a start", "b start", "a end", "b end"]);
  });

  it("does not deadlock when holders take overlapping key sets in different orders", async () => {
    const mutex = new KeyedMutex();
    let inside = 0;
    let maxInside = 0;
    const job = async (): Promise<void> => {
      inside++;
      maxInside = Math.max(maxInside, inside);
      await tick();
      inside--;
    };
    await Promise.all([
      mutex.runExclusive(["a", "b", "c"], job),
      mutex.runExclusive(["c", "a"], job),
      mutex.runExclusive(["b", "c"], job),
      mutex.runExclusive(["c"], job),
    ]);
    assert.equal(maxInside, 1);
  });

  it("releases the key when the holder throws", async () => {
    const mutex = new KeyedMutex();
    await assert.rejects(mutex.runExclusive(["a"], async () => {
      throw new Error("boom");
    }), /boom/);
    assert.equal(await mutex.runExclusive(["a"], async () => 42), 42);
  });
});
