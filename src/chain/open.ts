/**
 * Opening a chain on a database: the stored anchor and blocks if there are any (a restart), else
 * a new chain from a genesis state (written to the database in one batch first).
 */
import type {TimeSource} from "../clock/index.ts";
import type {AsyncSignatureVerifier} from "../crypto/index.ts";
import type {BeaconDb} from "../db/index.ts";
import type {BeaconStateView} from "../types/index.ts";
import type {Logger} from "../util/logger.ts";
import {BeaconChain} from "./chain.ts";
import type {GossipSinkOptions} from "./gossip/sink.ts";
import {ChainRequestError, ChainRequestErrorCode} from "./errors.ts";
import {initGenesisOps, readAnchor, type StoredNetwork} from "./persist.ts";

export interface OpenChainOptions {
  db: BeaconDb;
  /** Used only when the database holds no chain yet. */
  genesisState?: () => Promise<BeaconStateView> | BeaconStateView;
  /** Recorded with a new chain, so a restart can check it runs on the same network. */
  network: StoredNetwork;
  logger?: Logger;
  time?: TimeSource;
  maxBlockStates?: number;
  maxCheckpointStates?: number;
  blsVerifier?: AsyncSignatureVerifier;
  gossip?: GossipSinkOptions;
}

export async function openChain(opts: OpenChainOptions): Promise<{chain: BeaconChain; created: boolean; replayed: number}> {
  let anchor = await readAnchor(opts.db);
  let created = false;
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
    db: opts.db,
    anchor,
    logger: opts.logger,
    time: opts.time,
    maxBlockStates: opts.maxBlockStates,
    maxCheckpointStates: opts.maxCheckpointStates,
    blsVerifier: opts.blsVerifier,
    gossip: opts.gossip,
  });
  const replayed = await chain.replayStoredBlocks();
  return {chain, created, replayed};
}
