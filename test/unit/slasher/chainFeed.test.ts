/**
 * The chain hands a slasher what it validated: a real chain on a temp database (fake clock,
 * in-process validators), a real slasher on the memory store. A valid second block for a slot
 * (a fork that need not win), a conflicting vote that the pool refuses, and nothing from honest
 * duties; the slashings found pass the chain's verification, reach the events and the next block.
 */
import {strict as assert} from "node:assert";
import {Slasher} from "../../../src/slasher/slasher.ts";
import {MemorySlasherStore} from "../../../src/slasher/store.ts";
import {BitArray} from "@chainsafe/ssz";
import {config, DOMAIN_BEACON_ATTESTER, SLOTS_PER_EPOCH} from "../../../src/params/index.ts";
import {computeDomain, computeEpochAtSlot, computeSigningRoot} from "../../../src/state-transition/index.ts";
import {interopSecretKey, sign} from "../../../src/crypto/index.ts";
import {ssz, type AttesterSlashing, type ProposerSlashing} from "../../../src/types/index.ts";
import {toHex} from "../../../src/util/bytes.ts";
import {advanceTo, buildBlock, InProcessValidators, openTestChain, runSlots, useDevNetwork, type TestChain} from "../chain/helpers.ts";

describe("slasher: fed by the chain", function () {
  this.timeout(60_000);
  let t: TestChain;
  before(() => useDevNetwork(6));
  after(async () => t?.close());

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

    // A valid sibling of the head block by the same proposer: imported as a fork.
    const head = t.chain.getHead();
    const headBlock = (await t.chain.getBlockById(head.root))!.signedBlock.message;
    const sibling = buildBlock(t.chain, toHex(headBlock.parent_root), head.slot, {body: {graffiti: new Uint8Array(32).fill(7)}});
    assert.equal(sibling.message.proposer_index, headBlock.proposer_index);
    await t.chain.processBlock(sibling, "api");

    // Validator k votes again for the head slot's epoch with other data: the pool refuses it.
    const epoch = computeEpochAtSlot(head.slot);
    const {duties} = await t.chain.getAttesterDuties(epoch, Array.from({length: 64}, (_, i) => i));
    const duty = duties.find((d) => d.slot < head.slot && d.slot > epoch * SLOTS_PER_EPOCH)!;
    const data = await t.chain.produceAttestationData(duty.slot, duty.committeeIndex);
    data.beacon_block_root = data.target.root;
    const domain = computeDomain(DOMAIN_BEACON_ATTESTER, config.GENESIS_FORK_VERSION, t.chain.genesis.genesisValidatorsRoot);
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
});
