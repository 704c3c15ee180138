/**
 * The interop ("mock") genesis state that clients share for test networks: the deposits of
 * interop validators 0..n-1 run through initialize_beacon_state_from_eth1 with
 * eth1_block_hash = 0x42 * 32 and eth1_timestamp = 2**40, after which genesis_time is set to the
 * requested time. The caller gives the chain config and the time; the deposits are
 * signed on worker threads.
 */
import type {ChainConfig} from "../../params/index.ts";
import {initializeBeaconStateFromEth1, type CachedBeaconState} from "../../state-transition/index.ts";
import {InputError} from "../../util/errors.ts";
import {interopDepositsOnWorkers, type ProgressFn} from "./interopDeposits.ts";

export const INTEROP_ETH1_BLOCK_HASH = (): Uint8Array => new Uint8Array(32).fill(0x42);
export const INTEROP_ETH1_TIMESTAMP = 2 ** 40;

export interface InteropGenesisOptions {
  /** The chain config of the network the state is for (its fork version signs the deposits). */
  config: ChainConfig;
  validators: number;
  genesisTime: number;
  /** Progress of deposit creation (signing dominates). */
  onProgress?: ProgressFn;
  /** Called when a new phase starts (after the deposits: processing them into the state). */
  onPhase?: (phase: string) => void;
}

export async function createInteropGenesisState(opts: InteropGenesisOptions): Promise<CachedBeaconState> {
  const {validators, genesisTime} = opts;
  if (!Number.isSafeInteger(validators) || validators < 1) {
    throw new InputError(`interop genesis needs a positive validator count, got ${validators}`);
  }
  if (!Number.isSafeInteger(genesisTime) || genesisTime < 0) {
    throw new InputError(`genesis time must be a non-negative integer (unix seconds), got ${genesisTime}`);
  }
  const {deposits} = await interopDepositsOnWorkers(opts.config, validators, opts.onProgress);
  opts.onPhase?.(`initialize_beacon_state_from_eth1: processing ${validators} deposits`);
  const genesis = initializeBeaconStateFromEth1(opts.config, INTEROP_ETH1_BLOCK_HASH(), INTEROP_ETH1_TIMESTAMP, deposits);
  genesis.state.genesis_time = genesisTime;
  genesis.state.commit();
  return genesis;
}
