import {strict as assert} from "node:assert";
import {GossipAction} from "../../../src/chain/gossip/interface.ts";
import {ssz} from "../../../src/types/index.ts";
import {toHex} from "../../../src/util/bytes.ts";
import type {UnknownBlockRootEvent} from "../../../src/chain/interface.ts";
import {advanceTo, buildBlock, buildGossipAttestations, InProcessValidators, openTestChain, runSlots, useDevNetwork, type TestChain} from "./helpers.ts";

describe("chain: gossip sink", function () {
  this.timeout(60_000);
  let t: TestChain | undefined;
  before(() => useDevNetwork());
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it("accepts and imports a gossip block once, ignores its repeat, and holds a child of an unknown parent until the parent arrives", async () => {
    t = await openTestChain({validators: 64});
    const other = await openTestChain({validators: 64, time: t.time});
    try {
      const v = new InProcessValidators(t.chain, 64);
      await runSlots(t, v, 2);
      await advanceTo(t, 3);
      const chain = t.chain;
      const now = () => chain.clock.nowMs();
      const block3 = buildBlock(chain, toHex(chain.getHead().root), 3);
      assert.deepEqual(await chain.gossip.onGossip({kind: "beacon_block", value: block3}, now(), "peer-a"), {action: GossipAction.ACCEPT, reason: ""});
      assert.equal(chain.getHead().slot, 3);
      assert.deepEqual(await chain.gossip.onGossip({kind: "beacon_block", value: block3}, now()), {
        action: GossipAction.IGNORE,
        reason: "BLOCK_REPEAT_PROPOSAL",
      });

      // A second node on the same genesis gets block 4 (slots 1-2 empty there) only after its child.
      await advanceTo(t, 5);
      const genesisHex = toHex(other.chain.getHead().root);
      const block4 = buildBlock(other.chain, genesisHex, 4);
      const root4 = toHex(ssz.BeaconBlock.hashTreeRoot(block4.message));
      const unknown: UnknownBlockRootEvent[] = [];
      other.chain.events.on("unknown_block_root", (e) => unknown.push(e));
      // Build block 5 on a node that has block 4: the first chain, where block 4 forks off genesis.
      await chain.processBlock(block4, "sync");
      const block5 = buildBlock(chain, root4, 5);

      const verdict = await other.chain.gossip.onGossip({kind: "beacon_block", value: block5}, now(), "peer-b");
      assert.deepEqual(verdict, {action: GossipAction.IGNORE, reason: "BLOCK_PARENT_UNKNOWN"});
      assert.equal(unknown.length, 1);
      assert.equal(toHex(unknown[0].root), root4);
      assert.equal(unknown[0].peerId, "peer-b");
      assert.equal(other.chain.gossip.pendingBlocks.size, 1);

      // Sync brings the parent: the held child is validated and imported on its own.
      await other.chain.processBlock(block4, "sync");
      await other.chain.processor.drain();
      assert.equal(other.chain.getHead().slot, 5);
      assert.equal(other.chain.gossip.pendingBlocks.size, 0);
      const stats = other.chain.gossip.stats().beacon_block;
      assert.equal(stats.accepted, 1);
      assert.equal(stats.ignored, 1);
    } finally {
      await other.close();
    }
  });

  it("validates gossip attestations in batches: accepts each once, ignores repeats, rejects the wrong subnet and a bad signature", async () => {
    t = await openTestChain({validators: 64});
    const v = new InProcessValidators(t.chain, 64);
    await runSlots(t, v, 2);
    await advanceTo(t, 3);
    await v.propose(3);
    await advanceTo(t, 3, 2000);
    const chain = t.chain;
    const items = await buildGossipAttestations(chain, 3);
    assert.ok(items.length >= 8);
    const now = chain.clock.nowMs();
    const send = (i: {attestation: (typeof items)[number]["attestation"]; subnet: number}) =>
      chain.gossip.onGossip({kind: "beacon_attestation", subnet: i.subnet, value: i.attestation}, now);

    const [wrongSubnet, badSig, ...rest] = items;
    const spoiled = {...badSig.attestation, signature: rest[0].attestation.signature};
    const verdicts = await Promise.all([
      send({attestation: wrongSubnet.attestation, subnet: (wrongSubnet.subnet + 1) % 64}),
      send({attestation: spoiled, subnet: badSig.subnet}),
      ...rest.map(send),
    ]);
    assert.deepEqual(verdicts[0], {action: GossipAction.REJECT, reason: "ATTESTATION_WRONG_SUBNET"});
    assert.deepEqual(verdicts[1], {action: GossipAction.REJECT, reason: "ATTESTATION_INVALID_SIGNATURE"});
    for (const x of verdicts.slice(2)) assert.deepEqual(x, {action: GossipAction.ACCEPT, reason: ""});
    assert.equal(chain.getPoolAttestations({slot: 3}).reduce((n, a) => n + a.aggregation_bits.getTrueBitIndexes().length, 0), rest.length);

    assert.deepEqual(await send(rest[0]), {action: GossipAction.IGNORE, reason: "ATTESTATION_PRIOR_ATTESTATION_KNOWN"});
    const stats = chain.gossip.stats().beacon_attestation;
    assert.equal(stats.accepted, rest.length);
    assert.equal(stats.rejected, 2);
    assert.equal(stats.ignored, 1);
    assert.equal(stats.dropped, 0);
  });
});
