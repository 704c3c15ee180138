/**
 * Whole beacon nodes on the simulated network: two real BeaconNodes whose network is made by
 * `createNetwork`, each with a real validator client holding half of the validators and talking
 * REST to it, on one FakeTime. Partitioned for two epochs, neither half can finalize; after the
 * heal the statuses and lookups bring each node the other's blocks, both settle on one chain and
 * finalize it. A second run with the same seed gives the same trace, event for event.
 */
import {strict as assert} from "node:assert";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {useNetwork} from "../../../src/params/index.ts";
import {runSimNodes, type SimNodesOptions, type SimNodesRun} from "./simNodes.ts";

const EPOCHS = 7;
const PARTITION = {fromEpoch: 1, toEpoch: 3};

describe("e2e: beacon nodes and validator clients on the simulated network", function () {
  this.timeout(240_000);
  let dir: string;
  let first: SimNodesRun | undefined;
  const options = (sub: string): SimNodesOptions => ({
    dir: join(dir, sub),
    seed: "nodes",
    nodes: 2,
    validators: 64,
    epochs: EPOCHS,
    latencyMs: 120,
    jitterMs: 60,
    loss: 0.02,
    partition: PARTITION,
  });

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "gnomon-simnet-"));
  });

  after(() => {
    rmSync(dir, {recursive: true, force: true});
    useNetwork("mainnet");
  });

  it(`two halves partitioned for ${PARTITION.toEpoch - PARTITION.fromEpoch} epochs cannot finalize, then agree and finalize after the heal`, async () => {
    first = await runSimNodes(options("a"));
    assert.deepEqual(first.finalizedAtHeal, [0, 0], "half of the stake finalizes nothing");
    assert.equal(first.heads[0], first.heads[1], "one head after the heal");
    assert.equal(first.finalized[0], first.finalized[1]);
    assert.ok(first.finalized[0] >= EPOCHS - 3, `finalized epoch ${first.finalized[0]} at epoch ${EPOCHS}`);
    const kinds = new Set(first.events.map((e) => `${e.kind}:${e.msg ?? e.method ?? ""}`));
    for (const k of ["deliver:beacon_block", "deliver:beacon_attestation", "deliver:beacon_aggregate_and_proof", "drop:beacon_block", "status:"]) {
      assert.ok(kinds.has(k), `${k} in ${[...kinds].join(" ")}`);
    }
    assert.ok(first.events.some((e) => e.kind === "request" && e.error === undefined && (e.blocks as number) > 0), "the heal made a node fetch blocks");
    console.log(`      ${EPOCHS} epochs of 2 nodes x 32 validators in ${(first.wallMs / 1000).toFixed(1)} s of wall time, ${first.events.length} trace events`);
  });

  it("runs the same again with the same seed: the same trace hash and heads", async () => {
    assert.ok(first !== undefined, "the first run did not finish");
    const again = await runSimNodes(options("b"));
    assert.equal(again.traceHash, first.traceHash);
    assert.deepEqual(again.heads, first.heads);
  });
});
