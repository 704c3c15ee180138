/**
 * A whole node on virtual time: the real BeaconNode (chain, fork choice, REST API on a free
 * loopback port) and the real validator client talking REST to it, in one process on one
 * FakeTime. Virtual time moves timer by timer, and only once the work the last timer started
 * (duties, requests, imports) is done, so six epochs of slots pass in a few seconds of wall time
 * with no wall-clock sleep, and the chain finalizes. A second run from the same genesis ends on
 * the same head and finalized checkpoint: the run does not depend on how fast the machine is.
 */
import {strict as assert} from "node:assert";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {FakeTime} from "../../../src/clock/index.ts";
import {BeaconNode} from "../../../src/node/index.ts";
import {useNetwork} from "../../../src/params/index.ts";
import {toHex} from "../../../src/util/bytes.ts";
import {silentLogger} from "../../../src/util/logger.ts";
import {startValidatorClient, type DutyCounts, type ValidatorClient} from "../../../src/validator/index.ts";

const GENESIS_TIME = 1_700_000_000;
const VALIDATORS = 64;
const SLOTS_PER_EPOCH = 8; // minimal
const EPOCHS = 6;

interface Run {
  slot: number;
  headSlot: number;
  headRoot: string;
  finalized: {epoch: number; root: string};
  counts: DutyCounts;
  virtualMs: number;
  wallMs: number;
}

/** A new node and client on a FakeTime just before genesis, run to the start of epoch EPOCHS. */
async function runOnVirtualTime(dir: string): Promise<Run> {
  const time = new FakeTime(GENESIS_TIME * 1000 - 2000);
  let node: BeaconNode | null = null;
  let vc: ValidatorClient | null = null;
  try {
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
    const {chain} = node;
    const client = vc;
    // Nothing left to do until a timer fires: no duty in flight, no job queued in the chain.
    const settle = async (): Promise<void> => {
      for (let round = 0; round < 2; round++) {
        await client.settled();
        await chain.processor.drain();
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    };
    const endMs = (GENESIS_TIME + EPOCHS * SLOTS_PER_EPOCH * chain.config.SECONDS_PER_SLOT) * 1000;
    const virtualMs = endMs - time.now();
    const wallStart = performance.now();
    await time.runUntil(endMs, settle);
    const wallMs = performance.now() - wallStart;
    assert.equal(time.now(), endMs);
    const head = chain.getHead();
    const finalized = chain.getFinalizedCheckpoint();
    return {
      slot: chain.currentSlot(),
      headSlot: head.slot,
      headRoot: toHex(head.root),
      finalized: {epoch: finalized.epoch, root: toHex(finalized.root)},
      counts: client.counts(),
      virtualMs,
      wallMs,
    };
  } finally {
    await vc?.stop();
    await node?.stop();
  }
}

describe("e2e: a node and its validator client on virtual time", function () {
  this.timeout(180_000);
  let dir: string;
  let first: Run;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "gnomon-virtual-"));
  });

  after(() => {
    rmSync(dir, {recursive: true, force: true});
    useNetwork("mainnet");
  });

  it(`finalizes within ${EPOCHS} epochs of virtual time, every slot with a block`, async () => {
    first = await runOnVirtualTime(join(dir, "a"));
    assert.equal(first.slot, EPOCHS * SLOTS_PER_EPOCH);
    assert.equal(first.headSlot, EPOCHS * SLOTS_PER_EPOCH);
    assert.ok(first.finalized.epoch >= EPOCHS - 3, `finalized epoch ${first.finalized.epoch} after ${EPOCHS} epochs`);
    const c = first.counts;
    // Slots 1..48: the end instant is slot 48's start, whose timers fire too.
    assert.equal(c.blocksProposed, EPOCHS * SLOTS_PER_EPOCH, "a block at every slot after genesis");
    assert.equal(c.blocksFailed + c.attestationsFailed + c.aggregatesFailed + c.refusedBySlashingProtection, 0);
    assert.ok(c.attestationsPublished >= VALIDATORS * EPOCHS, `attestations ${c.attestationsPublished}`);
    // A figure for the log, not a timed assertion.
    console.log(`      ${first.virtualMs / 1000} s of virtual time in ${(first.wallMs / 1000).toFixed(1)} s of wall time, finalized epoch ${first.finalized.epoch}`);
  });

  it("runs the same again: the same head and finalized checkpoint, block for block", async () => {
    assert.ok(first !== undefined, "the first run did not finish");
    const again = await runOnVirtualTime(join(dir, "b"));
    assert.deepEqual({...again, wallMs: 0}, {...first, wallMs: 0});
  });
});
