/**
 * A vote verified and pooled under one branch's attester shuffling is no vote in a block on a
 * branch whose shuffling for the same epoch was decided by another block: there its bits name
 * other validators and its signature does not verify. Two branches of one chain fork in epoch 0,
 * before the decision slot of epoch 2 (slot 7), with blocks at different slots, so their epoch-2
 * seeds, and committees, differ.
 */
import {strict as assert} from "node:assert";
import {BitArray} from "@chainsafe/ssz";
import {FakeTime} from "../../../src/clock/index.ts";
import {interopSecretKey, sign} from "../../../src/crypto/index.ts";
import {BeaconDb} from "../../../src/db/index.ts";
import {BlockErrorCode, BlockImportError, openChain, type BeaconChain} from "../../../src/chain/index.ts";
import {GossipAction} from "../../../src/chain/gossip/interface.ts";
import {computeSubnetForAttestation} from "../../../src/chain/validation/subnet.ts";
import {computeShufflingDependentSlot} from "../../../src/fork-choice/index.ts";
import {DOMAIN_BEACON_ATTESTER, DOMAIN_BEACON_PROPOSER, DOMAIN_RANDAO} from "../../../src/params/index.ts";
import {computeDomain, computeEpochAtSlot, computeSigningRoot} from "../../../src/state-transition/index.ts";
import {primitive, ssz, type Attestation, type AttestationData, type BeaconBlock, type SignedBeaconBlock} from "../../../src/types/index.ts";
import {fromHex, toHex} from "../../../src/util/bytes.ts";
import {GENESIS_TIME, buildBlock, devConfig, interopGenesis, useDevNetwork} from "./helpers.ts";

const VALIDATORS = 64;
const EPOCH = 2;
/** Branch A's block before the decision slot of EPOCH, and branch B's at it: each branch's epoch-0 randao mix has a reveal the other lacks. */
const A_FORK_SLOT = 6;
const B_FORK_SLOT = 7;
/** Branch A's block at EPOCH's first slot, which the vote names. */
const VOTE_SLOT = 16;

describe("chain: a pooled vote and blocks on another branch's shuffling", function () {
  this.timeout(60_000);

  let chain: BeaconChain;
  let time: FakeTime;

  before(() => useDevNetwork(6));

  beforeEach(async () => {
    time = new FakeTime(GENESIS_TIME * 1000);
    ({chain} = await openChain({
      db: BeaconDb.inMemory(),
      genesisState: () => interopGenesis(VALIDATORS),
      network: {preset: "minimal", configOverrides: {}},
      config: devConfig(),
      time,
    }));
    chain.start();
  });

  afterEach(async () => {
    await chain.stop();
  });

  async function advanceToSlot(slot: number, ms = 0): Promise<void> {
    const target = chain.clock.slotStartMs(slot) + ms;
    if (target > time.now()) time.advance(target - time.now());
    await chain.lock.run(async () => undefined);
  }

  /** Builds and imports a block on `parentRootHex` at its slot; returns its root. */
  async function importOn(parentRootHex: string, slot: number): Promise<string> {
    await advanceToSlot(slot);
    const signed = buildBlock(chain, parentRootHex, slot);
    await chain.processBlock(signed, "api");
    return toHex(ssz.BeaconBlock.hashTreeRoot(signed.message));
  }

  function committeeOn(branchRootHex: string, slot: number, index: number): number[] {
    return Array.from(chain.regen.getStateAtSlot(branchRootHex, slot).epochCtx.getBeaconCommittee(slot, index));
  }

  function domain(type: Uint8Array): Uint8Array {
    return computeDomain(type, chain.config.GENESIS_FORK_VERSION, chain.genesis.genesisValidatorsRoot);
  }

  /** The single-bit vote of the committee member at `position`, signed by the validator `committee` names there. */
  function vote(data: AttestationData, committee: number[], position: number): Attestation {
    const signingRoot = computeSigningRoot(ssz.AttestationData, data, domain(DOMAIN_BEACON_ATTESTER));
    return {aggregation_bits: BitArray.fromSingleBit(committee.length, position), data, signature: sign(interopSecretKey(committee[position]), signingRoot)};
  }

  async function gossipVote(attestation: Attestation, branchRootHex: string): Promise<void> {
    const {slot, index} = attestation.data;
    const perSlot = chain.regen.getStateAtSlot(branchRootHex, slot).epochCtx.getCommitteeCountPerSlot(computeEpochAtSlot(slot));
    const subnet = computeSubnetForAttestation(chain.config, perSlot, slot, index);
    const v = await chain.gossip.onGossip({kind: "beacon_attestation", subnet, value: attestation}, chain.clock.nowMs());
    assert.equal(v.action, GossipAction.ACCEPT, `vote for ${toHex(attestation.data.beacon_block_root)} at slot ${slot}: ${v.reason}`);
  }

  function randaoReveal(parentRootHex: string, slot: number): Uint8Array {
    const proposer = chain.regen.getStateAtSlot(parentRootHex, slot).epochCtx.getBeaconProposer(slot);
    return sign(interopSecretKey(proposer), computeSigningRoot(primitive.Uint64, computeEpochAtSlot(slot), domain(DOMAIN_RANDAO)));
  }

  const sameVote = (a: Attestation) => (b: Attestation) =>
    toHex(ssz.Attestation.hashTreeRoot(a)) === toHex(ssz.Attestation.hashTreeRoot(b));

  interface Fork {
    /** Branch A's block at VOTE_SLOT and branch B's latest block (at B_FORK_SLOT). */
    a: string;
    b: string;
    /** A vote for `a` by a validator whose committee position names another validator on branch B, verified and pooled. */
    pooled: Attestation;
  }

  /** One chain with branches A and B forked before EPOCH's decision slot, and a pooled vote for A's block of EPOCH. */
  async function forkWithPooledVote(): Promise<Fork> {
    assert.ok(A_FORK_SLOT < B_FORK_SLOT && B_FORK_SLOT <= computeShufflingDependentSlot(EPOCH), "both branches fork at or before the decision slot");
    const genesis = chain.headRoot;
    const common = await importOn(genesis, 1);
    const forkA = await importOn(common, A_FORK_SLOT);
    const b = await importOn(common, B_FORK_SLOT);
    const a = await importOn(forkA, VOTE_SLOT);
    assert.equal(chain.forkChoice.getShufflingDependentRoot(a, EPOCH), forkA);
    assert.equal(chain.forkChoice.getShufflingDependentRoot(b, EPOCH), b);

    await advanceToSlot(VOTE_SLOT, Math.floor(chain.config.SLOT_DURATION_MS / 3));
    const data = dataFor(a, VOTE_SLOT);
    assert.equal(data.target.epoch, EPOCH);

    const onA = committeeOn(a, VOTE_SLOT, 0);
    const onB = committeeOn(b, VOTE_SLOT, 0);
    assert.equal(onA.length, onB.length);
    const position = onA.findIndex((validator, i) => validator !== onB[i]);
    assert.ok(position >= 0, `epoch ${EPOCH} committees agree on both branches: ${onA} / ${onB}`);

    const pooled = vote(data, onA, position);
    await gossipVote(pooled, a);
    assert.ok(chain.knownAggregates.has(toHex(ssz.AttestationData.hashTreeRoot(data)), pooled.aggregation_bits, pooled.signature));
    return {a, b, pooled};
  }

  it("refuses a branch-B block carrying the pooled branch-A vote, and imports a branch-A block carrying it", async () => {
    const {a, b, pooled} = await forkWithPooledVote();
    const slot = VOTE_SLOT + 1;
    await advanceToSlot(slot);

    const onB = buildBlock(chain, b, slot, {body: {attestations: [pooled]}});
    await assert.rejects(chain.processBlock(onB, "api"), (e: unknown) => {
      assert.ok(e instanceof BlockImportError, String(e));
      assert.equal(e.code, BlockErrorCode.INVALID);
      assert.equal(e.reason, "INVALID_SIGNATURE");
      return true;
    });
    assert.equal(chain.forkChoice.hasBlock(toHex(ssz.BeaconBlock.hashTreeRoot(onB.message))), false);

    // The same block on B without the vote is valid: the vote alone made it invalid.
    const plainOnB = buildBlock(chain, b, slot);
    await chain.processBlock(plainOnB, "api");

    const onA = buildBlock(chain, a, slot, {body: {attestations: [pooled]}});
    const imported = await chain.processBlock(onA, "api");
    assert.equal(toHex(imported.root), toHex(ssz.BeaconBlock.hashTreeRoot(onA.message)));
    assert.ok(chain.forkChoice.hasBlock(toHex(imported.root)));
  });

  it("packs the pooled branch-A vote into a block produced on branch A and leaves it out on branch B", async () => {
    const {a, b, pooled} = await forkWithPooledVote();

    // Slot 17: the vote for A counts and nothing votes for B: the head is A.
    const onASlot = VOTE_SLOT + 1;
    await advanceToSlot(onASlot);
    assert.equal(chain.headRoot, a);
    const producedOnA = (await chain.produceBlock(onASlot, randaoReveal(a, onASlot), new Uint8Array(32))).block;
    assert.equal(toHex(producedOnA.parent_root), a);
    assert.ok(producedOnA.body.attestations.some(sameVote(pooled)), "the vote is packed on its own branch");
    await chain.processBlock(signBlock(producedOnA), "api");

    // Branch B's slot-17 committees vote for B (all but the validator who voted for A): from slot 18 B is the head.
    await advanceToSlot(onASlot, Math.floor(chain.config.SLOT_DURATION_MS / 3));
    const bData = dataFor(b, onASlot);
    const perSlot = chain.regen.getStateAtSlot(b, onASlot).epochCtx.getCommitteeCountPerSlot(EPOCH);
    const voterOnA = committeeOn(a, VOTE_SLOT, 0)[pooled.aggregation_bits.getSingleTrueBit()!];
    let votesForB = 0;
    for (let index = 0; index < perSlot; index++) {
      const committee = committeeOn(b, onASlot, index);
      for (let position = 0; position < committee.length; position++) {
        if (committee[position] === voterOnA) continue;
        await gossipVote(vote({...bData, index}, committee, position), b);
        votesForB++;
      }
    }
    assert.ok(votesForB >= 2, `only ${votesForB} votes for B`);

    const onBSlot = onASlot + 1;
    await advanceToSlot(onBSlot);
    assert.equal(chain.headRoot, b);
    const producedOnB = (await chain.produceBlock(onBSlot, randaoReveal(b, onBSlot), new Uint8Array(32))).block;
    assert.equal(toHex(producedOnB.parent_root), b);
    assert.ok(producedOnB.body.attestations.length > 0, "branch B's own votes are packed");
    assert.equal(producedOnB.body.attestations.some(sameVote(pooled)), false, "the branch-A vote is left out on B");

    // And the block produced on B is one the chain imports.
    await chain.processBlock(signBlock(producedOnB), "api");
  });

  /** Attestation data for `slot` voting for `rootHex`, with that branch's source; `rootHex` is also the target (the branch's latest block at the epoch's start). */
  function dataFor(rootHex: string, slot: number): AttestationData {
    const state = chain.regen.getStateAtSlot(rootHex, slot).state;
    return {
      slot,
      index: 0,
      beacon_block_root: fromHex(rootHex),
      source: state.current_justified_checkpoint.toValue(),
      target: {epoch: computeEpochAtSlot(slot), root: fromHex(rootHex)},
    };
  }

  function signBlock(block: BeaconBlock): SignedBeaconBlock {
    const sk = interopSecretKey(block.proposer_index);
    const signingRoot = computeSigningRoot(ssz.BeaconBlock, block, domain(DOMAIN_BEACON_PROPOSER));
    return {message: block, signature: sign(sk, signingRoot)};
  }
});
