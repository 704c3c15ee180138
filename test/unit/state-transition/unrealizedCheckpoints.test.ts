import assert from "node:assert/strict";
import {createChainConfig, useNetwork} from "../../../src/params/index.ts";
import {ssz} from "../../../src/types/index.ts";
import {
  cloneCachedBeaconState,
  computeUnrealizedCheckpoints,
  createCachedBeaconState,
  processJustificationAndFinalization,
  stateTransition,
} from "../../../src/state-transition/index.ts";
import {toHex} from "../../../src/util/bytes.ts";
import {loadVectorBlock, loadVectorState} from "./helpers.ts";

const MINIMAL = createChainConfig("minimal");

describe("state-transition: computeUnrealizedCheckpoints", function () {
  this.timeout(120_000);
  before(() => useNetwork("minimal"));
  after(() => useNetwork("mainnet"));

  it("equals process_justification_and_finalization on a copy, after every block, without touching the state", () => {
    const dir = "finality/finality/pyspec_tests/finality_rule_1/";
    let s = createCachedBeaconState(loadVectorState(dir + "pre.ssz_snappy"), MINIMAL);
    let justifiedChanges = 0;
    for (let i = 0; i < 24; i++) {
      s = stateTransition(s, loadVectorBlock(`${dir}blocks_${i}.ssz_snappy`));
      const root = toHex(s.state.hashTreeRoot());
      const unrealized = computeUnrealizedCheckpoints(s);
      assert.equal(toHex(s.state.hashTreeRoot()), root, `block ${i}: the state changed`);
      const copy = cloneCachedBeaconState(s, true);
      processJustificationAndFinalization(copy);
      assert.ok(ssz.Checkpoint.equals(unrealized.justified, copy.state.current_justified_checkpoint.toValue()), `block ${i}: justified`);
      assert.ok(ssz.Checkpoint.equals(unrealized.finalized, copy.state.finalized_checkpoint.toValue()), `block ${i}: finalized`);
      if (unrealized.justified.epoch !== s.state.current_justified_checkpoint.epoch) justifiedChanges++;
    }
    // The case justifies and finalizes as it goes: the pulled-up view must run ahead at times.
    assert.ok(justifiedChanges > 0);
    assert.ok(s.state.finalized_checkpoint.epoch > 0);
  });
});
