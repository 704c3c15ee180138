import {strict as assert} from "node:assert";
import {runRangeOnWorkers, type RangeChunk} from "../../../src/util/rangeWorkers.ts";

const WORKER = new URL("./helpers/squaresWorker.ts", import.meta.url);

async function squares(opts: {threads: number; crashAt?: number; onResult?: () => void}): Promise<{out: number[]; here: RangeChunk[]; seen: number[]}> {
  const out = new Array<number>(100).fill(-1);
  const here: RangeChunk[] = [];
  const seen: number[] = [];
  await runRangeOnWorkers<number[]>({
    worker: WORKER,
    workerData: {crashAt: opts.crashAt ?? -1},
    threads: opts.threads,
    start: 0,
    end: 100,
    chunkSize: 16,
    onResult(chunk, result) {
      opts.onResult?.();
      seen.push(chunk.start);
      result.forEach((v, j) => (out[chunk.start + j] = v));
    },
    runHere(chunk) {
      here.push(chunk);
      return Array.from({length: chunk.end - chunk.start}, (_, j) => (chunk.start + j) ** 2);
    },
  });
  return {out, here, seen};
}

describe("util: range work on worker threads", function () {
  this.timeout(30_000);
  const expected = Array.from({length: 100}, (_, i) => i * i);

  it("does every chunk once on the workers", async () => {
    const {out, here, seen} = await squares({threads: 2});
    assert.deepEqual(out, expected);
    assert.deepEqual(here, []);
    assert.deepEqual([...seen].sort((a, b) => a - b), [0, 16, 32, 48, 64, 80, 96]);
  });

  it("hands a crashed worker's chunk to another worker", async () => {
    const {out, seen} = await squares({threads: 2, crashAt: 32});
    assert.deepEqual(out, expected);
    assert.equal(seen.length, 7, "each chunk's result taken once");
  });

  it("runs what is left on the calling thread when no worker is left", async () => {
    const {out, here, seen} = await squares({threads: 1, crashAt: 32});
    assert.deepEqual(out, expected);
    assert.ok(here.some((c) => c.start === 32), "the crashed chunk was done here");
    assert.equal(seen.length, 7);
  });

  it("rejects with the error of a result the caller refuses, and stops", async () => {
    let calls = 0;
    await assert.rejects(
      squares({
        threads: 2,
        onResult: () => {
          if (++calls === 2) throw new Error("refused");
        },
      }),
      /refused/
    );
  });
});
