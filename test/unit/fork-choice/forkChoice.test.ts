import {strict as assert} from "node:assert";
import {useNetwork} from "../../../src/params/index.ts";
import {ForkChoice, type CheckpointHex} from "../../../src/fork-choice/forkChoice.ts";
import {ForkChoiceError} from "../../../src/fork-choice/errors.ts";
import {getProposerHead} from "../../../src/fork-choice/proposerHead.ts";
import type {ProtoBlock, RootHex} from "../../../src/fork-choice/protoArray/interface.ts";
import {ZERO_ROOT, makeForkChoice, presetConfig, root, summary, uniformBalances} from "./helpers.ts";
import {specGetHead} from "./specReference.ts";
import {mulberry32} from "../../../src/util/seededRandom.ts";

const ETH = 1_000_000_000n;

function expectCode(fn: () => unknown, code: string): void {
  assert.throws(fn, (e: unknown) => e instanceof ForkChoiceError && e.code === code);
}

/** A linear chain of blocks at slots 1..n with roots root(1)..root(n). */
function chain(fc: ForkChoice, n: number, over: (slot: number) => Partial<Parameters<ForkChoice["onBlock"]>[0]> = () => ({})) {
  for (let s = 1; s <= n; s++) fc.onBlock(summary(s, root(s), root(s - 1), over(s)));
}

describe("fork-choice: ForkChoice", () => {
  before(() => useNetwork("minimal"));
  after(() => useNetwork("mainnet"));

  it("moves the head with the votes (re-org) and reports spec weights", () => {
    const fc = makeForkChoice({time: 18});
    fc.onBlock(summary(1, root(1), root(0)));
    fc.onBlock(summary(2, root(2), root(1)));
    fc.onBlock(summary(1, root(3), root(0)));
    fc.updateLatestMessages([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 0, root(2));
    fc.updateLatestMessages([10, 11, 12, 13, 14], 0, root(3));
    assert.equal(fc.getHead().blockRoot, root(2));
    assert.equal(fc.getWeight(root(1)), 320n * ETH);
    assert.equal(fc.getWeight(root(3)), 160n * ETH);
    assert.equal(fc.getWeight(root(0)), 480n * ETH);

    // A newer target epoch replaces the message; an equal one does not.
    fc.onTick(48);
    fc.updateLatestMessages([0, 1, 2, 3, 4, 5], 1, root(3));
    fc.updateLatestMessages([10], 0, root(2));
    assert.equal(fc.getHead().blockRoot, root(3));
    assert.equal(fc.getWeight(root(3)), 352n * ETH);
    assert.equal(fc.getWeight(root(2)), 128n * ETH);
    assert.deepEqual(fc.getLatestMessage(0), {epoch: 1, root: root(3)});
    assert.deepEqual(fc.getLatestMessage(10), {epoch: 0, root: root(3)});
  });

  it("boosts the first timely block of the slot until the next slot starts", () => {
    const fc = makeForkChoice({time: 18}); // slot 3, 0 ms into it
    fc.onBlock(summary(2, root(2), root(0)));
    fc.updateLatestMessages([0, 1, 2], 0, root(2));
    fc.onBlock(summary(3, root(3), root(0)));
    assert.equal(fc.proposerBoostRoot, root(3));
    // committee weight 2048 ETH / 8 slots = 256 ETH; 40% of it.
    assert.equal(fc.getProposerScore(), 102_400_000_000n);
    assert.equal(fc.getWeight(root(3)), 102_400_000_000n);
    assert.equal(fc.getWeight(root(0)), 96n * ETH + 102_400_000_000n);
    assert.equal(fc.getHead().blockRoot, root(3));

    // A second block of the same slot gets no boost.
    fc.onBlock(summary(3, root(4), root(0)));
    assert.equal(fc.proposerBoostRoot, root(3));

    fc.onTick(24);
    assert.equal(fc.proposerBoostRoot, null);
    assert.equal(fc.getWeight(root(3)), 0n);
    assert.equal(fc.getHead().blockRoot, root(2));

    // 2 s into slot 4 is past the attestation deadline (1999 ms): late, no boost.
    fc.onTick(26);
    fc.onBlock(summary(4, root(5), root(0)));
    assert.equal(fc.getBlock(root(5))?.timely, false);
    assert.equal(fc.proposerBoostRoot, null);
  });

  it("drops an equivocating validator's weight and ignores its later votes", () => {
    const fc = makeForkChoice({time: 18});
    fc.onBlock(summary(1, root(1), root(0)));
    fc.onBlock(summary(1, root(2), root(0)));
    fc.updateLatestMessages([0, 1, 2, 3, 4], 0, root(1));
    fc.updateLatestMessages([5, 6, 7, 8], 0, root(2));
    assert.equal(fc.getHead().blockRoot, root(1));
    fc.addEquivocatingIndices([0, 1]);
    assert.equal(fc.getWeight(root(1)), 96n * ETH);
    assert.equal(fc.getHead().blockRoot, root(2));
    fc.onTick(48);
    fc.updateLatestMessages([0, 1], 1, root(1));
    assert.equal(fc.getWeight(root(1)), 96n * ETH);
    assert.deepEqual(fc.snapshot().equivocatingIndices, [0, 1]);
  });

  it("pulls up unrealized justification at the next epoch, or at once for a block of a prior epoch", () => {
    const fc = makeForkChoice({time: 54}); // slot 9, epoch 1
    chain(fc, 9, (s) =>
      s === 9 ? {unrealizedJustified: {epoch: 1, root: root(8)}, unrealizedFinalized: {epoch: 0, root: root(0)}} : {}
    );
    assert.deepEqual(fc.justifiedCheckpoint, {epoch: 0, root: root(0)});
    assert.deepEqual(fc.unrealizedJustifiedCheckpoint, {epoch: 1, root: root(8)});
    assert.deepEqual(fc.getVotingSource(root(9)), {epoch: 0, root: root(0)});
    fc.onTick(96); // slot 16: first slot of epoch 2
    assert.deepEqual(fc.justifiedCheckpoint, {epoch: 1, root: root(8)});
    assert.deepEqual(fc.getVotingSource(root(9)), {epoch: 1, root: root(8)});

    const fc2 = makeForkChoice({time: 96});
    chain(fc2, 9, (s) => (s === 9 ? {unrealizedJustified: {epoch: 1, root: root(8)}} : {}));
    assert.deepEqual(fc2.justifiedCheckpoint, {epoch: 1, root: root(8)});
  });

  it("catches up every slot on a long tick and runs the epoch pull-up once per boundary", () => {
    const fc = makeForkChoice({time: 54});
    chain(fc, 9, (s) => (s === 9 ? {unrealizedJustified: {epoch: 1, root: root(8)}} : {}));
    fc.onTick(10_000);
    assert.equal(fc.time, 10_000);
    assert.equal(fc.getCurrentSlot(), 1666);
    assert.deepEqual(fc.justifiedCheckpoint, {epoch: 1, root: root(8)});
    expectCode(() => makeForkChoice({time: 0}).onTick(-1), "INVALID_TIME");
  });

  it("prunes below the finalized block, keeping votes and weights right", () => {
    const pruned: RootHex[] = [];
    const balances = uniformBalances(64);
    const fc = new ForkChoice({
      config: presetConfig(),
      genesisTime: 0,
      time: 243, // late in slot 40: no block gets the boost
      anchorEpoch: 0,
      anchor: {slot: 0, blockRoot: root(0), parentRoot: ZERO_ROOT, stateRoot: ZERO_ROOT, proposerIndex: 0},
      getJustifiedBalances: () => balances,
      pruneThreshold: 8,
      onPrune: (blocks) => pruned.push(...blocks.map((b) => b.blockRoot)),
    });
    const justified = {epoch: 4, root: root(32)};
    const finalized = {epoch: 3, root: root(24)};
    chain(fc, 32);
    fc.onBlock(summary(30, root(1000), root(29))); // a fork that survives pruning
    fc.updateLatestMessages([0, 1, 2], 1, root(10));
    fc.updateLatestMessages([5, 6, 7], 3, root(1000));
    assert.equal(fc.getHead().blockRoot, root(1000));

    for (let s = 33; s <= 40; s++) {
      fc.onBlock(summary(s, root(s), root(s - 1), {justified, finalized, unrealizedJustified: justified, unrealizedFinalized: finalized}));
    }
    fc.updateLatestMessages([3, 4], 3, root(35));
    assert.deepEqual(fc.finalizedCheckpoint, finalized);
    assert.equal(fc.getHead().blockRoot, root(40));
    assert.equal(pruned.length, 24);
    assert.equal(pruned[0], root(0));
    assert.equal(fc.snapshot().blocks.length, 18);
    assert.equal(fc.hasBlock(root(23)), false);
    assert.deepEqual(fc.getLatestMessage(0), {epoch: 1, root: null});
    assert.equal(fc.getWeight(root(32)), 64n * ETH);
    assert.equal(fc.getWeight(root(24)), 160n * ETH);

    // Votes keep moving after the shift.
    fc.updateLatestMessages([0, 1, 2, 3, 4, 5, 6, 7], 4, root(1000));
    assert.equal(fc.getWeight(root(32)), 0n);
    // 1000 forks off 29, below the justified block 32: not in the filtered tree.
    assert.equal(fc.getHead().blockRoot, root(40));
    assert.equal(fc.getWeight(root(1000)), 256n * ETH);
  });

  it("refuses bad attestations with a code naming the failed check and leaves the store as it was", () => {
    const fc = makeForkChoice({time: 54}); // slot 9, epoch 1
    chain(fc, 9);
    fc.updateLatestMessages([1], 1, root(9));
    const before = JSON.stringify(fc.snapshot());
    const base = {slot: 8, beaconBlockRoot: root(8), targetEpoch: 1, targetRoot: root(8)};
    fc.validateOnAttestation(base, false);
    const cases: Array<[Partial<typeof base>, boolean, string]> = [
      [{slot: 30, targetEpoch: 3}, false, "INVALID_ATTESTATION_TARGET_EPOCH_NOT_CURRENT_OR_PREVIOUS"],
      [{slot: 30, targetEpoch: 3}, true, "INVALID_ATTESTATION_FUTURE_SLOT"],
      [{slot: 7}, false, "INVALID_ATTESTATION_TARGET_EPOCH_SLOT_MISMATCH"],
      [{targetRoot: root(77)}, false, "INVALID_ATTESTATION_UNKNOWN_TARGET_ROOT"],
      [{beaconBlockRoot: root(77)}, false, "INVALID_ATTESTATION_UNKNOWN_HEAD_BLOCK"],
      [{beaconBlockRoot: root(9)}, false, "INVALID_ATTESTATION_FUTURE_HEAD_BLOCK"],
      [{targetRoot: root(7)}, false, "INVALID_ATTESTATION_INCONSISTENT_TARGET"],
      [{slot: 9, beaconBlockRoot: root(9)}, false, "INVALID_ATTESTATION_FUTURE_SLOT"],
    ];
    for (const [over, fromBlock, code] of cases) {
      expectCode(() => fc.validateOnAttestation({...base, ...over}, fromBlock), code);
    }
    // Slot 0 of epoch 0 is fine once slot 1 has begun.
    fc.validateOnAttestation({slot: 0, beaconBlockRoot: root(0), targetEpoch: 0, targetRoot: root(0)}, true);
    assert.equal(JSON.stringify(fc.snapshot()), before);
  });

  it("refuses blocks that on_block must reject before the state transition", () => {
    const fc = makeForkChoice({time: 60}); // slot 10
    chain(fc, 9);
    fc.onBlock(summary(8, root(100), root(5)));
    fc.updateCheckpoints({epoch: 1, root: root(8)}, {epoch: 1, root: root(8)});
    const before = JSON.stringify(fc.snapshot());
    fc.validateBlock(10, root(9));
    expectCode(() => fc.validateBlock(10, root(77)), "UNKNOWN_PARENT");
    expectCode(() => fc.validateBlock(11, root(9)), "FUTURE_SLOT");
    expectCode(() => fc.validateBlock(8, root(7)), "NOT_AFTER_FINALIZED_SLOT");
    expectCode(() => fc.validateBlock(10, root(100)), "NOT_DESCENDANT_OF_FINALIZED");
    assert.equal(JSON.stringify(fc.snapshot()), before);
  });

  it("re-orgs a late, weak head onto a strong parent (get_proposer_head)", () => {
    const fc = makeForkChoice({time: 6});
    fc.onBlock(summary(1, root(1), root(0)));
    fc.onTick(14); // slot 2, 2 s in: the block is late
    fc.onBlock(summary(2, root(2), root(1)));
    assert.equal(fc.getBlock(root(2))?.timely, false);
    // Parent threshold: 160% of a 256 ETH committee = 409.6 ETH; 13 votes of 32 ETH = 416 ETH.
    fc.updateLatestMessages([...Array(13).keys()], 0, root(1));
    fc.onTick(18); // slot 3, on time
    const none = () => 0n;
    assert.equal(fc.getHead().blockRoot, root(2));
    assert.equal(getProposerHead(fc, root(2), 3, none), root(1));
    // Head weight threshold: 20% of 256 ETH = 51.2 ETH. Two votes (64 ETH) make it strong.
    fc.updateLatestMessages([20, 21], 0, root(2));
    assert.equal(getProposerHead(fc, root(2), 3, none), root(2));
    // Equivocating committee members count towards the head's weight (is_head_weak's note).
    fc.addEquivocatingIndices([20]);
    assert.equal(getProposerHead(fc, root(2), 3, none), root(1));
    assert.equal(getProposerHead(fc, root(2), 3, () => 32n * ETH), root(2));
    // Not when proposing late, and never more than one slot back.
    fc.onTick(20);
    assert.equal(getProposerHead(fc, root(2), 3, none), root(2));
    assert.equal(getProposerHead(fc, root(2), 4, none), root(2));
  });

  it("refuses get_proposer_head while the head still has the boost", () => {
    const fc = makeForkChoice({time: 6});
    fc.onBlock(summary(1, root(1), root(0)));
    assert.equal(fc.proposerBoostRoot, root(1));
    expectCode(() => getProposerHead(fc, root(1), 2, () => 0n), "PROPOSER_BOOST_NOT_WORN_OFF");
  });

  for (const pruneThreshold of [1_000_000, 3]) {
    it(`agrees with the spec's get_head on random stores (prune threshold ${pruneThreshold})`, function () {
      this.timeout(120_000);
      for (let seed = 1; seed <= 25; seed++) randomScenario(seed, pruneThreshold);
    });
  }
});

function randomScenario(seed: number, pruneThreshold: number): void {
  const rand = mulberry32(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  const nValidators = 48;
  const balances = {
    balances: Uint16Array.from({length: nValidators}, () => int(0, 32)),
    totalActiveBalance: BigInt(int(1000, 2000)) * ETH + BigInt(int(0, 999_999_999)),
  };
  const fc = new ForkChoice({
    config: presetConfig(),
    genesisTime: 100,
    time: 100,
    anchorEpoch: 0,
    anchor: {slot: 0, blockRoot: root(0), parentRoot: ZERO_ROOT, stateRoot: ZERO_ROOT, proposerIndex: 0},
    getJustifiedBalances: () => balances,
    pruneThreshold,
  });
  const slotsPerEpoch = 8;
  let nextRoot = 1;
  for (let step = 0; step < 160; step++) {
    const op = rand();
    const known = fc.snapshot().blocks;
    const currentSlot = fc.getCurrentSlot();
    if (op < 0.15) {
      fc.onTick(fc.time + int(0, 14));
    } else if (op < 0.55) {
      const parent = known[int(0, known.length - 1)];
      if (parent.slot + 1 > currentSlot) continue;
      const slot = int(parent.slot + 1, Math.min(currentSlot, parent.slot + 4));
      try {
        fc.validateBlock(slot, parent.blockRoot);
      } catch {
        continue;
      }
      const epoch = Math.floor(slot / slotsPerEpoch);
      const cpOf = (e: number): CheckpointHex => {
        const start = e * slotsPerEpoch;
        if (start >= slot) return {epoch: e, root: root(nextRoot)};
        const r = fc.getAncestor(parent.blockRoot, start);
        return r === null ? fc.finalizedCheckpoint : {epoch: e, root: r};
      };
      const fin = int(0, Math.max(0, epoch - 2));
      const just = int(fin, Math.max(fin, epoch - 1));
      const uFin = int(fin, Math.max(fin, epoch - 1));
      const uJust = int(Math.max(just, uFin), Math.max(just, uFin, epoch));
      fc.onBlock(
        summary(slot, root(nextRoot), parent.blockRoot, {
          proposerIndex: int(0, 3),
          justified: cpOf(just),
          finalized: cpOf(fin),
          unrealizedJustified: cpOf(uJust),
          unrealizedFinalized: cpOf(uFin),
        })
      );
      nextRoot++;
    } else if (op < 0.95) {
      const target = known[int(0, known.length - 1)] as ProtoBlock;
      if (target.slot > currentSlot) continue;
      const epoch = int(Math.floor(target.slot / slotsPerEpoch), Math.floor(currentSlot / slotsPerEpoch));
      const voters = Array.from({length: int(1, 6)}, () => int(0, nValidators - 1));
      fc.updateLatestMessages(voters, epoch, target.blockRoot);
    } else {
      fc.addEquivocatingIndices([int(0, nValidators - 1)]);
    }

    const head = fc.getHead().blockRoot;
    const spec = specGetHead(fc.config, fc.snapshot(), balances);
    const ctx = `seed ${seed} step ${step}`;
    assert.equal(head, spec.head, ctx);
    const leaves = new Map(fc.getViableForHeadRootsAndWeights().map((l) => [l.root, l.weight]));
    assert.deepEqual(leaves, spec.leaves, ctx);
    for (const [r, w] of spec.weights) assert.equal(fc.getWeight(r), w, `${ctx} weight of ${r}`);
  }
}
