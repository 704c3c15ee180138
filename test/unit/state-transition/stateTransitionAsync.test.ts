import assert from "node:assert/strict";
import {BitArray} from "@chainsafe/ssz";
import {BlsWorkerPool} from "../../../src/crypto/index.ts";
import {createChainConfig, useNetwork} from "../../../src/params/index.ts";
import {ssz, type SignedBeaconBlock} from "../../../src/types/index.ts";
import {
  BlockProcessingError,
  cloneCachedBeaconState,
  createCachedBeaconState,
  processSlots,
  stateTransition,
  stateTransitionAsync,
  type CachedBeaconState,
  type StateTransitionOpts,
} from "../../../src/state-transition/index.ts";
import {toHex} from "../../../src/util/bytes.ts";
import {existsSync, readdirSync, readFileSync} from "node:fs";
import {parse} from "yaml";
import {loadVectorBlock, loadVectorState, vectorDir} from "./helpers.ts";

const MINIMAL = createChainConfig("minimal");

const CASE = "sanity/blocks/pyspec_tests/attestation/";

function longer(bits: BitArray): BitArray {
  const out = BitArray.fromBitLen(bits.bitLen + 1);
  for (let i = 0; i < bits.bitLen; i++) out.set(i, bits.get(i));
  return out;
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof BlockProcessingError, `expected a BlockProcessingError, got ${String(e)}`);
    return e.code;
  }
  return "accepted";
}

async function codeOfAsync(p: () => Promise<unknown>): Promise<string> {
  try {
    await p();
  } catch (e) {
    assert.ok(e instanceof BlockProcessingError, `expected a BlockProcessingError, got ${String(e)}`);
    return e.code;
  }
  return "accepted";
}

describe("state-transition: stateTransitionAsync", function () {
  this.timeout(60_000);
  // Every batch of the vectors' blocks (2 or 3 sets) goes to the workers.
  const pool = new BlsWorkerPool({workers: 2, minSetsForWorkers: 1, minSetsPerJob: 1});
  before(() => useNetwork("minimal"));
  after(async () => {
    useNetwork("mainnet");
    await pool.close();
  });

  function load(): {pre: CachedBeaconState; blocks: SignedBeaconBlock[]} {
    return {
      pre: createCachedBeaconState(loadVectorState(CASE + "pre.ssz_snappy"), MINIMAL),
      blocks: [loadVectorBlock(CASE + "blocks_0.ssz_snappy"), loadVectorBlock(CASE + "blocks_1.ssz_snappy")],
    };
  }

  it("reaches the reference post-state with the signatures verified on the workers", async () => {
    const {pre, blocks} = load();
    const preRoot = toHex(pre.state.hashTreeRoot());
    const before = pool.stats.workerJobs;
    const mid = await stateTransitionAsync(pre, blocks[0], {verifier: pool});
    const post = await stateTransitionAsync(mid, blocks[1], {verifier: pool});
    assert.equal(toHex(pre.state.hashTreeRoot()), preRoot);
    assert.equal(toHex(post.state.hashTreeRoot()), toHex(loadVectorState(CASE + "post.ssz_snappy").hashTreeRoot()));
    assert.ok(pool.stats.workerJobs - before >= 2, "both blocks' signatures went to the workers");
    assert.equal(pool.stats.recoveredJobs, 0);
  });

  // The same mutations as the synchronous transition's tests: the same verdict, the same code.
  const cases: [string, number, (b: SignedBeaconBlock) => void, StateTransitionOpts?][] = [
    ["a wrong state root", 1, (b) => (b.message.state_root = new Uint8Array(32).fill(7)), {verifyProposer: false}],
    ["a wrong state root, signed", 1, (b) => (b.message.state_root = new Uint8Array(32).fill(7))],
    ["a corrupted block signature", 1, (b) => (b.signature = b.signature.slice().fill(0x11, 40, 60))],
    ["a corrupted block signature, proposer not checked", 1, (b) => (b.signature = b.signature.slice().fill(0x11, 40, 60)), {verifyProposer: false}],
    ["a wrong proposer index", 1, (b) => (b.message.proposer_index += 1)],
    ["a proposer index beyond the registry", 1, (b) => (b.message.proposer_index = 1 << 20)],
    ["a wrong parent root", 1, (b) => (b.message.parent_root = new Uint8Array(32).fill(1))],
    ["a slot not after the state's", 1, (b) => (b.message.slot = 0)],
    ["a RANDAO reveal that is not the proposer's", 1, (b) => (b.message.body.randao_reveal = b.signature)],
    ["a RANDAO reveal that is not the proposer's, only the proposer checked", 1, (b) => (b.message.body.randao_reveal = b.signature), {verifySignatures: false}],
    ["an attestation with the wrong source", 0, (b) => (b.message.body.attestations[0].data.source.epoch += 1)],
    ["an attestation of a committee that does not exist", 0, (b) => (b.message.body.attestations[0].data.index = 64)],
    ["an attestation with one bit more than its committee", 0, (b) => (b.message.body.attestations[0].aggregation_bits = longer(b.message.body.attestations[0].aggregation_bits))],
    ["an attestation included too early", 0, (b) => (b.message.body.attestations[0].data.slot = b.message.slot)],
    ["an attestation whose signature does not verify", 0, (b) => (b.message.body.attestations[0].signature = b.signature)],
    ["an attestation signature that is not a point", 0, (b) => (b.message.body.attestations[0].signature = new Uint8Array(96).fill(0xff))],
    ["a deposit the state does not expect", 1, (b) => b.message.body.deposits.push(ssz.Deposit.defaultValue())],
    ["an exit of a validator that does not exist", 1, (b) => b.message.body.voluntary_exits.push({message: {epoch: 0, validator_index: 1 << 20}, signature: new Uint8Array(96)})],
    ["nothing changed", 0, () => {}],
    ["nothing changed, nothing verified", 1, () => {}, {verifyProposer: false, verifySignatures: false, verifyStateRoot: false}],
  ];
  for (const [what, which, mutate, opts] of cases) {
    it(`gives stateTransition's verdict for a block with ${what}`, async () => {
      const {pre, blocks} = load();
      const base = which === 0 ? pre : stateTransition(pre, blocks[which - 1]);
      const root = toHex(base.state.hashTreeRoot());
      const block = ssz.SignedBeaconBlock.clone(blocks[which]);
      mutate(block);
      const expected = codeOf(() => stateTransition(base, block, opts));
      const actual = await codeOfAsync(() => stateTransitionAsync(base, block, {...opts, verifier: pool}));
      assert.equal(actual, expected);
      assert.equal(toHex(base.state.hashTreeRoot()), root);
    });
  }

  // The options the chain uses, through both entry points.
  const entryPoints: [string, (pre: CachedBeaconState, b: SignedBeaconBlock, o: StateTransitionOpts) => Promise<CachedBeaconState>][] = [
    ["stateTransition", async (pre, b, o) => stateTransition(pre, b, o)],
    ["stateTransitionAsync", (pre, b, o) => stateTransitionAsync(pre, b, {...o, verifier: pool})],
  ];
  for (const [name, run] of entryPoints) {
    it(`${name}: a pre-state at the block's slot is refused unless the caller allows it, and then gives the same post-state`, async () => {
      const {pre, blocks} = load();
      const atSlot = cloneCachedBeaconState(pre);
      processSlots(atSlot, blocks[0].message.slot);
      const root = toHex(atSlot.state.hashTreeRoot());
      assert.equal(await codeOfAsync(() => run(atSlot, blocks[0], {})), "SLOT_NOT_IN_FUTURE");
      const post = await run(atSlot, blocks[0], {preStateMayBeAtBlockSlot: true});
      assert.equal(toHex(post.state.hashTreeRoot()), toHex(stateTransition(pre, blocks[0]).state.hashTreeRoot()));
      assert.equal(toHex(atSlot.state.hashTreeRoot()), root);
      // A pre-state past the block's slot is refused either way.
      processSlots(atSlot, blocks[0].message.slot + 1);
      assert.equal(await codeOfAsync(() => run(atSlot, blocks[0], {preStateMayBeAtBlockSlot: true})), "SLOT_NOT_IN_FUTURE");
    });

    it(`${name}: an attestation the caller knows to be valid is not verified again, any other is`, async () => {
      const {pre, blocks} = load();
      const block = ssz.SignedBeaconBlock.clone(blocks[0]);
      const attestation = block.message.body.attestations[0];
      attestation.signature = block.signature;
      // The proposer's signature and the state root (through the header's body root) cover the
      // attestation's signature: only the attestation's set is in question here.
      const opts = {verifyProposer: false, verifyStateRoot: false};
      const asked: unknown[] = [];
      const known = (a: unknown): boolean => {
        asked.push(a);
        return a === attestation;
      };
      assert.equal(await codeOfAsync(() => run(pre, block, opts)), "INVALID_SIGNATURE");
      assert.equal(await codeOfAsync(() => run(pre, block, {...opts, isKnownValidAttestation: () => false})), "INVALID_SIGNATURE");
      const post = await run(pre, block, {...opts, isKnownValidAttestation: known});
      assert.deepEqual(asked, [attestation]);
      const unchecked = stateTransition(pre, block, {...opts, verifySignatures: false});
      assert.equal(toHex(post.state.hashTreeRoot()), toHex(unchecked.state.hashTreeRoot()));
    });
  }

  // Every block sequence of the reference vectors: block by block, the same outcome as stateTransition.
  for (const suite of ["sanity/blocks/pyspec_tests/", "finality/finality/pyspec_tests/", "random/random/pyspec_tests/"]) {
    it(`gives stateTransition's outcome for every block of ${suite}`, async () => {
      let cases = 0;
      for (const name of readdirSync(vectorDir(suite))) {
        const dir = `${suite}${name}/`;
        const {blocks_count: count} = parse(readFileSync(vectorDir(dir + "meta.yaml"), "utf8")) as {blocks_count: number};
        let syncState: CachedBeaconState | null = createCachedBeaconState(loadVectorState(dir + "pre.ssz_snappy"), MINIMAL);
        let asyncState: CachedBeaconState | null = createCachedBeaconState(loadVectorState(dir + "pre.ssz_snappy"), MINIMAL);
        for (let i = 0; i < count && syncState !== null; i++) {
          const block = loadVectorBlock(`${dir}blocks_${i}.ssz_snappy`);
          const sync: CachedBeaconState = syncState;
          const expected = codeOf(() => (syncState = stateTransition(sync, block)));
          const from: CachedBeaconState = asyncState as CachedBeaconState;
          const actual = await codeOfAsync(async () => (asyncState = await stateTransitionAsync(from, block, {verifier: pool})));
          assert.equal(actual, expected, `${name} block ${i}`);
          if (expected !== "accepted") syncState = null;
        }
        if (existsSync(vectorDir(dir + "post.ssz_snappy"))) {
          assert.ok(asyncState !== null);
          const post = loadVectorState(dir + "post.ssz_snappy");
          assert.equal(toHex((asyncState as CachedBeaconState).state.hashTreeRoot()), toHex(post.hashTreeRoot()), name);
        }
        cases++;
      }
      assert.ok(cases > 0);
    });
  }
});
