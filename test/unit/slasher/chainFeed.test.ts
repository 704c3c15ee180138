/**
 * The chain hands a slasher what it validated: a real chain on a temp database (fake clock,
 * in-process validators), a real slasher on the memory store. A valid second block for a slot
 * (a fork that need not win), a conflicting vote that the pool refuses, and nothing from honest
 * duties; the slashings found pass the chain's verification, reach the events and the next block.
 * Through gossip (chain.gossip): a second block for a slot and a second vote, both IGNOREd, reach
 * the slasher once their signatures verify; accepted aggregates reach it too.
 */
import {strict as assert} from "node:assert";
import {Slasher} from "../../../src/slasher/slasher.ts";
import {MemorySlasherStore} from "../../../src/slasher/store.ts";
import {BitArray} from "@chainsafe/ssz";
import {DOMAIN_BEACON_ATTESTER, SLOTS_PER_EPOCH} from "../../../src/params/index.ts";
import {computeDomain, computeEpochAtSlot, computeSigningRoot} from "../../../src/state-transition/index.ts";
import {interopSecretKey, sign} from "../../../src/crypto/index.ts";
import {ssz, type AttesterSlashing, type IndexedAttestation, type ProposerSlashing, type SignedBeaconBlockHeader} from "../../../src/types/index.ts";
import {GossipAction} from "../../../src/chain/gossip/interface.ts";
import {fromHex, toHex} from "../../../src/util/bytes.ts";
import {advanceTo, buildBlock, buildGossipAttestations, InProcessValidators, openTestChain, runSlots, useDevNetwork, type TestChain} from "../chain/helpers.ts";

describe("slasher: fed by the chain", function () {
  this.timeout(60_000);
  let t: TestChain;
  before(() => useDevNetwork(6));
  afterEach(async () => {
    await t?.close();
  });

  it("finds a competing block and a refused conflicting vote, and their slashings land in a block", async () => {
    t = await openTestChain({validators: 64});
    const slasher = await Slasher.open(new MemorySlasherStore(), {historyEpochs: 64});
    t.chain.slasherInput = {
      onValidatedAttestation: (a) => void slasher.onAttestation(a),
      onValidatedBlockHeader: (h) => void slasher.onBlockHeader(h),
    };
    const events: string[] = [];
    t.chain.events.on("proposer_slashing", () => events.push("proposer_slashing"));
    t.chain.events.on("attester_slashing", () => events.push("attester_slashing"));
    const v = new InProcessValidators(t.chain, 64);
    const epochNow = () => computeEpochAtSlot(t.chain.clock.currentSlot);

    await runSlots(t, v, SLOTS_PER_EPOCH + 2);
    const honest = await slasher.processBatch(epochNow());
    assert.equal(honest.detections.length, 0);
    assert.ok(honest.attestations > 0 && honest.headers === SLOTS_PER_EPOCH + 2);

    // A valid sibling of the head block by the same proposer, published through REST: refused as
    // a repeat proposal, its header still reaches the slasher; from sync it is imported as a fork.
    const head = t.chain.getHead();
    const headBlock = (await t.chain.getBlockById(head.root))!.signedBlock.message;
    const sibling = buildBlock(t.chain, toHex(headBlock.parent_root), head.slot, {body: {graffiti: new Uint8Array(32).fill(7)}});
    assert.equal(sibling.message.proposer_index, headBlock.proposer_index);
    await assert.rejects(t.chain.processBlock(sibling, "api"), {code: "BLOCK_REPEAT_PROPOSAL"});
    await t.chain.processBlock(sibling, "sync");
    assert.ok(t.chain.forkChoice.hasBlock(toHex(ssz.BeaconBlock.hashTreeRoot(sibling.message))));
    assert.equal(toHex(t.chain.getHead().root), toHex(head.root));

    // Validator k votes again for the head slot's epoch with other data: the pool refuses it.
    const epoch = computeEpochAtSlot(head.slot);
    const {duties} = await t.chain.getAttesterDuties(epoch, Array.from({length: 64}, (_, i) => i));
    const duty = duties.find((d) => d.slot < head.slot && d.slot > epoch * SLOTS_PER_EPOCH)!;
    const data = await t.chain.produceAttestationData(duty.slot, duty.committeeIndex);
    data.beacon_block_root = data.target.root;
    const domain = computeDomain(DOMAIN_BEACON_ATTESTER, t.chain.config.GENESIS_FORK_VERSION, t.chain.genesis.genesisValidatorsRoot);
    const signature = sign(interopSecretKey(duty.validatorIndex), computeSigningRoot(ssz.AttestationData, data, domain));
    const bits = BitArray.fromSingleBit(duty.committeeLength, duty.validatorCommitteeIndex);
    const failures = await t.chain.submitAttestations([{aggregation_bits: bits, data, signature}]);
    assert.equal(failures.length, 1);
    assert.match(failures[0].code, /PRIOR_ATTESTATION_KNOWN/);
    // The same vote signed by another key is no evidence.
    const forged = sign(interopSecretKey((duty.validatorIndex + 1) % 64), computeSigningRoot(ssz.AttestationData, data, domain));
    await t.chain.submitAttestations([{aggregation_bits: bits, data, signature: forged}]);

    const found = await slasher.processBatch(epochNow());
    assert.deepEqual(found.detections.map((d) => `${d.kind}:${d.validator}`).sort(), [
      `attester_double_vote:${duty.validatorIndex}`,
      `proposer_double_vote:${headBlock.proposer_index}`,
    ].sort());
    for (const s of found.proposerSlashings) await t.chain.submitProposerSlashing(s as ProposerSlashing);
    for (const s of found.attesterSlashings) await t.chain.submitAttesterSlashing(s as AttesterSlashing);
    assert.deepEqual(events.sort(), ["attester_slashing", "proposer_slashing"]);

    await advanceTo(t, head.slot + 1);
    await runSlots(t, v, head.slot + 2);
    const state = t.chain.getHead().state.state;
    const slashed = Array.from({length: 64}, (_, i) => i).filter((i) => state.validators.getReadonly(i).slashed);
    assert.deepEqual(slashed, [...new Set([duty.validatorIndex, headBlock.proposer_index])].sort((a, b) => a - b));
  });

  it("gossip: a repeated proposal and a conflicting vote, both IGNOREd, and accepted aggregates reach the slasher", async () => {
    t = await openTestChain({validators: 64});
    const chain = t.chain;
    const slasher = await Slasher.open(new MemorySlasherStore(), {historyEpochs: 64});
    const votes: IndexedAttestation[] = [];
    const headers: SignedBeaconBlockHeader[] = [];
    chain.slasherInput = {
      onValidatedAttestation: (a) => {
        votes.push(a);
        void slasher.onAttestation(a);
      },
      onValidatedBlockHeader: (h) => {
        headers.push(h);
        void slasher.onBlockHeader(h);
      },
    };
    const v = new InProcessValidators(chain, 64);
    await runSlots(t, v, 2);
    await advanceTo(t, 3);
    const now = () => chain.clock.nowMs();
    const parentHex = toHex(chain.getHead().root);

    const block3 = buildBlock(chain, parentHex, 3);
    assert.equal((await chain.gossip.onGossip({kind: "beacon_block", value: block3}, now())).action, GossipAction.ACCEPT);
    const headersBefore = headers.length;
    const second = buildBlock(chain, parentHex, 3, {body: {graffiti: new Uint8Array(32).fill(9)}});
    assert.deepEqual(await chain.gossip.onGossip({kind: "beacon_block", value: second}, now()), {action: GossipAction.IGNORE, reason: "BLOCK_REPEAT_PROPOSAL"});
    assert.equal(headers.length, headersBefore + 1);
    assert.equal(toHex(headers.at(-1)!.signature), toHex(second.signature));
    // Signed by nobody it names: no evidence.
    const third = buildBlock(chain, parentHex, 3, {body: {graffiti: new Uint8Array(32).fill(10)}});
    assert.equal((await chain.gossip.onGossip({kind: "beacon_block", value: {...third, signature: block3.signature}}, now())).action, GossipAction.IGNORE);
    assert.equal(headers.length, headersBefore + 1);

    await advanceTo(t, 3, 2000);
    const items = await buildGossipAttestations(chain, 3);
    const send = (attestation: (typeof items)[number]["attestation"], subnet: number) =>
      chain.gossip.onGossip({kind: "beacon_attestation", subnet, value: attestation}, now());
    for (const x of await Promise.all(items.map((i) => send(i.attestation, i.subnet)))) assert.equal(x.action, GossipAction.ACCEPT);

    // Validator k votes again at slot 3 for the parent block instead: IGNOREd, but evidence.
    const [first, other] = items;
    const data = {...first.attestation.data, beacon_block_root: fromHex(parentHex)};
    const committee = chain.getHead().state.epochCtx.getBeaconCommittee(3, data.index);
    const k = committee[first.attestation.aggregation_bits.getSingleTrueBit()!];
    const domain = computeDomain(DOMAIN_BEACON_ATTESTER, chain.config.GENESIS_FORK_VERSION, chain.genesis.genesisValidatorsRoot);
    const signingRoot = computeSigningRoot(ssz.AttestationData, data, domain);
    const votesBefore = votes.length;
    const conflicting = {...first.attestation, data, signature: sign(interopSecretKey(k), signingRoot)};
    assert.deepEqual(await send(conflicting, first.subnet), {action: GossipAction.IGNORE, reason: "ATTESTATION_PRIOR_ATTESTATION_KNOWN"});
    // Another validator's conflicting vote signed with k's key: IGNOREd, no evidence.
    const forged = {...other.attestation, data, signature: sign(interopSecretKey(k), signingRoot)};
    assert.equal((await send(forged, other.subnet)).action, GossipAction.IGNORE);
    assert.deepEqual(votes.slice(votesBefore).map((a) => a.attesting_indices), [[k]]);

    await advanceTo(t, 3, 4000);
    const aggregates = await v.buildAggregates(3);
    assert.ok(aggregates.length > 0);
    const votesBeforeAggregates = votes.length;
    const verdicts = [];
    for (const a of aggregates) verdicts.push(await chain.gossip.onGossip({kind: "beacon_aggregate_and_proof", value: a}, now()));
    // Aggregators of one committee publish the same aggregate: the first is taken, the others are known.
    const accepted = verdicts.filter((x) => x.action === GossipAction.ACCEPT).length;
    assert.ok(accepted > 0);
    for (const x of verdicts) if (x.action !== GossipAction.ACCEPT) assert.deepEqual(x, {action: GossipAction.IGNORE, reason: "ATTESTATION_AGGREGATE_ALREADY_KNOWN"});
    assert.equal(votes.length, votesBeforeAggregates + accepted);
    assert.ok(votes.slice(votesBeforeAggregates).every((a) => a.attesting_indices.length > 1));

    const found = await slasher.processBatch(computeEpochAtSlot(chain.clock.currentSlot));
    assert.deepEqual(found.detections.map((d) => `${d.kind}:${d.validator}`).sort(), [
      `attester_double_vote:${k}`,
      `proposer_double_vote:${block3.message.proposer_index}`,
    ].sort());
  });
});
