export {BeaconNode, NodeError, type BeaconNodeOptions, type GenesisSource} from "./beaconNode.ts";
export {resolveNetwork, readConfigFile, farFutureForkEpochs, type NetworkRequest, type ResolvedNetwork} from "./network.ts";
export {formatStatusLine} from "./statusLine.ts";
