/**
 * Opening a chain on a database: the stored anchor and blocks if there are any (a restart), else
 * a new chain from a genesis state (written to the database in one batch first).
 */
import type {TimeSource} from "../clock/index.ts";
import type {AsyncSignatureVerifier} from "../crypto/index.ts";
import type {BeaconDb} from "../db/index.ts";
import {createChainConfig, isPresetName, type ChainConfig} from "../params/index.ts";
import {InputError} from "../util/errors.ts";
import type {BeaconStateView} from "../types/index.ts";
import type {Logger} from "../util/logger.ts";
import type {GossipSinkOptions} from "./gossip/sink.ts";
import {BeaconChain, type BeaconChainOptions} from "./chain.ts";
import {ChainRequestError, ChainRequestErrorCode} from "./errors.ts";
import {initCheckpointOps, initGenesisOps, readAnchor, type CheckpointAnchor, type StoredNetwork} from "./persist.ts";

export interface OpenChainOptions {
  db: BeaconDb;
  /** Used only when the database holds no chain yet. */
  genesisState?: () => Promise<BeaconStateView> | BeaconStateView;
  /** Used only when the database holds no chain yet, instead of genesisState: start from a finalized anchor. */
  checkpointAnchor?: () => Promise<CheckpointAnchor>;
  /** Recorded with a new chain, so a restart can check it runs on the same network. */
  network: StoredNetwork;
  /** The chain config; by default the one `network` names (its preset's base config plus its overrides). */
  config?: ChainConfig;
  logger?: Logger;
  time?: TimeSource;
  maxBlockStates?: number;
  maxCheckpointStates?: number;
  blsVerifier?: AsyncSignatureVerifier;
  gossip?: GossipSinkOptions;
  metrics?: BeaconChainOptions["metrics"];
}

export async function openChain(opts: OpenChainOptions): Promise<{chain: BeaconChain; created: boolean; replayed: number}> {
  let anchor = await readAnchor(opts.db);
  let created = false;
  if (anchor === null && opts.checkpointAnchor !== undefined) {
    await opts.db.batch(initCheckpointOps(opts.db, await opts.checkpointAnchor(), opts.network), true);
    anchor = await readAnchor(opts.db);
    if (anchor === null) throw new Error("the checkpoint anchor was written but cannot be read back");
    created = true;
  }
  if (anchor === null) {
    if (opts.genesisState === undefined) {
      throw new ChainRequestError(ChainRequestErrorCode.NOT_READY, `no chain is stored at ${opts.db.path} and no genesis state was given`);
    }
    const genesis = await opts.genesisState();
    const {ops} = initGenesisOps(opts.db, genesis, opts.network);
    await opts.db.batch(ops, true);
    anchor = await readAnchor(opts.db);
    if (anchor === null) throw new Error("genesis was written but cannot be read back");
    created = true;
  }
  const chain = new BeaconChain({
    config: opts.config ?? networkConfig(opts.network),
    db: opts.db,
    anchor,
    logger: opts.logger,
    time: opts.time,
    maxBlockStates: opts.maxBlockStates,
    maxCheckpointStates: opts.maxCheckpointStates,
    blsVerifier: opts.blsVerifier,
    gossip: opts.gossip,
    metrics: opts.metrics,
  });
  const replayed = await chain.replayStoredBlocks();
  return {chain, created, replayed};
}

/** The chain config a stored network names. */
export function networkConfig(network: StoredNetwork): ChainConfig {
  if (!isPresetName(network.preset)) throw new InputError(`unknown preset "${network.preset}"`);
  return createChainConfig(network.preset, network.configOverrides);
}
