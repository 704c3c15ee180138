/**
 * validator.md get_eth1_vote on real states: candidates are the blocks between one and two follow
 * distances before the voting period's start with no fewer deposits than the state; the vote is
 * the most frequent valid vote of the period (the earliest on a tie), else the latest candidate,
 * else the state's eth1_data. And the deposits a block must carry after its own vote.
 */
import {strict as assert} from "node:assert";
import {eth1DataAfterVote, eth1VoteAndDeposits, expectedDepositCount, getEth1Vote, votingPeriodStartTime, type Eth1Block} from "../../../src/chain/production/eth1Vote.ts";
import {DepositDataTree} from "../../../src/eth1/depositTree.ts";
import {isValidMerkleBranch} from "../../../src/state-transition/index.ts";
import {DEPOSIT_CONTRACT_TREE_DEPTH} from "../../../src/params/index.ts";
import {fakeDeposit} from "./fakeExecution.ts";
import {useNetwork, type ChainConfig} from "../../../src/params/index.ts";
import {ssz, type Eth1Data} from "../../../src/types/index.ts";

const GENESIS = 1_000_000;

function eth1Data(tag: number, count: number): Eth1Data {
  return {deposit_root: new Uint8Array(32).fill(tag), deposit_count: count, block_hash: new Uint8Array(32).fill(tag + 100)};
}

function state(slot: number, current: Eth1Data, votes: Eth1Data[] = [], depositIndex = current.deposit_count) {
  const s = ssz.BeaconState.defaultViewDU();
  s.slot = slot;
  s.genesis_time = GENESIS;
  s.eth1_data = ssz.Eth1Data.toViewDU(current);
  s.eth1_deposit_index = depositIndex;
  for (const v of votes) s.eth1_data_votes.push(ssz.Eth1Data.toViewDU(v));
  s.commit();
  return s;
}

describe("get_eth1_vote", () => {
  let config: ChainConfig;
  let follow: number;
  let periodStart: number;
  const slot = 40; // minimal: voting periods of 32 slots, this one starts at slot 32

  before(() => {
    config = useNetwork("minimal");
    follow = config.SECONDS_PER_ETH1_BLOCK * config.ETH1_FOLLOW_DISTANCE;
    periodStart = GENESIS + 32 * config.SECONDS_PER_SLOT;
  });

  const block = (secondsBeforeStart: number, data: Eth1Data): Eth1Block => ({timestamp: periodStart - secondsBeforeStart, eth1Data: data});

  it("computes the voting period's start time", () => {
    assert.equal(votingPeriodStartTime(config, state(slot, eth1Data(1, 4))), periodStart);
    assert.equal(votingPeriodStartTime(config, state(31, eth1Data(1, 4))), GENESIS);
  });

  it("votes the latest candidate by default, never a block too new, too old, or with fewer deposits", () => {
    const s = state(slot, eth1Data(1, 4));
    const chain = [
      block(2 * follow + 1, eth1Data(2, 9)), // too old
      block(2 * follow, eth1Data(3, 5)),
      block(follow, eth1Data(4, 3)), // fewer deposits than the state
      block(follow + 1, eth1Data(5, 6)),
      block(follow - 1, eth1Data(6, 7)), // too new
    ].sort((a, b) => a.timestamp - b.timestamp);
    assert.deepEqual(getEth1Vote(config, s, chain), eth1Data(5, 6));
  });

  it("keeps the state's eth1_data when no block is a candidate", () => {
    const s = state(slot, eth1Data(1, 4));
    assert.deepEqual(getEth1Vote(config, s, [block(follow - 1, eth1Data(6, 7))]), eth1Data(1, 4));
    assert.deepEqual(getEth1Vote(config, s, []), eth1Data(1, 4));
  });

  it("joins the most frequent valid vote, the earliest on a tie, ignoring votes that are no candidate", () => {
    const a = eth1Data(7, 5);
    const b = eth1Data(8, 6);
    const bogus = eth1Data(9, 99);
    const chain = [block(follow + 20, a), block(follow + 10, b)];
    assert.deepEqual(getEth1Vote(config, state(slot, eth1Data(1, 4), [b, a, a]), chain), a);
    assert.deepEqual(getEth1Vote(config, state(slot, eth1Data(1, 4), [b, a]), chain), b);
    // A tie after counting goes to the vote cast first, even if the other reached the count first.
    assert.deepEqual(getEth1Vote(config, state(slot, eth1Data(1, 4), [b, a, a, b]), chain), b);
    assert.deepEqual(getEth1Vote(config, state(slot, eth1Data(1, 4), [bogus, bogus, bogus, a]), chain), a);
  });

  it("a block carrying the deciding vote must include the deposits the new eth1_data makes due", () => {
    const next = eth1Data(7, 40);
    const s = state(slot, eth1Data(1, 4), Array.from({length: 16}, () => next), 4);
    const after = eth1DataAfterVote(s, next);
    assert.deepEqual(after, next);
    assert.equal(expectedDepositCount(s, after), 16); // MAX_DEPOSITS
    const t = state(slot, eth1Data(1, 4), Array.from({length: 15}, () => next), 4);
    assert.deepEqual(eth1DataAfterVote(t, next), eth1Data(1, 4));
    assert.equal(expectedDepositCount(t, eth1Data(1, 4)), 0);
  });

  it("gives the due deposits with proofs against the new eth1_data, or re-votes the state's when they are unknown", () => {
    const tree = new DepositDataTree();
    for (let i = 0; i < 40; i++) tree.push(fakeDeposit(i));
    const next: Eth1Data = {deposit_root: tree.root(40), deposit_count: 40, block_hash: new Uint8Array(32).fill(3)};
    const current: Eth1Data = {deposit_root: tree.root(4), deposit_count: 4, block_hash: new Uint8Array(32).fill(2)};
    const s = state(slot, current, Array.from({length: 16}, () => next), 4);
    const known = {
      isOffline: () => false,
      getBlocksByTimestamp: () => [block(follow + 1, next)],
      getDeposits: (start: number, end: number, e: Eth1Data) => (e.deposit_count <= tree.count ? Array.from({length: end - start}, (_, i) => tree.getDeposit(start + i, e.deposit_count)) : null),
    };
    const produced = eth1VoteAndDeposits(config, s, known);
    assert.deepEqual(produced.eth1Data, next);
    assert.equal(produced.deposits!.length, 16);
    produced.deposits!.forEach((d, i) =>
      assert.ok(isValidMerkleBranch(ssz.DepositData.hashTreeRoot(d.data), d.proof, DEPOSIT_CONTRACT_TREE_DEPTH + 1, 4 + i, next.deposit_root))
    );
    // A follower without those deposits: the block does not flip eth1_data, and carries none.
    const unknown = {...known, getDeposits: (start: number, end: number, e: Eth1Data) => (e.deposit_count <= 4 ? [] : null)};
    const fallback = eth1VoteAndDeposits(config, s, unknown);
    assert.deepEqual(fallback.eth1Data, current);
    assert.deepEqual(fallback.deposits, []);
  });
});
