import {strict as assert} from "node:assert";
import {BlockImportError, BlockErrorCode} from "../../../src/chain/index.ts";
import {BlsWorkerPool, type SignatureSet} from "../../../src/crypto/index.ts";
import {SLOTS_PER_EPOCH} from "../../../src/params/index.ts";
import {ssz} from "../../../src/types/index.ts";
import {toHex} from "../../../src/util/bytes.ts";
import {advanceTo, buildBlock, InProcessValidators, openTestChain, runSlots, useDevNetwork, type TestChain} from "./helpers.ts";

async function rejects(p: Promise<unknown>, code: string, reason?: string): Promise<BlockImportError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof BlockImportError, `expected a BlockImportError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (reason !== undefined) assert.equal(e.reason, reason, e.message);
    return e;
  }
  assert.fail(`expected ${code}`);
}

describe("chain: block import pipeline", function () {
  this.timeout(60_000);
  let t: TestChain;
  before(() => useDevNetwork(6));
  afterEach(async () => t?.close());

  // Every set of these blocks goes to the pool's worker.
  const pool = new BlsWorkerPool({workers: 1, minSetsForWorkers: 1, minSetsPerJob: 1});
  after(() => pool.close());

  for (const onPool of [false, true]) {
    it(`refuses bad blocks with typed errors and leaves the chain as it was (signatures verified ${onPool ? "on a BLS worker pool" : "on the calling thread"})`, async () => {
      const jobsBefore = pool.stats.workerJobs;
      t = await openTestChain({validators: 64, blsVerifier: onPool ? pool : undefined});
      const v = new InProcessValidators(t.chain, 64);
      await runSlots(t, v, 3);
      const head = t.chain.getHead();
      const headHex = toHex(head.root);
      await advanceTo(t, 4);

      // Already known.
      const known = (await t.chain.getBlockById("head"))!.signedBlock;
      await rejects(t.chain.processBlock(known, "api"), BlockErrorCode.ALREADY_KNOWN);
      // Unknown parent.
      const orphan = buildBlock(t.chain, headHex, 4, {mutate: (b) => (b.parent_root = new Uint8Array(32).fill(7))});
      await rejects(t.chain.processBlock(orphan, "api"), BlockErrorCode.PARENT_UNKNOWN);
      // From the future (more than the clock disparity ahead).
      await rejects(t.chain.processBlock(buildBlock(t.chain, headHex, 6), "api"), BlockErrorCode.FUTURE_SLOT);
      // Not later than its parent.
      const sameSlot = buildBlock(t.chain, headHex, 4, {mutate: (b) => (b.slot = head.slot)});
      await rejects(t.chain.processBlock(sameSlot, "api"), BlockErrorCode.NOT_LATER_THAN_PARENT);
      // Wrong state root: the state transition's condition code; a bad proposer signature and a
      // proposer out of turn: the gossip conditions that REST publishing checks first.
      const badRoot = buildBlock(t.chain, headHex, 4, {mutate: (b) => (b.state_root = new Uint8Array(32).fill(1))});
      await rejects(t.chain.processBlock(badRoot, "api"), BlockErrorCode.INVALID, "INVALID_STATE_ROOT");
      const badSig = buildBlock(t.chain, headHex, 4);
      badSig.signature = buildBlock(t.chain, headHex, 4, {body: {graffiti: new Uint8Array(32).fill(9)}}).signature;
      await rejects(t.chain.processBlock(badSig, "api"), BlockErrorCode.INVALID_PROPOSER_SIGNATURE);
      const wrongProposer = buildBlock(t.chain, headHex, 4, {mutate: (b) => (b.proposer_index = (b.proposer_index + 1) % 64)});
      await rejects(t.chain.processBlock(wrongProposer, "api"), BlockErrorCode.INCORRECT_PROPOSER);
      // Through the import pipeline alone (as sync imports), the state transition refuses it too.
      const e = await rejects(t.chain.processBlock(wrongProposer, "sync"), BlockErrorCode.INVALID);
      assert.ok(e.reason !== undefined);

      // Nothing of the refused blocks stuck: same head, nothing stored, and the next valid block imports.
      assert.equal(toHex(t.chain.getHead().root), headHex);
      assert.equal(await t.chain.getBlockById(4), null);
      assert.equal(await t.db.getBlock(ssz.BeaconBlock.hashTreeRoot(badRoot.message)), undefined);
      const good = buildBlock(t.chain, headHex, 4);
      const imported = await t.chain.processBlock(good, "api");
      assert.equal(imported.slot, 4);
      assert.equal(toHex(t.chain.getHead().root), toHex(imported.root));
      assert.equal(pool.stats.workerJobs > jobsBefore, onPool);
      assert.equal(pool.stats.recoveredJobs, 0);
    });
  }

  it("verifies a block's attestation unless the node already verified that exact aggregate", async () => {
    const batchSizes: number[] = [];
    const counting = {
      verifySignatureSets: (sets: SignatureSet[]) => {
        batchSizes.push(sets.length);
        return pool.verifySignatureSets(sets);
      },
    };
    t = await openTestChain({validators: 64, blsVerifier: counting});
    const v = new InProcessValidators(t.chain, 64);
    await runSlots(t, v, 3);
    await advanceTo(t, 4);
    const headHex = toHex(t.chain.getHead().root);
    const [aggregate, other] = t.chain.getPoolAttestations({slot: 3});
    assert.ok(aggregate !== undefined && other !== undefined);

    // The pool's aggregate with another aggregate's signature: verified, and refused.
    const forged = {...aggregate, signature: other.signature};
    batchSizes.length = 0;
    await rejects(t.chain.processBlock(buildBlock(t.chain, headHex, 4, {body: {attestations: [forged]}}), "api"), BlockErrorCode.INVALID, "INVALID_SIGNATURE");
    assert.deepEqual(batchSizes, [1, 2], "the proposer (gossip validation), then randao and the attestation");
    // The pool's aggregate as it is: only the proposer's and the randao signatures are checked.
    batchSizes.length = 0;
    const imported = await t.chain.processBlock(buildBlock(t.chain, headHex, 4, {body: {attestations: [aggregate]}}), "api");
    assert.equal(imported.slot, 4);
    assert.deepEqual(batchSizes, [1, 1], "the proposer (gossip validation), then randao");
  });

  it("refuses a block that does not descend from the finalized checkpoint", async () => {
    t = await openTestChain({validators: 64});
    const v = new InProcessValidators(t.chain, 64);
    await runSlots(t, v, 5 * SLOTS_PER_EPOCH);
    const finalized = t.chain.getFinalizedCheckpoint();
    assert.ok(finalized.epoch >= 2);
    // A competitor of the block at slot 1, on the genesis block: long finalized past.
    const stale = ssz.SignedBeaconBlock.clone((await t.chain.getBlockById(1))!.signedBlock);
    stale.message.body.graffiti = new Uint8Array(32).fill(3);
    await rejects(t.chain.processBlock(stale, "api"), BlockErrorCode.WOULD_REVERT_FINALIZED);
    // A block whose parent is an unfinalized block but whose slot is at the finalized slot.
    const atFinalizedSlot = ssz.SignedBeaconBlock.clone((await t.chain.getBlockById("head"))!.signedBlock);
    atFinalizedSlot.message.slot = finalized.epoch * SLOTS_PER_EPOCH;
    await rejects(t.chain.processBlock(atFinalizedSlot, "api"), BlockErrorCode.WOULD_REVERT_FINALIZED);
  });

  it("emits block, head and chain_reorg events, and a re-org follows the heavier branch", async () => {
    t = await openTestChain({validators: 64});
    const v = new InProcessValidators(t.chain, 64);
    await runSlots(t, v, 4);
    const events: string[] = [];
    const reorgs: {depth: number; slot: number}[] = [];
    t.chain.events.on("block", (e) => events.push(`block ${e.slot}`));
    t.chain.events.on("head", (e) => events.push(`head ${e.slot}`));
    t.chain.events.on("chain_reorg", (e) => reorgs.push({depth: e.depth, slot: e.slot}));

    const parentHex = toHex(t.chain.getHead().root);
    // Two competing blocks: A at slot 5 arrives late (no proposer boost), B at slot 6 on the same parent arrives on time.
    await advanceTo(t, 5, 5000);
    const a = await t.chain.processBlock(buildBlock(t.chain, parentHex, 5), "gossip");
    assert.equal(toHex(t.chain.getHead().root), toHex(a.root));
    await advanceTo(t, 6);
    const b = await t.chain.processBlock(buildBlock(t.chain, parentHex, 6), "gossip");
    assert.equal(toHex(t.chain.getHead().root), toHex(b.root), "the timely block wins with the proposer boost");
    assert.deepEqual(events, ["block 5", "head 5", "block 6", "head 6"]);
    assert.deepEqual(reorgs, [{depth: 1, slot: 6}]);
    const headers = await t.chain.getHeaders({parentRoot: Buffer.from(parentHex.slice(2), "hex")});
    assert.deepEqual(headers.map((h) => [h.header.message.slot, h.canonical]), [[6, true], [5, false]]);
    assert.equal(t.chain.getHeads().length, 2);
  });
});
