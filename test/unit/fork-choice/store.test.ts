import {strict as assert} from "node:assert";
import {readFileSync, readdirSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {useNetwork, type ChainConfig} from "../../../src/params/index.ts";
import {ssz, type Attestation, type AttesterSlashing, type BeaconBlock, type SignedBeaconBlock} from "../../../src/types/index.ts";
import {createCachedBeaconState, type CachedBeaconState} from "../../../src/state-transition/index.ts";
import {getForkchoiceStore, type Store} from "../../../src/fork-choice/store/store.ts";
import {ForkChoiceError} from "../../../src/fork-choice/errors.ts";
import {toHex} from "../../../src/util/bytes.ts";
import {uncompressSnappyBlock} from "../../../spec-tests/harness/snappy.ts";

// A case of the official vectors: 64 genesis validators, two sibling blocks (slots 3 and 4),
// an attestation for the first and an attester slashing of its attesters. Real signatures.
const caseDir = fileURLToPath(
  new URL(
    "../../../../shared/spec-tests/tests/minimal/phase0/fork_choice/get_head/pyspec_tests/discard_equivocations_on_attester_slashing/",
    import.meta.url
  )
);

function read(prefix: string): Uint8Array {
  const file = readdirSync(caseDir).find((f) => f.startsWith(prefix));
  if (file === undefined) throw new Error(`no ${prefix} file in ${caseDir}`);
  return uncompressSnappyBlock(readFileSync(caseDir + file));
}

function expectCode(fn: () => unknown, code: string): void {
  assert.throws(fn, (e: unknown) => e instanceof ForkChoiceError && e.code === code);
}

/** Runs `fn`, which must be refused with `code`, and checks that the store did not change. */
function expectRefusedUnchanged(store: Store, fn: () => unknown, code: string): void {
  const before = JSON.stringify(store.snapshot());
  expectCode(fn, code);
  assert.equal(JSON.stringify(store.snapshot()), before);
}

describe("fork-choice: Store", function () {
  this.timeout(60_000);
  let anchorState: () => CachedBeaconState;
  let anchorBlock: BeaconBlock;
  let block3: SignedBeaconBlock;
  let block4: SignedBeaconBlock;
  let attestation: Attestation;
  let slashing: AttesterSlashing;

  before(() => {
    const config: ChainConfig = useNetwork("minimal");
    const stateBytes = read("anchor_state");
    anchorState = () => createCachedBeaconState(ssz.BeaconState.deserializeToViewDU(stateBytes), config);
    anchorBlock = ssz.BeaconBlock.deserialize(read("anchor_block"));
    block3 = ssz.SignedBeaconBlock.deserialize(read("block_0xf48f"));
    block4 = ssz.SignedBeaconBlock.deserialize(read("block_0xfcc0"));
    attestation = ssz.Attestation.deserialize(read("attestation_"));
    slashing = ssz.AttesterSlashing.deserialize(read("attester_slashing_"));
  });
  after(() => useNetwork("mainnet"));

  function storeWithBlocks(): Store {
    const store = getForkchoiceStore(anchorState(), anchorBlock);
    store.onTick(36);
    store.onBlock(block3);
    store.onBlock(block4);
    return store;
  }

  it("starts at the anchor", () => {
    const store = getForkchoiceStore(anchorState(), anchorBlock);
    const anchorRoot = ssz.BeaconBlock.hashTreeRoot(anchorBlock);
    assert.equal(store.time, 0);
    assert.equal(store.genesisTime, 0);
    assert.deepEqual(store.justifiedCheckpoint, {epoch: 0, root: anchorRoot});
    assert.deepEqual(store.finalizedCheckpoint, {epoch: 0, root: anchorRoot});
    assert.deepEqual(store.getHead(), {slot: 0, root: anchorRoot});
    assert.deepEqual(store.proposerBoostRoot, new Uint8Array(32));
  });

  it("refuses an anchor block that does not commit to the anchor state", () => {
    const bad = {...anchorBlock, state_root: new Uint8Array(32).fill(1)};
    expectCode(() => getForkchoiceStore(anchorState(), bad), "INVALID_ANCHOR");
  });

  it("imports valid blocks and refuses invalid ones without a trace", () => {
    const store = storeWithBlocks();
    assert.equal(toHex(store.getHead().root), toHex(ssz.BeaconBlock.hashTreeRoot(block4.message)));
    // Already known: a no-op.
    const before = JSON.stringify(store.snapshot());
    store.onBlock(block3);
    assert.equal(JSON.stringify(store.snapshot()), before);

    const wrongStateRoot = ssz.SignedBeaconBlock.clone(block4);
    wrongStateRoot.message.state_root = new Uint8Array(32).fill(7);
    expectRefusedUnchanged(store, () => store.onBlock(wrongStateRoot), "INVALID_BLOCK");

    const unknownParent = ssz.SignedBeaconBlock.clone(block4);
    unknownParent.message.parent_root = new Uint8Array(32).fill(9);
    expectRefusedUnchanged(store, () => store.onBlock(unknownParent), "UNKNOWN_PARENT");

    const wrongProposer = ssz.SignedBeaconBlock.clone(block4);
    wrongProposer.message.proposer_index = (block4.message.proposer_index + 1) % 64;
    expectRefusedUnchanged(store, () => store.onBlock(wrongProposer), "INVALID_BLOCK");

    const fresh = getForkchoiceStore(anchorState(), anchorBlock);
    fresh.onTick(36);
    const badSignature = ssz.SignedBeaconBlock.clone(block4);
    badSignature.signature = block3.signature;
    expectRefusedUnchanged(fresh, () => fresh.onBlock(badSignature), "INVALID_BLOCK");
    assert.throws(() => fresh.onBlock(badSignature), /signature/);

    const early = getForkchoiceStore(anchorState(), anchorBlock);
    early.onTick(12); // slot 2
    expectRefusedUnchanged(early, () => early.onBlock(block3), "FUTURE_SLOT");
  });

  it("records attestations and refuses bad ones without a trace", () => {
    const store = storeWithBlocks();
    const blockRoot = toHex(attestation.data.beacon_block_root);

    const badSig = ssz.Attestation.clone(attestation);
    badSig.signature = ssz.Attestation.clone(attestation).signature.map((b, i) => (i === 5 ? b ^ 1 : b));
    expectRefusedUnchanged(store, () => store.onAttestation(badSig), "INVALID_ATTESTATION_INDEXED");

    const badIndex = ssz.Attestation.clone(attestation);
    badIndex.data.index = 9;
    expectRefusedUnchanged(store, () => store.onAttestation(badIndex), "INVALID_ATTESTATION_COMMITTEE");

    const noBits = ssz.Attestation.clone(attestation);
    for (let i = 0; i < noBits.aggregation_bits.bitLen; i++) noBits.aggregation_bits.set(i, false);
    expectRefusedUnchanged(store, () => store.onAttestation(noBits), "INVALID_ATTESTATION_INDEXED");

    const unknownBlock = ssz.Attestation.clone(attestation);
    unknownBlock.data.beacon_block_root = new Uint8Array(32).fill(3);
    expectRefusedUnchanged(store, () => store.onAttestation(unknownBlock), "INVALID_ATTESTATION_UNKNOWN_HEAD_BLOCK");

    store.onAttestation(attestation);
    const targetState = store.getCheckpointState(attestation.data.target);
    const indices = targetState.epochCtx.getIndexedAttestation(attestation).attesting_indices;
    assert.ok(indices.length > 0);
    for (const i of indices) {
      assert.deepEqual(store.forkChoice.getLatestMessage(i), {epoch: attestation.data.target.epoch, root: blockRoot});
    }
    assert.equal(toHex(store.getHead().root), blockRoot);
  });

  it("adds the attesters of both slashed attestations to the equivocation set", () => {
    const store = storeWithBlocks();
    store.onAttestation(attestation);

    const notSlashable = ssz.AttesterSlashing.clone(slashing);
    notSlashable.attestation_2 = ssz.IndexedAttestation.clone(notSlashable.attestation_1);
    expectRefusedUnchanged(store, () => store.onAttesterSlashing(notSlashable), "INVALID_ATTESTER_SLASHING_NOT_SLASHABLE");

    const badSig = ssz.AttesterSlashing.clone(slashing);
    badSig.attestation_2.signature = badSig.attestation_1.signature;
    expectRefusedUnchanged(store, () => store.onAttesterSlashing(badSig), "INVALID_ATTESTER_SLASHING_INDEXED");

    store.onAttesterSlashing(slashing);
    const both = slashing.attestation_1.attesting_indices.filter((i) => slashing.attestation_2.attesting_indices.includes(i));
    assert.ok(both.length > 0);
    assert.deepEqual(store.snapshot().equivocatingIndices, [...both].sort((a, b) => a - b));
    // Their votes no longer count: the later block is the head again.
    const head4 = toHex(ssz.BeaconBlock.hashTreeRoot(block4.message));
    assert.equal(toHex(store.getHead().root), head4);

    // is_head_weak's extra term: the head slot's committee members among the equivocators, at
    // 32 ETH each. The slashed attesters are of a slot-4 committee; none sits in slot 3's.
    const committees = store.getBlockState(head4)!.epochCtx;
    const slot4 = new Set<number>();
    for (let c = 0; c < committees.getCommitteeCountPerSlot(0); c++) for (const i of committees.getBeaconCommittee(4, c)) slot4.add(i);
    assert.equal(slashing.attestation_1.data.slot, 4);
    assert.ok(both.every((i) => slot4.has(i)));
    assert.equal(store.equivocatingCommitteeBalance(head4), BigInt(both.length) * 32_000_000_000n);
    assert.equal(store.equivocatingCommitteeBalance(toHex(ssz.BeaconBlock.hashTreeRoot(block3.message))), 0n);
  });

  it("keeps a bounded set of checkpoint states and recomputes an evicted one identically", () => {
    const store = getForkchoiceStore(anchorState(), anchorBlock, {checkpointStateCacheSize: 1});
    store.onTick(36);
    store.onBlock(block3);
    const cp = {epoch: 1, root: ssz.BeaconBlock.hashTreeRoot(block3.message)};
    const s1 = store.getCheckpointState(cp);
    assert.equal(s1.state.slot, 8);
    assert.equal(store.getCheckpointState(cp), s1);
    const root1 = toHex(s1.state.hashTreeRoot());
    store.getCheckpointState({epoch: 2, root: cp.root});
    const s2 = store.getCheckpointState(cp);
    assert.notEqual(s2, s1);
    assert.equal(toHex(s2.state.hashTreeRoot()), root1);
    // The block's own post-state was not advanced.
    assert.equal(store.getBlockState(cp.root)?.state.slot, 3);
  });
});
