/** Synthetic blocks and a fork choice over them, for the fork-choice unit tests. */
import {ACTIVE_PRESET, createChainConfig, type ChainConfig} from "../../../src/params/index.ts";
import {ForkChoice, type BlockSummary, type CheckpointHex, type JustifiedBalances} from "../../../src/fork-choice/forkChoice.ts";
import type {ProtoBlock, RootHex} from "../../../src/fork-choice/protoArray/interface.ts";

export const ZERO_ROOT: RootHex = "0x" + "00".repeat(32);

/** A distinct root per number; bigger numbers give lexicographically bigger roots. */
export function root(n: number): RootHex {
  return "0x01" + n.toString(16).padStart(62, "0");
}

export function protoBlock(slot: number, blockRoot: RootHex, parentRoot: RootHex, over: Partial<ProtoBlock> = {}): ProtoBlock {
  return {
    slot,
    blockRoot,
    parentRoot,
    stateRoot: ZERO_ROOT,
    proposerIndex: 0,
    justifiedEpoch: 0,
    justifiedRoot: root(0),
    finalizedEpoch: 0,
    finalizedRoot: root(0),
    unrealizedJustifiedEpoch: 0,
    unrealizedJustifiedRoot: root(0),
    unrealizedFinalizedEpoch: 0,
    unrealizedFinalizedRoot: root(0),
    timely: true,
    ...over,
  };
}

export function summary(slot: number, blockRoot: RootHex, parentRoot: RootHex, over: Partial<BlockSummary> = {}): BlockSummary {
  const genesis: CheckpointHex = {epoch: 0, root: root(0)};
  return {
    slot,
    blockRoot,
    parentRoot,
    stateRoot: ZERO_ROOT,
    proposerIndex: slot,
    justified: genesis,
    finalized: genesis,
    unrealizedJustified: genesis,
    unrealizedFinalized: genesis,
    ...over,
  };
}

/** `n` validators of `increments` each, all active and unslashed in every justified state. */
export function uniformBalances(n: number, increments = 32, incrementGwei = 1_000_000_000): JustifiedBalances {
  return {
    balances: new Uint16Array(n).fill(increments),
    totalActiveBalance: BigInt(n) * BigInt(increments) * BigInt(incrementGwei),
  };
}

/** The base config of the process's preset (the tests select it). */
export function presetConfig(): ChainConfig {
  return createChainConfig(ACTIVE_PRESET);
}

export function makeForkChoice(opts: {balances?: JustifiedBalances; pruneThreshold?: number; time?: number; config?: ChainConfig} = {}): ForkChoice {
  const balances = opts.balances ?? uniformBalances(64);
  return new ForkChoice({
    config: opts.config ?? presetConfig(),
    genesisTime: 0,
    time: opts.time ?? 0,
    anchorEpoch: 0,
    anchor: {slot: 0, blockRoot: root(0), parentRoot: ZERO_ROOT, stateRoot: ZERO_ROOT, proposerIndex: 0},
    getJustifiedBalances: () => balances,
    pruneThreshold: opts.pruneThreshold,
  });
}
