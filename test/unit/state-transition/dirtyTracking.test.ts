import assert from "node:assert/strict";
import {createChainConfig, SLOTS_PER_EPOCH, useNetwork} from "../../../src/params/index.ts";
import {
  cloneCachedBeaconState,
  createCachedBeaconState,
  processSlots,
  stateTransition,
  type CachedBeaconState,
} from "../../../src/state-transition/index.ts";
import {toHex} from "../../../src/util/bytes.ts";
import {loadVectorBlock, loadVectorState} from "./helpers.ts";

const MINIMAL = createChainConfig("minimal");

/**
 * The epoch context mirrors registry fields, balances and pending attestations and re-reads only
 * what blocks marked. After blocks that slash, exit and deposit, two epoch transitions must give
 * the same state as the same transitions on a context freshly built from the state.
 */
describe("state-transition: epoch caches kept in step by blocks", function () {
  this.timeout(120_000);
  before(() => useNetwork("minimal"));
  after(() => useNetwork("mainnet"));

  const cases: [string, number][] = [
    ["sanity/blocks/pyspec_tests/proposer_slashing/", 1],
    ["sanity/blocks/pyspec_tests/attester_slashing/", 1],
    ["sanity/blocks/pyspec_tests/voluntary_exit/", 2],
    ["sanity/blocks/pyspec_tests/deposit_in_block/", 1],
    ["sanity/blocks/pyspec_tests/deposit_top_up/", 1],
    ["sanity/blocks/pyspec_tests/slash_and_exit_diff_index/", 1],
    ["sanity/blocks/pyspec_tests/attestation/", 2],
  ];
  for (const [dir, blocks] of cases) {
    it(dir.split("/")[2], () => {
      let s: CachedBeaconState = createCachedBeaconState(loadVectorState(dir + "pre.ssz_snappy"), MINIMAL);
      for (let i = 0; i < blocks; i++) s = stateTransition(s, loadVectorBlock(`${dir}blocks_${i}.ssz_snappy`));
      const fresh = createCachedBeaconState(cloneCachedBeaconState(s, true).state, MINIMAL);
      const target = (Math.floor(s.state.slot / SLOTS_PER_EPOCH) + 2) * SLOTS_PER_EPOCH;
      processSlots(s, target);
      processSlots(fresh, target);
      assert.equal(toHex(s.state.hashTreeRoot()), toHex(fresh.state.hashTreeRoot()));
      assert.deepEqual([...s.epochCtx.effectiveBalanceIncrements], [...fresh.epochCtx.effectiveBalanceIncrements]);
      assert.equal(s.epochCtx.totalActiveBalance, fresh.epochCtx.totalActiveBalance);
      assert.deepEqual([s.epochCtx.exitQueueEpoch, s.epochCtx.exitQueueChurn], [fresh.epochCtx.exitQueueEpoch, fresh.epochCtx.exitQueueChurn]);
      assert.deepEqual(s.epochCtx.getBeaconProposers(), fresh.epochCtx.getBeaconProposers());
      assert.deepEqual([...s.epochCtx.nextShuffling.shuffled], [...fresh.epochCtx.nextShuffling.shuffled]);
      // The mirrored registry and balances themselves, field by field.
      const a = s.epochCtx.registry;
      const b = fresh.epochCtx.registry;
      for (const field of ["effectiveBalance", "slashed", "activationEligibilityEpoch", "activationEpoch", "exitEpoch", "withdrawableEpoch"] as const) {
        assert.deepEqual([...a[field]], [...b[field]], field);
      }
      assert.deepEqual(s.epochCtx.balancesSnapshot, s.state.balances.getAll());
    });
  }
});
