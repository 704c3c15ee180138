export {BeaconChain, type BeaconChainOptions} from "./chain.ts";
export {openChain, type OpenChainOptions} from "./open.ts";
export {readStoredNetwork, type StoredNetwork} from "./persist.ts";
export {readOldestBlock, putOldestBlockOp, type CheckpointAnchor, type OldestBlock} from "./persist.ts";
export * from "./errors.ts";
export type * from "./interface.ts";
export {getEth1Vote, eth1VoteAndDeposits, type Eth1Block, type Eth1ForProduction} from "./production/eth1Vote.ts";
