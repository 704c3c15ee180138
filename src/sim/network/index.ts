export {SimNetwork, DEFAULT_STATUS_INTERVAL_MS, type SimNetworkOptions, type SendOptions, type SimNetworkStats} from "./simNetwork.ts";
export {SimEndpoint, simPeerId, simPeerIndex, type BlockRequest} from "./endpoint.ts";
export {SimNetworkError, SimNetworkErrorCode} from "./errors.ts";
export type {CutReason} from "./links.ts";
