import assert from "node:assert/strict";
import {computeShuffledIndex} from "../../../src/crypto/index.ts";
import {createChainConfig, DOMAIN_BEACON_ATTESTER, FAR_FUTURE_EPOCH, MAX_SEED_LOOKAHEAD, SLOTS_PER_EPOCH, useNetwork} from "../../../src/params/index.ts";
import {
  cloneCachedBeaconState,
  computeCommitteeCount,
  createCachedBeaconState,
  getActiveValidatorIndices,
  getSeed,
  initiateValidatorExit,
  processSlots,
} from "../../../src/state-transition/index.ts";
import type {BeaconStateView} from "../../../src/types/index.ts";
import {loadVectorState} from "./helpers.ts";

const MINIMAL = createChainConfig("minimal");

/** compute_committee straight from the spec: one compute_shuffled_index per member. */
function specCommittee(state: BeaconStateView, slot: number, index: number): number[] {
  const epoch = Math.floor(slot / SLOTS_PER_EPOCH);
  const indices = getActiveValidatorIndices(state, epoch);
  const perSlot = computeCommitteeCount(indices.length);
  const seed = getSeed(state, epoch, DOMAIN_BEACON_ATTESTER);
  const count = perSlot * SLOTS_PER_EPOCH;
  const k = (slot % SLOTS_PER_EPOCH) * perSlot + index;
  const start = Math.floor((indices.length * k) / count);
  const end = Math.floor((indices.length * (k + 1)) / count);
  const out: number[] = [];
  for (let i = start; i < end; i++) out.push(indices[computeShuffledIndex(i, indices.length, seed)]);
  return out;
}

/** initiate_validator_exit's queue straight from the spec: a scan of the registry. */
function specExitEpoch(state: BeaconStateView, churnLimit: number): number {
  state.commit();
  const validators = state.validators.getAllReadonlyValues();
  const current = Math.floor(state.slot / SLOTS_PER_EPOCH);
  let queue = current + 1 + MAX_SEED_LOOKAHEAD;
  for (const v of validators) if (v.exit_epoch !== FAR_FUTURE_EPOCH && v.exit_epoch > queue) queue = v.exit_epoch;
  const churn = validators.filter((v) => v.exit_epoch === queue).length;
  return churn >= churnLimit ? queue + 1 : queue;
}

describe("state-transition: EpochContext", function () {
  this.timeout(60_000);
  before(() => useNetwork("minimal"));
  after(() => useNetwork("mainnet"));

  it("committees of the previous, current and next epoch match compute_committee", () => {
    const state = loadVectorState("sanity/blocks/pyspec_tests/attestation/pre.ssz_snappy");
    const s = createCachedBeaconState(state, MINIMAL);
    processSlots(s, s.state.slot + 2 * SLOTS_PER_EPOCH + 3);
    const epoch = s.epochCtx.epoch;
    for (const e of [epoch - 1, epoch, epoch + 1]) {
      for (let slot = e * SLOTS_PER_EPOCH; slot < (e + 1) * SLOTS_PER_EPOCH; slot++) {
        const perSlot = s.epochCtx.getCommitteeCountPerSlot(e);
        for (let index = 0; index < perSlot; index++) {
          assert.deepEqual([...s.epochCtx.getBeaconCommittee(slot, index)], specCommittee(s.state, slot, index), `slot ${slot} index ${index}`);
        }
      }
    }
  });

  it("the exit queue cache follows the spec's registry scan, and clones keep their own queue", () => {
    const state = loadVectorState("sanity/blocks/pyspec_tests/attestation/pre.ssz_snappy");
    const s = createCachedBeaconState(state, MINIMAL);
    const churnLimit = Math.max(MINIMAL.MIN_PER_EPOCH_CHURN_LIMIT, Math.floor(getActiveValidatorIndices(s.state, s.epochCtx.epoch).length / MINIMAL.CHURN_LIMIT_QUOTIENT));
    assert.equal(s.epochCtx.churnLimit, churnLimit);
    const before = [s.epochCtx.exitQueueEpoch, s.epochCtx.exitQueueChurn];
    const other = cloneCachedBeaconState(s);
    // More exits than the churn limit: the queue must move to the next epoch exactly when the spec's does.
    for (let i = 0; i < 3 * churnLimit + 1; i++) {
      const expected = specExitEpoch(s.state, churnLimit);
      initiateValidatorExit(s, i);
      assert.equal(s.state.validators.getReadonly(i).exit_epoch, expected, `validator ${i}`);
      assert.equal(s.state.validators.getReadonly(i).withdrawable_epoch, expected + MINIMAL.MIN_VALIDATOR_WITHDRAWABILITY_DELAY);
    }
    assert.deepEqual([other.epochCtx.exitQueueEpoch, other.epochCtx.exitQueueChurn], before);
    // The queue survives an epoch transition with the exits in the registry snapshot.
    processSlots(s, (s.epochCtx.epoch + 1) * SLOTS_PER_EPOCH);
    const expected = specExitEpoch(s.state, s.epochCtx.churnLimit);
    initiateValidatorExit(s, 3 * churnLimit + 1);
    assert.equal(s.state.validators.getReadonly(3 * churnLimit + 1).exit_epoch, expected);
  });

  it("an epoch transition on a clone leaves the original's caches and registry snapshot alone", () => {
    const state = loadVectorState("sanity/blocks/pyspec_tests/attestation/pre.ssz_snappy");
    const s = createCachedBeaconState(state, MINIMAL);
    const epoch = s.epochCtx.epoch;
    const ebBefore = s.epochCtx.registry.effectiveBalance.slice();
    const clone = cloneCachedBeaconState(s, true);
    clone.state.balances.set(0, 1); // forces an effective balance change for validator 0
    clone.epochCtx.markBalanceDirty(0);
    processSlots(clone, (epoch + 1) * SLOTS_PER_EPOCH);
    assert.equal(clone.epochCtx.epoch, epoch + 1);
    assert.equal(clone.state.validators.getReadonly(0).effective_balance, 0);
    assert.equal(clone.epochCtx.registry.effectiveBalance[0], 0);
    assert.equal(s.epochCtx.epoch, epoch);
    assert.deepEqual(s.epochCtx.registry.effectiveBalance, ebBefore);
    // The original still transitions to the reference result of a fresh context.
    const fresh = createCachedBeaconState(s.state.clone(true), MINIMAL);
    processSlots(s, (epoch + 1) * SLOTS_PER_EPOCH);
    processSlots(fresh, (epoch + 1) * SLOTS_PER_EPOCH);
    assert.deepEqual(s.state.hashTreeRoot(), fresh.state.hashTreeRoot());
  });
});
