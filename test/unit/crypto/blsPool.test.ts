import {strict as assert} from "node:assert";
import {
  aggregate,
  BlsWorkerPool,
  CryptoError,
  deserializePubkey,
  interopSecretKey,
  sign,
  type SignatureSet,
  skToPk,
  verifySignatureSets,
} from "../../../src/crypto/index.ts";
import {fromHex} from "../../../src/util/bytes.ts";

const KEYS = 12;
const sks = Array.from({length: KEYS}, (_, i) => interopSecretKey(i));
const pubkeys = sks.map((sk) => deserializePubkey(skToPk(sk)));

function root(tag: number): Uint8Array {
  return new Uint8Array(32).fill(tag & 0xff).fill(tag >> 8, 0, 1);
}

/** Set `tag`: a single or an aggregate set (1 to 3 keys), each with its own message. */
function makeSet(tag: number): SignatureSet {
  const msg = root(tag);
  if (tag % 3 === 0) return {type: "single", pubkey: pubkeys[tag % KEYS], signingRoot: msg, signature: sign(sks[tag % KEYS], msg)};
  const indices = [tag % KEYS, (tag + 5) % KEYS, (tag + 7) % KEYS].slice(0, 1 + (tag % 3));
  return {
    type: "aggregate",
    pubkeys: indices.map((i) => pubkeys[i]),
    signingRoot: msg,
    signature: aggregate(indices.map((i) => sign(sks[i], msg))),
  };
}

const VALID = Array.from({length: 40}, (_, i) => makeSet(i + 1));

function sets(): SignatureSet[] {
  return VALID.map((s) => ({...s}));
}

describe("crypto/blsPool", function () {
  this.timeout(60_000);
  // Jobs of 8 to 16 sets: the 40-set batch is cut into jobs spread over both workers.
  const pool = new BlsWorkerPool({workers: 2, minSetsForWorkers: 2, minSetsPerJob: 8, maxSetsPerJob: 16});
  before(() => pool.start());
  after(() => pool.close());

  it("accepts a valid batch split over the workers, as the one-thread batch does", async () => {
    assert.equal(verifySignatureSets(VALID), true);
    const before = pool.stats.workerJobs;
    assert.equal(await pool.verifySignatureSets(sets()), true);
    // 40 sets in jobs of at most 16: three jobs, all answered by the workers.
    assert.equal(pool.stats.workerJobs - before, 3);
    assert.equal(pool.stats.callerThreadBatches, 0);
    // Concurrent batches share the workers without mixing their jobs.
    const results = await Promise.all([pool.verifySignatureSets(sets()), pool.verifySignatureSets(sets().slice(3, 30))]);
    assert.deepEqual(results, [true, true]);
    assert.equal(pool.stats.recoveredJobs, 0);
  });

  it("treats an empty batch as valid and verifies small batches too", async () => {
    assert.equal(await pool.verifySignatureSets([]), true);
    const here = pool.stats.callerThreadBatches;
    assert.equal(await pool.verifySignatureSets(sets().slice(0, 1)), true);
    assert.equal(pool.stats.callerThreadBatches, here + 1, "a one-set batch stays on the calling thread");
    const wrong = sets().slice(0, 1);
    wrong[0].signingRoot = root(999);
    assert.equal(await pool.verifySignatureSets(wrong), false);
  });

  it("rejects the batch whichever job holds the wrong set", async () => {
    for (const bad of [0, 7, 15, 16, 23, 39]) {
      const batch = sets();
      batch[bad].signingRoot = root(1000 + bad);
      assert.equal(await pool.verifySignatureSets(batch), false, `bad set ${bad}`);
    }
  });

  it("rejects two signatures swapped between sets of different jobs (each job alone is wrong)", async () => {
    const batch = sets();
    const [a, b] = [2, 37];
    [batch[a].signature, batch[b].signature] = [batch[b].signature, batch[a].signature];
    assert.equal(verifySignatureSets(batch), false);
    assert.equal(await pool.verifySignatureSets(batch), false);
  });

  it("returns false, never rejects, for malformed signatures and empty aggregates", async () => {
    const good = VALID[0].signature;
    const infinity = fromHex("0xc0" + "00".repeat(95));
    const notOnCurve = new Uint8Array(96).fill(0xff);
    const zero = new Uint8Array(96);
    for (const [what, signature] of [
      ["short", good.subarray(0, 95)],
      ["empty", new Uint8Array(0)],
      ["infinity", infinity],
      ["not a point", notOnCurve],
      ["zero bytes", zero],
    ] as const) {
      for (const at of [0, 20, 39]) {
        const batch = sets();
        batch[at].signature = signature;
        assert.equal(await pool.verifySignatureSets(batch), false, `${what} signature at ${at}`);
      }
    }
    const batch = sets();
    batch[25] = {type: "aggregate", pubkeys: [], signingRoot: root(5), signature: good};
    assert.equal(await pool.verifySignatureSets(batch), false, "empty aggregate");
  });

  it("verifies sets whose message is not a 32-byte root where they are, with the same answer", async () => {
    const msg = new Uint8Array(33).fill(9);
    const odd: SignatureSet = {type: "single", pubkey: pubkeys[1], signingRoot: msg, signature: sign(sks[1], msg)};
    const batch = sets();
    batch.splice(10, 0, odd);
    assert.equal(await pool.verifySignatureSets(batch), true);
    batch[10] = {...odd, signature: sign(sks[2], msg)};
    assert.equal(await pool.verifySignatureSets(batch), false);
  });

  it("refuses invalid options with a typed error", () => {
    for (const opts of [{workers: 0}, {minSetsForWorkers: -1}, {maxSetsPerJob: 1.5}, {minSetsPerJob: Number.NaN}]) {
      assert.throws(
        () => new BlsWorkerPool(opts),
        (e) => e instanceof CryptoError && e.code === "BLS_INVALID_POOL_OPTION",
        JSON.stringify(opts)
      );
    }
  });

  it("answers batches in flight when closed, and later ones on the calling thread", async () => {
    const own = new BlsWorkerPool({workers: 2, minSetsForWorkers: 2, minSetsPerJob: 8});
    const bad = sets();
    bad[30].signingRoot = root(2000);
    const inFlight = [own.verifySignatureSets(sets()), own.verifySignatureSets(bad)];
    await own.close();
    assert.deepEqual(await Promise.all(inFlight), [true, false]);
    assert.ok(own.stats.recoveredJobs > 0);
    assert.equal(await own.verifySignatureSets(sets()), true);
    assert.equal(await own.verifySignatureSets(bad), false);
  });
});
