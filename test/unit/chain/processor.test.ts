import {strict as assert} from "node:assert";
import {pino} from "pino";
import {GossipAction, type GossipVerdict} from "../../../src/chain/gossip/interface.ts";
import {ChainProcessor, ProcessorError, ProcessorErrorCode} from "../../../src/chain/processor/processor.ts";
import {toHex} from "../../../src/util/bytes.ts";
import {advanceTo, buildBlock, buildGossipAttestations, InProcessValidators, openTestChain, runSlots, useDevNetwork, type TestChain} from "./helpers.ts";

describe("chain: processor", function () {
  this.timeout(120_000);

  it("runs one job at a time, blocks before the chain's work before gossip, each lane in arrival order", async () => {
    const p = new ChainProcessor();
    const order: string[] = [];
    const job = (name: string) => async () => {
      order.push(`${name}:start`);
      await new Promise((r) => setTimeout(r, 1));
      order.push(`${name}:end`);
    };
    const all = [
      p.run(job("att1"), "attestation"),
      p.run(job("att2"), "attestation"),
      p.run(job("op"), "operation"),
      p.run(job("chain"), "chain"),
      p.run(job("block"), "block"),
    ];
    await Promise.all(all);
    assert.deepEqual(order, [
      "block:start",
      "block:end",
      "chain:start",
      "chain:end",
      "att1:start",
      "att1:end",
      "att2:start",
      "att2:end",
      "op:start",
      "op:end",
    ]);
    const stats = p.stats();
    assert.equal(stats.attestation.processed, 2);
    assert.equal(stats.block.processed, 1);
  });

  it("refuses a job beyond a lane's bound and counts the drop; a failing job does not stop the next", async () => {
    const p = new ChainProcessor({attestation: 2});
    const results = await Promise.allSettled([
      p.run(async () => 1, "attestation"),
      p.run(async () => {
        throw new Error("boom");
      }, "attestation"),
      p.run(async () => 3, "attestation"),
    ]);
    assert.equal(results[0].status, "fulfilled");
    assert.equal(results[1].status, "rejected");
    assert.equal(results[2].status, "rejected");
    const full = (results[2] as PromiseRejectedResult).reason;
    assert.ok(full instanceof ProcessorError && full.code === ProcessorErrorCode.QUEUE_FULL);
    assert.deepEqual(p.stats().attestation, {queued: 0, dropped: 1, processed: 2});
    assert.equal(await p.run(async () => "after"), "after");
    await p.drain();
  });

  describe("on a chain", () => {
    let t: TestChain | undefined;
    before(() => useDevNetwork());
    afterEach(async () => {
      await t?.close();
      t = undefined;
    });

    it("imports a gossip block while a burst of gossip attestations is still being verified", async () => {
      t = await openTestChain({validators: 64});
      const v = new InProcessValidators(t.chain, 64);
      // Validators duties up to slot 2: the attesters of slot 3 have not attested yet this epoch.
      await runSlots(t, v, 2);
      await advanceTo(t, 4);
      const chain = t.chain;
      const now = chain.clock.nowMs();
      // Attestations of slot 3 with a signature that does not match: each costs a batch
      // verification and a verification of its own, the most expensive gossip there is.
      const honest = await buildGossipAttestations(chain, 3);
      const burst = Array.from({length: 1024}, (_, i) => {
        const {attestation, subnet} = honest[i % honest.length];
        return {attestation: {...attestation, signature: honest[(i + 1) % honest.length].attestation.signature}, subnet};
      });
      let attestationsDone = 0;
      const attestationVerdicts = burst.map((a) =>
        chain.gossip.onGossip({kind: "beacon_attestation", subnet: a.subnet, value: a.attestation}, now).then((x) => {
          attestationsDone++;
          return x;
        })
      );
      const block = buildBlock(chain, toHex(chain.getHead().root), 4);
      let doneAtBlock = -1;
      const blockVerdict = chain.gossip.onGossip({kind: "beacon_block", value: block}, now).then((x) => {
        doneAtBlock = attestationsDone;
        return x;
      });

      assert.deepEqual(await blockVerdict, {action: GossipAction.ACCEPT, reason: ""});
      assert.equal(chain.getHead().slot, 4);
      const verdicts: GossipVerdict[] = await Promise.all(attestationVerdicts);
      const kinds = new Set(verdicts.map((x) => `${x.action} ${x.reason}`));
      assert.deepEqual([...kinds], ["REJECT ATTESTATION_INVALID_SIGNATURE"]);
      // The block did not queue behind the burst: most of it was verified after the block's import.
      assert.ok(doneAtBlock < burst.length / 4, `${doneAtBlock} of ${burst.length} attestations were decided before the block`);
      const stats = chain.gossip.stats().beacon_attestation;
      assert.equal(stats.rejected, burst.length);
      assert.equal(stats.dropped, 0);
    });

    it("drops gossip attestations beyond the queue bound with IGNORE and counts them", async () => {
      const lines: string[] = [];
      const logger = pino({level: "warn"}, {write: (line: string) => void lines.push(line)});
      t = await openTestChain({validators: 64, logger, gossip: {attestationQueueCapacity: 8, attestationBatchSize: 4}});
      const chain = t.chain;
      const items = await buildGossipAttestations(chain, 0);
      const now = chain.clock.nowMs();
      // 40 arrive at once: 8 fit the queue, the other 32 are dropped before any is validated.
      const verdicts = await Promise.all(
        Array.from({length: 40}, (_, i) => {
          const {attestation, subnet} = items[i % items.length];
          return chain.gossip.onGossip({kind: "beacon_attestation", subnet, value: attestation}, now);
        })
      );
      const dropped = verdicts.filter((x) => x.action === GossipAction.IGNORE && x.reason === "QUEUE_FULL").length;
      assert.equal(dropped, 32);
      assert.equal(chain.gossip.stats().beacon_attestation.dropped, 32);
      assert.equal(chain.gossip.stats().beacon_attestation.processed, 8);
      chain.gossip.logDrops();
      chain.gossip.logDrops();
      const warnings = lines.map((l) => JSON.parse(l) as {msg: string; dropped: unknown}).filter((l) => l.msg.startsWith("gossip messages dropped"));
      assert.deepEqual(warnings.map((w) => w.dropped), [{beacon_attestation: 32}], "logged once, with the drops since the last report");
    });
  });
});
