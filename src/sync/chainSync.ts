/**
 * Puts sync on a node's chain: the service runs against the network's peers, and the chain's sync
 * status (/node/syncing, /node/health, the validator client's pause) asks it.
 */
import type {BeaconChain} from "../chain/index.ts";
import type {INetworkPeers} from "../network/interface.ts";
import type {TimeSource} from "../clock/index.ts";
import type {Logger} from "../util/logger.ts";
import {syncChainOf} from "./interface.ts";
import {SyncService, type SyncServiceOptions} from "./syncService.ts";
import {Backfill, type BackfillOptions} from "./backfill.ts";
import {getBlockProposerSignatureSet} from "../state-transition/index.ts";

export function startChainSync(
  chain: BeaconChain,
  network: INetworkPeers,
  opts: {logger: Logger; time: TimeSource} & Partial<Pick<SyncServiceOptions, "range" | "lookup" | "retryDelayMs" | "recheckMs">>
): SyncService {
  const sync = new SyncService({recheckMs: chain.config.SLOT_DURATION_MS, ...opts, chain: syncChainOf(chain), network});
  chain.isSyncing = () => sync.isSyncing();
  sync.start();
  return sync;
}

/**
 * Backfill on a checkpoint-synced chain: the blocks before its anchor from the same peers, their
 * proposer signatures checked with the anchor state's pubkeys on the chain's BLS verifier, paused
 * while range sync runs. Does nothing on a chain that holds its history from genesis.
 */
export function startChainBackfill(
  chain: BeaconChain,
  network: INetworkPeers,
  sync: Pick<SyncService, "isSyncing"> | null,
  opts: {logger: Logger; time: TimeSource} & Partial<Pick<BackfillOptions, "batchSlots" | "retryDelayMs" | "pauseMs">>
): Backfill {
  const anchorState = chain.regen.getBlockState(chain.anchorBlockRoot);
  const backfill = new Backfill({
    ...opts,
    db: chain.db,
    network,
    verifier: chain.blsVerifier,
    proposerSignatureSet: (block) => getBlockProposerSignatureSet(anchorState, block),
    isBusy: () => sync?.isSyncing() ?? false,
  });
  backfill.start();
  return backfill;
}
