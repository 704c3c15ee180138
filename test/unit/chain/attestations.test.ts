import {strict as assert} from "node:assert";
import {BitArray} from "@chainsafe/ssz";
import {AttestationErrorCode} from "../../../src/chain/index.ts";
import {BlsWorkerPool, fastAggregateVerify, interopPubkey, interopSecretKey, sign} from "../../../src/crypto/index.ts";
import {DOMAIN_AGGREGATE_AND_PROOF, DOMAIN_BEACON_ATTESTER, DOMAIN_SELECTION_PROOF} from "../../../src/params/index.ts";
import {computeDomain, computeSigningRoot} from "../../../src/state-transition/index.ts";
import {primitive, ssz, type Attestation} from "../../../src/types/index.ts";
import {advanceTo, InProcessValidators, openTestChain, runSlots, useDevNetwork, type TestChain} from "./helpers.ts";

for (const onPool of [false, true]) {
  describe(`chain: attestation and aggregate submission (p2p validation rules, signatures verified ${onPool ? "on a BLS worker pool" : "on the calling thread"})`, function () {
    this.timeout(60_000);
    // Every batch goes to the pool's worker.
    const pool = new BlsWorkerPool({workers: 1, minSetsForWorkers: 1, minSetsPerJob: 1});
    after(() => pool.close());
    let t: TestChain;
    let v: InProcessValidators;
    before(() => useDevNetwork(6));
    afterEach(async () => t?.close());

    const domain = (type: Uint8Array): Uint8Array => computeDomain(type, t.chain.config.GENESIS_FORK_VERSION, t.chain.genesis.genesisValidatorsRoot);

    /** A valid unaggregated attestation of the validator at `position` of committee `index` at `slot`. */
    async function attestation(slot: number, index: number, position: number): Promise<{att: Attestation; validator: number}> {
      const {duties} = await t.chain.getAttesterDuties(0, Array.from({length: 64}, (_, i) => i));
      const duty = duties.find((d) => d.slot === slot && d.committeeIndex === index && d.validatorCommitteeIndex === position)!;
      const data = await t.chain.produceAttestationData(slot, index);
      const sig = sign(interopSecretKey(duty.validatorIndex), computeSigningRoot(ssz.AttestationData, data, domain(DOMAIN_BEACON_ATTESTER)));
      return {att: {aggregation_bits: BitArray.fromSingleBit(duty.committeeLength, position), data, signature: sig}, validator: duty.validatorIndex};
    }

    it("accepts valid attestations, aggregates them in the pool, and refuses each kind of bad one with its code", async () => {
      const jobsBefore = pool.stats.workerJobs;
      t = await openTestChain({validators: 64, blsVerifier: onPool ? pool : undefined});
      v = new InProcessValidators(t.chain, 64);
      await runSlots(t, v, 2);
      await advanceTo(t, 3, 2000);
      await v.propose(3).catch(() => undefined);
      const a0 = await attestation(3, 0, 0);
      const a1 = await attestation(3, 0, 1);
      const a2 = await attestation(3, 0, 2);

      const wrongBits = {...a2.att, aggregation_bits: BitArray.fromSingleBit(a2.att.aggregation_bits.bitLen + 1, 0)};
      const twoBits = {...a2.att, aggregation_bits: BitArray.fromBoolArray([true, true, false, false])};
      const badSig = {...a2.att, signature: a1.att.signature};
      const future = {...a2.att, data: {...a2.att.data, slot: 5}};
      const unknownBlock = {...a2.att, data: {...a2.att.data, beacon_block_root: new Uint8Array(32).fill(9)}};
      const badTarget = {...a2.att, data: {...a2.att.data, target: {epoch: 1, root: a2.att.data.target.root}}};
      const failures = await t.chain.submitAttestations([a0.att, wrongBits, twoBits, badSig, future, unknownBlock, badTarget, a1.att]);
      assert.deepEqual(
        failures.map((f) => [f.index, f.code]),
        [
          [1, AttestationErrorCode.WRONG_NUMBER_OF_AGGREGATION_BITS],
          [2, AttestationErrorCode.NOT_EXACTLY_ONE_AGGREGATION_BIT_SET],
          [3, AttestationErrorCode.INVALID_SIGNATURE],
          [4, AttestationErrorCode.FUTURE_SLOT],
          [5, AttestationErrorCode.UNKNOWN_BEACON_BLOCK_ROOT],
          [6, AttestationErrorCode.BAD_TARGET_EPOCH],
        ]
      );

      // The two valid ones were merged into one aggregate whose signature verifies.
      const dataRoot = ssz.AttestationData.hashTreeRoot(a0.att.data);
      const agg = t.chain.getAggregateAttestation(3, dataRoot)!;
      assert.deepEqual(agg.aggregation_bits.getTrueBitIndexes(), [0, 1]);
      const signingRoot = computeSigningRoot(ssz.AttestationData, a0.att.data, domain(DOMAIN_BEACON_ATTESTER));
      assert.ok(fastAggregateVerify([interopPubkey(a0.validator), interopPubkey(a1.validator)], signingRoot, agg.signature));
      assert.equal(t.chain.getPoolAttestations({slot: 3}).length, 1);
      assert.deepEqual(t.chain.getLiveness(0, [a0.validator, a1.validator, a2.validator]).map((l) => l.isLive), [true, true, false]);

      // The same attestation again is fine; a different vote of the same validator in the same epoch is not.
      assert.deepEqual(await t.chain.submitAttestations([a0.att]), []);
      await advanceTo(t, 4, 2000);
      const block2 = (await t.chain.getBlockById(2))!;
      const otherData = {...a0.att.data, beacon_block_root: block2.root};
      const conflicting: Attestation = {
        aggregation_bits: a0.att.aggregation_bits,
        data: otherData,
        signature: sign(interopSecretKey(a0.validator), computeSigningRoot(ssz.AttestationData, otherData, domain(DOMAIN_BEACON_ATTESTER))),
      };
      const [f] = await t.chain.submitAttestations([conflicting]);
      assert.equal(f.code, AttestationErrorCode.PRIOR_ATTESTATION_KNOWN);
      assert.equal(pool.stats.workerJobs > jobsBefore, onPool);
    });

    it("validates aggregates: selection proof, aggregator signature, duplicates of a seen aggregate", async () => {
      const jobsBefore = pool.stats.workerJobs;
      t = await openTestChain({validators: 64, blsVerifier: onPool ? pool : undefined});
      v = new InProcessValidators(t.chain, 64);
      await runSlots(t, v, 2);
      await advanceTo(t, 3, 0);
      await v.propose(3);
      await advanceTo(t, 3, 2000);
      await v.attest(3);
      await advanceTo(t, 3, 4000);

      const {duties} = await t.chain.getAttesterDuties(0, Array.from({length: 64}, (_, i) => i));
      const members = duties.filter((d) => d.slot === 3 && d.committeeIndex === 0);
      const data = await t.chain.produceAttestationData(3, 0);
      const aggregate = t.chain.getAggregateAttestation(3, ssz.AttestationData.hashTreeRoot(data))!;
      assert.equal(aggregate.aggregation_bits.getTrueBitIndexes().length, members.length);
      const signed = members.map((d) => {
        const sk = interopSecretKey(d.validatorIndex);
        const message = {
          aggregator_index: d.validatorIndex,
          aggregate,
          selection_proof: sign(sk, computeSigningRoot(primitive.Uint64, 3, domain(DOMAIN_SELECTION_PROOF))),
        };
        return {message, signature: sign(sk, computeSigningRoot(ssz.AggregateAndProof, message, domain(DOMAIN_AGGREGATE_AND_PROOF)))};
      });
      // Committees of 4 make every member an aggregator (modulo 1).
      const badSelection = {...signed[0], message: {...signed[0].message, selection_proof: signed[1].message.selection_proof}};
      const badSignature = {...signed[1], signature: signed[0].signature};
      const notMember = {...signed[2], message: {...signed[2].message, aggregator_index: duties.find((d) => d.slot === 4)!.validatorIndex}};
      assert.deepEqual(
        (await t.chain.submitAggregateAndProofs([badSelection, badSignature, notMember])).map((f) => [f.index, f.code]),
        [
          [0, AttestationErrorCode.INVALID_SELECTION_PROOF],
          [1, AttestationErrorCode.INVALID_AGGREGATOR_SIGNATURE],
          [2, AttestationErrorCode.AGGREGATOR_NOT_IN_COMMITTEE],
        ]
      );
      // Valid ones: the first is checked, the rest carry the same aggregate and are covered by it.
      assert.deepEqual(await t.chain.submitAggregateAndProofs(signed), []);
      // The same aggregator again in this epoch, with an aggregate that adds nothing, is covered too.
      assert.deepEqual(await t.chain.submitAggregateAndProofs([signed[0]]), []);
      assert.equal(pool.stats.workerJobs > jobsBefore, onPool);
    });
  });
}
