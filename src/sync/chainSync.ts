/**
 * Puts sync on a node's chain: the service runs against the network's peers, and the chain's sync
 * status (/node/syncing, /node/health, the validator client's pause) asks it.
 */
import type {BeaconChain} from "../chain/index.ts";
import type {INetworkPeers} from "../network/interface.ts";
import {config} from "../params/index.ts";
import type {TimeSource} from "../clock/index.ts";
import type {Logger} from "../util/logger.ts";
import {syncChainOf} from "./interface.ts";
import {SyncService, type SyncServiceOptions} from "./syncService.ts";

export function startChainSync(
  chain: BeaconChain,
  network: INetworkPeers,
  opts: {logger: Logger; time: TimeSource} & Partial<Pick<SyncServiceOptions, "range" | "lookup" | "retryDelayMs" | "recheckMs">>
): SyncService {
  const sync = new SyncService({recheckMs: config.SLOT_DURATION_MS, ...opts, chain: syncChainOf(chain), network});
  chain.isSyncing = () => sync.isSyncing();
  sync.start();
  return sync;
}
