/**
 * A whole node on virtual time: the real BeaconNode (chain, fork choice, REST API on a free
 * loopback port) and the real validator client talking REST to it, in one process on one
 * FakeTime. Virtual time moves timer by timer, and only once the work the last timer started
 * (duties, requests, imports) is done, so six epochs of slots pass in a few seconds of wall time
 * with no wall-clock sleep, and the chain finalizes.
 */
import {strict as assert} from "node:assert";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {FakeTime} from "../../../src/clock/index.ts";
import {BeaconNode} from "../../../src/node/index.ts";
import {config, useNetwork} from "../../../src/params/index.ts";
import {silentLogger} from "../../../src/util/logger.ts";
import {startValidatorClient, type ValidatorClient} from "../../../src/validator/index.ts";

const GENESIS_TIME = 1_700_000_000;
const VALIDATORS = 64;
const SLOTS_PER_EPOCH = 8; // minimal
const EPOCHS = 6;

describe("e2e: a node and its validator client on virtual time", function () {
  this.timeout(180_000);
  let dir: string;
  let node: BeaconNode | null = null;
  let vc: ValidatorClient | null = null;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "gnomon-virtual-"));
  });

  after(async () => {
    await vc?.stop();
    await node?.stop();
    rmSync(dir, {recursive: true, force: true});
    useNetwork("mainnet");
  });

  it(`finalizes within ${EPOCHS} epochs of virtual time, every slot with a block`, async () => {
    const time = new FakeTime(GENESIS_TIME * 1000 - 2000);
    node = await BeaconNode.start({
      dataDir: join(dir, "node"),
      network: {preset: "minimal", configOverrides: {}},
      defaultPreset: "minimal",
      genesis: {type: "interop", validators: VALIDATORS, genesisTime: GENESIS_TIME},
      rest: {address: "127.0.0.1", port: 0},
      logger: silentLogger,
      time,
      statusLine: false,
    });
    vc = await startValidatorClient({
      beaconUrl: node.restUrl!,
      interopIndices: Array.from({length: VALIDATORS}, (_, i) => i),
      dataDir: join(dir, "validator"),
      time,
    });
    const chain = node.chain;
    const client = vc;
    // Nothing left to do until a timer fires: no duty in flight, no job queued in the chain.
    const settle = async (): Promise<void> => {
      for (let round = 0; round < 2; round++) {
        await client.settled();
        await chain.processor.drain();
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    };

    const endMs = (GENESIS_TIME + EPOCHS * SLOTS_PER_EPOCH * config.SECONDS_PER_SLOT) * 1000;
    const virtualMs = endMs - time.now();
    const wallStart = performance.now();
    await time.runUntil(endMs, settle);
    const wallMs = performance.now() - wallStart;

    assert.equal(time.now(), endMs);
    assert.equal(chain.currentSlot(), EPOCHS * SLOTS_PER_EPOCH);
    const finalized = chain.getFinalizedCheckpoint().epoch;
    assert.ok(finalized >= EPOCHS - 3, `finalized epoch ${finalized} after ${EPOCHS} epochs`);
    const head = chain.getHead();
    assert.ok(head.slot >= EPOCHS * SLOTS_PER_EPOCH - 1, `head at slot ${head.slot}`);
    const counts = client.counts();
    // Slots 1..48: the end instant is slot 48's start, whose timers fire too.
    assert.equal(counts.blocksProposed, EPOCHS * SLOTS_PER_EPOCH, "a block at every slot after genesis");
    assert.equal(counts.blocksFailed + counts.attestationsFailed + counts.aggregatesFailed, 0);
    assert.ok(counts.attestationsPublished >= VALIDATORS * (EPOCHS - 1), `attestations ${counts.attestationsPublished}`);
    // Virtual time ran faster than wall time (a figure for the log, not a timed assertion).
    console.log(`      ${virtualMs / 1000} s of virtual time in ${(wallMs / 1000).toFixed(1)} s of wall time, finalized epoch ${finalized}, ${JSON.stringify(counts)}`);
  });
});
