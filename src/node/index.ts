export {BeaconNode, NodeError, StartAbortedError, type BeaconNodeOptions, type GenesisSource} from "./beaconNode.ts";
export {fetchCheckpointAnchor, parseCheckpointSyncUrl, parseWssCheckpoint, CheckpointSyncError} from "./checkpointSync.ts";
export {configMismatches, type ConfigMismatch} from "./network.ts";
export {resolveNetwork, readConfigFile, farFutureForkEpochs, type NetworkRequest, type ResolvedNetwork} from "./network.ts";
export {formatStatusLine} from "./statusLine.ts";
