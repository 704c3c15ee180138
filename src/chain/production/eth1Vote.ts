/**
 * validator.md "Eth1 data": get_eth1_vote, and the deposits a block must carry
 * (process_operations: exactly min(MAX_DEPOSITS, eth1_data.deposit_count - eth1_deposit_index),
 * where eth1_data is the state's after this block's own vote). The eth1 chain comes from an
 * Eth1ForProduction (the node's eth1 follower); the chain layer only defines what it needs.
 */
import {EPOCHS_PER_ETH1_VOTING_PERIOD, MAX_DEPOSITS, SLOTS_PER_EPOCH, type ChainConfig} from "../../params/index.ts";
import {ssz, type BeaconStateView, type Deposit, type Eth1Data} from "../../types/index.ts";
import {bytesEqual, toHex} from "../../util/bytes.ts";

/** An eth1 block as get_eth1_vote sees it: its timestamp and get_eth1_data(block). */
export interface Eth1Block {
  timestamp: number;
  eth1Data: Eth1Data;
}

export interface Eth1ForProduction {
  /** The followed blocks with fromTimestamp <= timestamp <= toTimestamp, ascending by height. */
  getBlocksByTimestamp(fromTimestamp: number, toTimestamp: number): Eth1Block[];
  /**
   * Deposits [start, end) with proofs against `eth1Data.deposit_root` (the root of the first
   * eth1Data.deposit_count deposits), or null when the follower does not hold them or its tree
   * has another root for that count.
   */
  getDeposits(start: number, end: number, eth1Data: Eth1Data): Deposit[] | null;
  /** The execution endpoint fails (beacon-APIs el_offline: health answers 206). */
  isOffline(): boolean;
}

/** The config values get_eth1_vote reads. */
export type Eth1VoteConfig = Pick<ChainConfig, "SECONDS_PER_SLOT" | "SECONDS_PER_ETH1_BLOCK" | "ETH1_FOLLOW_DISTANCE">;

export function votingPeriodStartTime(config: Eth1VoteConfig, state: BeaconStateView): number {
  const slotsPerPeriod = EPOCHS_PER_ETH1_VOTING_PERIOD * SLOTS_PER_EPOCH;
  const startSlot = state.slot - (state.slot % slotsPerPeriod);
  // compute_time_at_slot
  return state.genesis_time + startSlot * config.SECONDS_PER_SLOT;
}

export function isCandidateBlock(config: Eth1VoteConfig, block: Eth1Block, periodStart: number): boolean {
  const follow = config.SECONDS_PER_ETH1_BLOCK * config.ETH1_FOLLOW_DISTANCE;
  return block.timestamp + follow <= periodStart && block.timestamp + follow * 2 >= periodStart;
}

function eth1DataKey(d: Eth1Data): string {
  return `${d.deposit_count}:${toHex(d.deposit_root)}:${toHex(d.block_hash)}`;
}

/** The candidate window of the state's voting period, as timestamps (for getBlocksByTimestamp). */
export function candidateWindow(config: Eth1VoteConfig, state: BeaconStateView): {from: number; to: number} {
  const periodStart = votingPeriodStartTime(config, state);
  const follow = config.SECONDS_PER_ETH1_BLOCK * config.ETH1_FOLLOW_DISTANCE;
  return {from: periodStart - 2 * follow, to: periodStart - follow};
}

export function getEth1Vote(config: Eth1VoteConfig, state: BeaconStateView, eth1Chain: Eth1Block[]): Eth1Data {
  const periodStart = votingPeriodStartTime(config, state);
  const stateEth1Data = state.eth1_data.toValue();
  const votesToConsider = eth1Chain
    .filter((b) => isCandidateBlock(config, b, periodStart) && b.eth1Data.deposit_count >= stateEth1Data.deposit_count)
    .map((b) => b.eth1Data);
  const candidates = new Set(votesToConsider.map(eth1DataKey));
  const defaultVote = votesToConsider.length > 0 ? votesToConsider[votesToConsider.length - 1] : stateEth1Data;
  // max over the valid votes by (count, -first index): the most frequent, the earliest on a tie.
  // One pass with a count per distinct vote: a mainnet period holds up to 2048 votes.
  // Map order is first-occurrence order, so on a tie the strictly-greater test keeps the earliest.
  const counts = new Map<string, {vote: Eth1Data; count: number}>();
  for (const view of state.eth1_data_votes.getAllReadonly()) {
    const vote = view.toValue();
    const key = eth1DataKey(vote);
    if (!candidates.has(key)) continue;
    const entry = counts.get(key);
    if (entry === undefined) counts.set(key, {vote, count: 1});
    else entry.count++;
  }
  let best: {vote: Eth1Data; count: number} | null = null;
  for (const entry of counts.values()) if (best === null || entry.count > best.count) best = entry;
  return best?.vote ?? defaultVote;
}

/** state.eth1_data as process_eth1_data leaves it after a block voting `vote`. */
export function eth1DataAfterVote(state: BeaconStateView, vote: Eth1Data): Eth1Data {
  const voteRoot = ssz.Eth1Data.hashTreeRoot(vote);
  let count = 1;
  for (const stored of state.eth1_data_votes.getAllReadonly()) if (bytesEqual(stored.hashTreeRoot(), voteRoot)) count++;
  return count * 2 > EPOCHS_PER_ETH1_VOTING_PERIOD * SLOTS_PER_EPOCH ? vote : state.eth1_data.toValue();
}

/** The number of deposits a block with this post-vote eth1_data must carry. */
export function expectedDepositCount(state: BeaconStateView, eth1Data: Eth1Data): number {
  return Math.max(0, Math.min(MAX_DEPOSITS, eth1Data.deposit_count - state.eth1_deposit_index));
}

/**
 * The block's eth1 vote and deposits. If the follower cannot give the deposits the vote would
 * require, the block re-votes the state's eth1_data instead (a vote that never changes which
 * deposits are due); null deposits then means even those are unknown to the follower.
 */
export function eth1VoteAndDeposits(
  config: Eth1VoteConfig,
  state: BeaconStateView,
  eth1: Eth1ForProduction
): {eth1Data: Eth1Data; deposits: Deposit[] | null} {
  const window = candidateWindow(config, state);
  const vote = getEth1Vote(config, state, eth1.getBlocksByTimestamp(window.from, window.to));
  const deposits = depositsFor(state, eth1DataAfterVote(state, vote), eth1);
  if (deposits !== null) return {eth1Data: vote, deposits};
  const current = state.eth1_data.toValue();
  return {eth1Data: current, deposits: depositsFor(state, current, eth1)};
}

function depositsFor(state: BeaconStateView, eth1Data: Eth1Data, eth1: Eth1ForProduction): Deposit[] | null {
  const n = expectedDepositCount(state, eth1Data);
  if (n === 0) return [];
  return eth1.getDeposits(state.eth1_deposit_index, state.eth1_deposit_index + n, eth1Data);
}
