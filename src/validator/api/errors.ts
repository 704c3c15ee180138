import {GnomonError} from "../../util/errors.ts";

/**
 * Why a call to the beacon node failed. `HTTP_ERROR` carries the node's own `{code, message}`
 * (and per-item `failures` of a batch submission) so that a log line says what the node said.
 */
export type BeaconApiErrorCode =
  | "BEACON_API_HTTP_ERROR"
  | "BEACON_API_UNREACHABLE"
  | "BEACON_API_TIMEOUT"
  | "BEACON_API_ABORTED"
  | "BEACON_API_BAD_RESPONSE";

export interface IndexedFailure {
  index: number;
  message: string;
}

export interface BeaconApiErrorDetails {
  route: string;
  status?: number;
  nodeCode?: number | string;
  nodeMessage?: string;
  failures?: IndexedFailure[];
}

export class BeaconApiError extends GnomonError {
  declare readonly code: BeaconApiErrorCode;
  /** `METHOD /path` of the request (without the query: it may carry signatures). */
  readonly route: string;
  /** The HTTP status, when the node answered. */
  readonly status: number | undefined;
  readonly nodeCode: number | string | undefined;
  readonly nodeMessage: string | undefined;
  readonly failures: IndexedFailure[];

  constructor(code: BeaconApiErrorCode, message: string, details: BeaconApiErrorDetails, options?: ErrorOptions) {
    super(code, message, options);
    this.route = details.route;
    this.status = details.status;
    this.nodeCode = details.nodeCode;
    this.nodeMessage = details.nodeMessage;
    this.failures = details.failures ?? [];
  }

  /** Worth another try: the node was unreachable, slow, or failed on its side. */
  get retryable(): boolean {
    if (this.code === "BEACON_API_UNREACHABLE" || this.code === "BEACON_API_TIMEOUT") return true;
    return this.code === "BEACON_API_HTTP_ERROR" && this.status !== undefined && this.status >= 500;
  }
}

/**
 * The level for a failed duty's log line: a request cut short because the client is stopping is
 * expected at shutdown, not an error of the node or of the client.
 */
export function failureLogLevel(e: unknown): "info" | "error" {
  return e instanceof BeaconApiError && e.code === "BEACON_API_ABORTED" ? "info" : "error";
}
