/**
 * REST errors. Every failure leaves the server as `{code, message}` (beacon-APIs ErrorMessage),
 * batch submissions add `failures` (IndexedErrorMessage). `code` in the body is the HTTP status, as
 * the API defines it; the typed cause stays in `reason` for logs and tests.
 */
import {GnomonError, InputError} from "../util/errors.ts";
import {AttestationError, BlockImportError, ChainRequestError, OperationError} from "../chain/errors.ts";

export interface Failure {
  index: number;
  message: string;
}

export class ApiError extends GnomonError {
  readonly status: number;
  readonly failures: Failure[] | undefined;
  constructor(status: number, code: string, message: string, opts: {failures?: Failure[]; cause?: unknown} = {}) {
    super(code, message, {cause: opts.cause});
    this.status = status;
    this.failures = opts.failures;
  }
}

/**
 * Client input as it may appear in a message: at most `max` characters. Headers, paths and bodies
 * can be megabytes long, and an error must never echo them back whole.
 */
export function clip(text: string, max = 80): string {
  return text.length > max ? text.slice(0, max) + "..." : text;
}

export const badRequest = (message: string, code = "BAD_REQUEST"): ApiError => new ApiError(400, code, message);
export const notFound = (message: string, code = "NOT_FOUND"): ApiError => new ApiError(404, code, message);

export interface ErrorBody {
  code: number;
  message: string;
  failures?: Failure[];
}

/** A fastify error (body parser, limits, routing) carries its own 4xx status. */
function fastifyStatus(e: unknown): number | undefined {
  const s = (e as {statusCode?: unknown}).statusCode;
  return typeof s === "number" && s >= 400 && s < 600 ? s : undefined;
}

/**
 * Maps anything thrown by a handler to a status and body. Input errors are the client's fault
 * (4xx); everything else is ours (500), and its message is kept so a log line and the response
 * say the same thing.
 */
export function toErrorResponse(e: unknown): {status: number; body: ErrorBody; internal: boolean} {
  if (e instanceof ApiError) {
    const body: ErrorBody = {code: e.status, message: e.message};
    if (e.failures !== undefined) body.failures = e.failures;
    return {status: e.status, body, internal: e.status >= 500};
  }
  if (e instanceof InputError) return {status: 400, body: {code: 400, message: e.message}, internal: false};
  if (e instanceof ChainRequestError) {
    const status = CHAIN_REQUEST_STATUS[e.code] ?? 500;
    return {status, body: {code: status, message: e.message}, internal: status >= 500 && status !== 503};
  }
  if (e instanceof BlockImportError || e instanceof AttestationError || e instanceof OperationError) {
    return {status: 400, body: {code: 400, message: describeRejection(e)}, internal: false};
  }
  const status = fastifyStatus(e);
  if (status !== undefined && status < 500) {
    return {status, body: {code: status, message: cleanFastifyMessage(e as Error, status)}, internal: false};
  }
  const message = e instanceof Error ? e.message : String(e);
  return {status: 500, body: {code: 500, message: `Internal server error: ${message}`}, internal: true};
}

const CHAIN_REQUEST_STATUS: Record<string, number> = {
  CHAIN_REQUEST_OUT_OF_RANGE: 400,
  CHAIN_REQUEST_NOT_FOUND: 404,
  CHAIN_REQUEST_INVALID: 400,
  CHAIN_REQUEST_NOT_READY: 503,
};

/** "CODE (REASON): message" for a rejected block or operation, so a client sees which check failed. */
export function describeRejection(e: GnomonError & {reason?: string}): string {
  const reason = e.reason !== undefined && e.reason !== e.code ? ` (${e.reason})` : "";
  return `${e.code}${reason}: ${e.message}`;
}

function cleanFastifyMessage(e: Error, status: number): string {
  const code = (e as {code?: string}).code;
  switch (code) {
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return `Unsupported media type: ${e.message.replace(/^Unsupported Media Type:?\s*/i, "") || "unknown"}`;
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return "Request body is too large";
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return "Request body is empty but Content-Type is application/json";
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return "Request body size did not match Content-Length";
    default:
      return e.message || `HTTP ${status}`;
  }
}
