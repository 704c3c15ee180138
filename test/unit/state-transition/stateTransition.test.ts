import assert from "node:assert/strict";
import {createChainConfig, useNetwork} from "../../../src/params/index.ts";
import {ssz, type SignedBeaconBlock} from "../../../src/types/index.ts";
import {
  BlockProcessingError,
  cloneCachedBeaconState,
  createCachedBeaconState,
  processBlock,
  processProposerSlashing,
  processSlots,
  processVoluntaryExit,
  stateTransition,
  type CachedBeaconState,
  type StateTransitionOpts,
} from "../../../src/state-transition/index.ts";
import {toHex} from "../../../src/util/bytes.ts";
import {loadVectorBlock, loadVectorState} from "./helpers.ts";

const MINIMAL = createChainConfig("minimal");

const CASE = "sanity/blocks/pyspec_tests/attestation/";

function failsWith(code: string): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof BlockProcessingError, `expected a BlockProcessingError, got ${String(e)}`);
    assert.equal(e.code, code);
    return true;
  };
}

describe("state-transition: stateTransition", function () {
  this.timeout(60_000);
  before(() => useNetwork("minimal"));
  after(() => useNetwork("mainnet"));

  function load(): {pre: CachedBeaconState; blocks: SignedBeaconBlock[]} {
    return {
      pre: createCachedBeaconState(loadVectorState(CASE + "pre.ssz_snappy"), MINIMAL),
      blocks: [loadVectorBlock(CASE + "blocks_0.ssz_snappy"), loadVectorBlock(CASE + "blocks_1.ssz_snappy")],
    };
  }

  it("applies signed blocks and reaches the reference post-state, leaving each pre-state as it was", () => {
    const {pre, blocks} = load();
    const preRoot = toHex(pre.state.hashTreeRoot());
    const mid = stateTransition(pre, blocks[0]);
    assert.equal(toHex(pre.state.hashTreeRoot()), preRoot);
    const midRoot = toHex(mid.state.hashTreeRoot());
    const post = stateTransition(mid, blocks[1]);
    assert.equal(toHex(mid.state.hashTreeRoot()), midRoot);
    assert.equal(toHex(post.state.hashTreeRoot()), toHex(loadVectorState(CASE + "post.ssz_snappy").hashTreeRoot()));
    assert.equal(post.state.slot, blocks[1].message.slot);
  });

  /**
   * Each mutation of a block (0: the one with an attestation, 1: an empty one) must fail with
   * `code` and leave the state it was applied to byte-identical.
   */
  const invalid: [string, string, number, (b: SignedBeaconBlock) => void, StateTransitionOpts?][] = [
    // Without the proposer check: the state root is part of the signed block.
    ["a wrong state root", "INVALID_STATE_ROOT", 1, (b) => (b.message.state_root = new Uint8Array(32).fill(7)), {verifyProposer: false}],
    ["a wrong state root, signed", "INVALID_SIGNATURE", 1, (b) => (b.message.state_root = new Uint8Array(32).fill(7))],
    ["a corrupted block signature", "INVALID_SIGNATURE", 1, (b) => (b.signature = b.signature.slice().fill(0x11, 40, 60))],
    ["a wrong proposer index", "BLOCK_HEADER_INVALID_PROPOSER_INDEX", 1, (b) => (b.message.proposer_index += 1)],
    ["a wrong parent root", "BLOCK_HEADER_INVALID_PARENT_ROOT", 1, (b) => (b.message.parent_root = new Uint8Array(32).fill(1))],
    ["a slot not after the state's", "SLOT_NOT_IN_FUTURE", 1, (b) => (b.message.slot = 0)],
    ["a RANDAO reveal that is not the proposer's", "INVALID_SIGNATURE", 1, (b) => (b.message.body.randao_reveal = b.signature)],
    ["an attestation with the wrong source", "ATTESTATION_INVALID_SOURCE", 0, (b) => (b.message.body.attestations[0].data.source.epoch += 1)],
    ["an attestation of a committee that does not exist", "ATTESTATION_INVALID_COMMITTEE_INDEX", 0, (b) => (b.message.body.attestations[0].data.index = 64)],
    ["an attestation included too early", "ATTESTATION_INCLUDED_TOO_EARLY", 0, (b) => (b.message.body.attestations[0].data.slot = b.message.slot)],
    ["an attestation whose signature does not verify", "INVALID_SIGNATURE", 0, (b) => (b.message.body.attestations[0].signature = b.signature)],
    ["a deposit the state does not expect", "BLOCK_INVALID_DEPOSIT_COUNT", 1, (b) => b.message.body.deposits.push(ssz.Deposit.defaultValue())],
  ];
  for (const [what, code, which, mutate, opts] of invalid) {
    it(`rejects a block with ${what} (${code}) and leaves the pre-state untouched`, () => {
      const {pre, blocks} = load();
      const base = which === 0 ? pre : stateTransition(pre, blocks[0]);
      const bytes = toHex(base.state.serialize());
      const root = toHex(base.state.hashTreeRoot());
      const exitQueue = [base.epochCtx.exitQueueEpoch, base.epochCtx.exitQueueChurn];
      const pending = base.epochCtx.currentEpochAttestations?.length;
      const bad = ssz.SignedBeaconBlock.clone(blocks[which]);
      mutate(bad);
      let error: unknown;
      try {
        stateTransition(base, bad, opts);
      } catch (e) {
        error = e;
      }
      assert.ok(error instanceof BlockProcessingError, `the block must be rejected with a BlockProcessingError, got ${String(error)}`);
      assert.equal(error.code, code);
      assert.equal(toHex(base.state.serialize()), bytes);
      assert.equal(toHex(base.state.hashTreeRoot()), root);
      assert.deepEqual([base.epochCtx.exitQueueEpoch, base.epochCtx.exitQueueChurn], exitQueue);
      assert.equal(base.epochCtx.currentEpochAttestations?.length, pending);
      // And the untouched pre-state still accepts the real block.
      stateTransition(base, blocks[which]);
    });
  }

  it("verifies the RANDAO reveal inline when processBlock checks signatures itself", () => {
    const {pre, blocks} = load();
    const s = cloneCachedBeaconState(pre);
    processSlots(s, blocks[0].message.slot);
    const block = ssz.BeaconBlock.clone(blocks[0].message);
    block.body.randao_reveal = blocks[0].signature;
    assert.throws(() => processBlock(s, block), failsWith("RANDAO_INVALID_REVEAL"));
  });

  it("names the failed condition of single operations", () => {
    const {pre, blocks} = load();
    const s = cloneCachedBeaconState(pre);
    processSlots(s, blocks[0].message.slot);
    const header = {slot: 1, proposer_index: 3, parent_root: new Uint8Array(32), state_root: new Uint8Array(32), body_root: new Uint8Array(32)};
    const signed = {message: header, signature: new Uint8Array(96)};
    assert.throws(() => processProposerSlashing(s, {signed_header_1: signed, signed_header_2: signed}), failsWith("PROPOSER_SLASHING_HEADERS_EQUAL"));
    const exit = {message: {epoch: 0, validator_index: s.state.validators.length}, signature: new Uint8Array(96)};
    assert.throws(() => processVoluntaryExit(s, exit), failsWith("VOLUNTARY_EXIT_INVALID_VALIDATOR_INDEX"));
    const young = {message: {epoch: 0, validator_index: 0}, signature: new Uint8Array(96)};
    assert.throws(() => processVoluntaryExit(s, young), failsWith("VOLUNTARY_EXIT_TOO_EARLY"));
  });
});
