/** A range worker for the tests: the squares of a chunk's indices; it crashes on the chunk starting at workerData.crashAt. */
import {serveRangeChunks} from "../../../../src/util/rangeWorkers.ts";

serveRangeChunks((chunk, data) => {
  if (chunk.start === (data as {crashAt: number}).crashAt) throw new Error("worker crash");
  const out: number[] = [];
  for (let i = chunk.start; i < chunk.end; i++) out.push(i * i);
  return out;
});
