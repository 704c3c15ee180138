/**
 * The slasher service as a node runs it: on its own thread and level database in a temp dir,
 * a batch per slot hook, slashings handed to the sink; a thread stopped without a checkpoint
 * (as by kill -9) loses no input, and slashings found before a restart are handed over again.
 */
import {strict as assert} from "node:assert";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {SLOTS_PER_EPOCH} from "../../../src/params/index.ts";
import {SlasherService, type SlashingSink} from "../../../src/slasher/index.ts";
import type {AttesterSlashing, ProposerSlashing} from "../../../src/types/index.ts";
import {silentLogger} from "../../../src/util/logger.ts";
import {att, header} from "./helpers.ts";

class RecordingSink implements SlashingSink {
  attester: AttesterSlashing[] = [];
  proposer: ProposerSlashing[] = [];
  async submitAttesterSlashing(s: AttesterSlashing): Promise<void> {
    this.attester.push(s);
  }
  async submitProposerSlashing(s: ProposerSlashing): Promise<void> {
    this.proposer.push(s);
  }
}

/** Runs the slot hook and waits until the batch it started is over. */
async function slot(service: SlasherService, n: number): Promise<void> {
  service.onSlot(n);
  await (service as unknown as {running: Promise<void> | null}).running;
}

describe("slasher: service on its own thread", function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "gnomon-slasher-service-"));
  });
  afterEach(() => rmSync(dir, {recursive: true, force: true}));

  const start = (sink: SlashingSink) =>
    SlasherService.start({dir, historyEpochs: 64, sink, logger: silentLogger, thread: {preset: "mainnet", configOverrides: {}}});

  it("hands the slashings of a batch to the sink, and again after a restart", async () => {
    const sink = new RecordingSink();
    const service = await start(sink);
    service.onValidatedAttestation(att([1, 2], 3, 4, 1));
    service.onValidatedBlockHeader(header(5 * SLOTS_PER_EPOCH, 7, 1));
    await slot(service, 5 * SLOTS_PER_EPOCH);
    assert.equal(sink.attester.length + sink.proposer.length, 0);
    service.onValidatedAttestation(att([2], 3, 4, 2));
    service.onValidatedBlockHeader(header(5 * SLOTS_PER_EPOCH, 7, 2));
    await slot(service, 5 * SLOTS_PER_EPOCH + 1);
    assert.equal(sink.attester.length, 1);
    assert.deepEqual(sink.attester[0].attestation_2.attesting_indices, [2]);
    assert.equal(sink.proposer.length, 1);
    await service.stop();

    const again = new RecordingSink();
    const restarted = await start(again);
    assert.equal(again.attester.length, 1);
    assert.equal(again.proposer.length, 1);
    await restarted.stop();
  });

  it("loses no input when the thread ends without a checkpoint", async () => {
    const service = await start(new RecordingSink());
    service.onValidatedAttestation(att([9], 10, 11, 1));
    await slot(service, 11 * SLOTS_PER_EPOCH);
    // No close: the thread is terminated as a kill -9 would end it.
    await (service.slasher as unknown as {worker: {terminate(): Promise<number>}}).worker.terminate();

    const sink = new RecordingSink();
    const revived = await start(sink);
    revived.onValidatedAttestation(att([9], 10, 11, 2));
    await slot(revived, 11 * SLOTS_PER_EPOCH + 1);
    assert.equal(sink.attester.length, 1);
    assert.deepEqual(sink.attester[0].attestation_1.signature, att([9], 10, 11, 1).signature);
    await revived.stop();
  });
});
