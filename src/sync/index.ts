export {SyncService, type SyncProgress, type SyncServiceOptions} from "./syncService.ts";
export {syncChainOf, SyncState, type SyncChain} from "./interface.ts";
export {RangeSync, type RangeSyncOptions, type RangeSyncOutcome} from "./rangeSync.ts";
export {UnknownBlockSync, type UnknownBlockSyncOptions} from "./unknownBlockSync.ts";
export {chooseSyncTarget, SYNC_TOLERANCE_SLOTS, type SyncTarget} from "./syncTarget.ts";
export {startChainSync, startChainBackfill} from "./chainSync.ts";
export {Backfill, type BackfillOptions} from "./backfill.ts";
