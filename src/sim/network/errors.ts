import {GnomonError} from "../../util/errors.ts";

export const SimNetworkErrorCode = {
  /** Options or arguments out of range (a node index, a partition naming a node twice, a loss above 1). */
  INVALID_ARGUMENT: "SIM_INVALID_ARGUMENT",
  /** A request to a peer the node has no link to (partitioned, offline, or not started). */
  PEER_UNREACHABLE: "SIM_PEER_UNREACHABLE",
  /** The link went down while the request or its response was on its way. */
  LINK_DOWN: "SIM_LINK_DOWN",
  /** The serving node failed to read what was asked (its chain stopped). */
  SERVER_ERROR: "SIM_SERVER_ERROR",
} as const;

export class SimNetworkError extends GnomonError {}
