/** The Beacon REST API: `createApiServer(chain, opts)`. */
export {createApiServer, type ApiServer, type ApiServerOptions} from "./server.ts";
export type {ApiNetwork, NetworkIdentity, PeerInfo, PeerState, PeerDirection} from "./context.ts";
export {ApiError} from "./errors.ts";
