import {strict as assert} from "node:assert";
import {GossipAction} from "../../../src/chain/gossip/interface.ts";
import {interopSecretKey, sign} from "../../../src/crypto/index.ts";
import {DOMAIN_BEACON_PROPOSER, DOMAIN_VOLUNTARY_EXIT} from "../../../src/params/index.ts";
import {computeDomain, computeSigningRoot} from "../../../src/state-transition/index.ts";
import {ssz} from "../../../src/types/index.ts";
import {toHex} from "../../../src/util/bytes.ts";
import type {UnknownBlockRootEvent} from "../../../src/chain/interface.ts";
import {advanceTo, buildBlock, buildGossipAttestations, InProcessValidators, openTestChain, runSlots, useDevNetwork, type TestChain} from "./helpers.ts";

/** Duties done up to slot 2, the block of slot 3 imported, the clock at slot 3's attestation point. */
async function atSlot3Attestation(t: TestChain): Promise<InProcessValidators> {
  const v = new InProcessValidators(t.chain, 64);
  await runSlots(t, v, 2);
  await advanceTo(t, 3);
  await v.propose(3);
  await advanceTo(t, 3, 2000);
  return v;
}

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
      const parentHex = toHex(chain.getHead().root);
      const block3 = buildBlock(chain, parentHex, 3);
      assert.deepEqual(await chain.gossip.onGossip({kind: "beacon_block", value: block3}, now(), "peer-a"), {action: GossipAction.ACCEPT, reason: ""});
      assert.equal(chain.getHead().slot, 3);
      assert.deepEqual(await chain.gossip.onGossip({kind: "beacon_block", value: block3}, now()), {
        action: GossipAction.IGNORE,
        reason: "BLOCK_ALREADY_KNOWN",
      });
      // Another block of the same proposer for the same slot: the first one with a valid signature wins.
      const equivocation = buildBlock(chain, parentHex, 3, {body: {graffiti: new Uint8Array(32).fill(5)}});
      assert.deepEqual(await chain.gossip.onGossip({kind: "beacon_block", value: equivocation}, now()), {
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
    const v = await atSlot3Attestation(t);
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

  it("validates gossip exits and slashings on the operation lane: rejects an invalid one, accepts once, ignores the repeat", async () => {
    t = await openTestChain({validators: 64});
    const chain = t.chain;
    const now = chain.clock.nowMs();
    const domain = (type: Uint8Array) => computeDomain(type, chain.config.GENESIS_FORK_VERSION, chain.genesis.genesisValidatorsRoot);

    // SHARD_COMMITTEE_PERIOD epochs have not passed since activation at genesis.
    const exitMessage = {epoch: 0, validator_index: 5};
    const exit = {message: exitMessage, signature: sign(interopSecretKey(5), computeSigningRoot(ssz.VoluntaryExit, exitMessage, domain(DOMAIN_VOLUNTARY_EXIT)))};
    const exitVerdict = await chain.gossip.onGossip({kind: "voluntary_exit", value: exit}, now);
    assert.deepEqual(exitVerdict, {action: GossipAction.REJECT, reason: "OPERATION_INVALID"});

    const header = (bodyByte: number) => {
      const message = {slot: 0, proposer_index: 7, parent_root: new Uint8Array(32), state_root: new Uint8Array(32), body_root: new Uint8Array(32).fill(bodyByte)};
      return {message, signature: sign(interopSecretKey(7), computeSigningRoot(ssz.BeaconBlockHeader, message, domain(DOMAIN_BEACON_PROPOSER)))};
    };
    const slashing = {signed_header_1: header(1), signed_header_2: header(2)};
    assert.deepEqual(await chain.gossip.onGossip({kind: "proposer_slashing", value: slashing}, now), {action: GossipAction.ACCEPT, reason: ""});
    assert.equal(chain.getPoolProposerSlashings().length, 1);
    assert.deepEqual(await chain.gossip.onGossip({kind: "proposer_slashing", value: slashing}, now), {
      action: GossipAction.IGNORE,
      reason: "OPERATION_ALREADY_KNOWN",
    });
    const forged = {signed_header_1: header(1), signed_header_2: {...header(3), signature: header(4).signature}};
    const other = {...forged, signed_header_1: {...forged.signed_header_1, message: {...forged.signed_header_1.message, proposer_index: 8}}};
    other.signed_header_2 = {...other.signed_header_2, message: {...other.signed_header_2.message, proposer_index: 8}};
    assert.deepEqual(await chain.gossip.onGossip({kind: "proposer_slashing", value: other}, now), {action: GossipAction.REJECT, reason: "OPERATION_INVALID"});
    assert.equal(chain.processor.stats().operation.processed, 4);
  });

  it("validates gossip aggregates: accepts each aggregator once, ignores a covered aggregate and a repeat aggregator, rejects a bad selection proof", async () => {
    t = await openTestChain({validators: 64});
    const v = await atSlot3Attestation(t);
    await v.attest(3);
    await advanceTo(t, 3, 4000);
    const chain = t.chain;
    const aggregates = await v.buildAggregates(3);
    assert.ok(aggregates.length >= 2, `${aggregates.length} aggregators`);
    const now = chain.clock.nowMs();
    const send = (value: (typeof aggregates)[number]) => chain.gossip.onGossip({kind: "beacon_aggregate_and_proof", value}, now);

    const [first, ...others] = aggregates;
    const badProof = {...first, message: {...first.message, selection_proof: others[0].message.selection_proof}};
    const verdict = await send(badProof);
    // Another validator's selection proof either does not select this one or does not verify.
    assert.equal(verdict.action, GossipAction.REJECT);
    assert.ok(["ATTESTATION_INVALID_AGGREGATOR", "ATTESTATION_INVALID_SELECTION_PROOF"].includes(verdict.reason), verdict.reason);

    assert.deepEqual(await send(first), {action: GossipAction.ACCEPT, reason: ""});
    assert.deepEqual(await send(first), {action: GossipAction.IGNORE, reason: "ATTESTATION_AGGREGATE_ALREADY_KNOWN"});
    // The same committee's aggregate from another aggregator has the same bits: covered, ignored.
    const sameCommittee = others.find((o) => o.message.aggregate.data.index === first.message.aggregate.data.index);
    if (sameCommittee !== undefined) {
      assert.deepEqual(await send(sameCommittee), {action: GossipAction.IGNORE, reason: "ATTESTATION_AGGREGATE_ALREADY_KNOWN"});
    }
    const stats = chain.gossip.stats().beacon_aggregate_and_proof;
    assert.equal(stats.accepted, 1);
    assert.equal(stats.rejected, 1);
  });
});
