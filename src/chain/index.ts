export {BeaconChain, type BeaconChainOptions} from "./chain.ts";
export {openChain, type OpenChainOptions} from "./open.ts";
export {readStoredNetwork, type StoredNetwork} from "./persist.ts";
export {readOldestBlock, putOldestBlockOp, type CheckpointAnchor, type OldestBlock} from "./persist.ts";
export * from "./errors.ts";
export type * from "./interface.ts";
