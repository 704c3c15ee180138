/**
 * The HTTP layer of the beacon API client: fetch with a per-attempt timeout, the client's stop
 * signal, bounded retries for calls that are safe to repeat, and every failure turned into a
 * BeaconApiError carrying the node's `{code, message}`.
 */
import {sleep, systemTime, timeoutSignal, type TimeSource} from "../../clock/index.ts";
import {errorMessage} from "../../util/errors.ts";
import {BeaconApiError, type IndexedFailure} from "./errors.ts";

export const SSZ_CONTENT_TYPE = "application/octet-stream";
export const JSON_CONTENT_TYPE = "application/json";
/** What real validator clients send: SSZ where the node offers it, JSON otherwise. */
export const ACCEPT_SSZ_OR_JSON = "application/octet-stream;q=1,application/json;q=0.9";

export type QueryValue = string | number | undefined;

export interface HttpRequest {
  method: "GET" | "POST";
  path: string;
  query?: Record<string, QueryValue | QueryValue[]>;
  body?: {json: unknown} | {ssz: Uint8Array};
  headers?: Record<string, string>;
  /** Ask for SSZ (falling back to JSON); default JSON only. */
  preferSsz?: boolean;
  /** Per-attempt timeout; default the client's. */
  timeoutMs?: number;
  /** Extra attempts after a retryable failure (unreachable, timeout, 5xx); default 0. */
  retries?: number;
  /** Statuses that are answers rather than failures (e.g. 404 for "not known yet"). */
  acceptStatuses?: number[];
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  contentType: string;
  body: Uint8Array;
  /** The body as JSON; throws BEACON_API_BAD_RESPONSE if it is not. */
  json(): unknown;
  isSsz(): boolean;
}

export interface HttpClientOptions {
  baseUrl: string;
  timeoutMs?: number;
  /** Delay before retry n (1-based) is `retryDelayMs * n`. */
  retryDelayMs?: number;
  signal?: AbortSignal;
  fetch?: typeof fetch;
  /** Where request timeouts and retry delays are measured (the client's clock). */
  time?: TimeSource;
}

const DEFAULT_TIMEOUT_MS = 12_000;
const DEFAULT_RETRY_DELAY_MS = 250;

function buildQuery(query: HttpRequest["query"]): string {
  if (query === undefined) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) if (v !== undefined) params.append(key, String(v));
  }
  const s = params.toString();
  return s === "" ? "" : `?${s}`;
}

/** Reads the node's `{code, message, failures}` from an error body, if it has that shape. */
function parseErrorBody(body: Uint8Array): {code?: number | string; message?: string; failures?: IndexedFailure[]} {
  try {
    const json = JSON.parse(new TextDecoder().decode(body)) as Record<string, unknown>;
    if (typeof json !== "object" || json === null) return {};
    const failures = Array.isArray(json.failures)
      ? json.failures
          .filter((f): f is {index: unknown; message: unknown} => typeof f === "object" && f !== null)
          .map((f) => ({index: Number(f.index), message: String(f.message)}))
      : undefined;
    return {
      code: typeof json.code === "number" || typeof json.code === "string" ? json.code : undefined,
      message: typeof json.message === "string" ? json.message : undefined,
      failures,
    };
  } catch {
    return {};
  }
}

export class HttpClient {
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly retryDelayMs: number;
  private readonly signal: AbortSignal | undefined;
  private readonly fetchFn: typeof fetch;
  private readonly time: TimeSource;

  constructor(opts: HttpClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, "");
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retryDelayMs = opts.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
    this.signal = opts.signal;
    this.fetchFn = opts.fetch ?? fetch;
    this.time = opts.time ?? systemTime;
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const retries = req.retries ?? 0;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt(req);
      } catch (e) {
        const retry = e instanceof BeaconApiError && e.retryable && attempt < retries && !this.signal?.aborted;
        if (!retry) throw e;
        await sleep(this.time, this.retryDelayMs * (attempt + 1), this.signal);
      }
    }
  }

  private async attempt(req: HttpRequest): Promise<HttpResponse> {
    const route = `${req.method} ${req.path}`;
    if (this.signal?.aborted) throw new BeaconApiError("BEACON_API_ABORTED", `${route}: client stopped`, {route});
    const timeoutMs = req.timeoutMs ?? this.timeoutMs;
    const timer = timeoutSignal(this.time, timeoutMs);
    const timeout = timer.signal;
    const signal = this.signal === undefined ? timeout : AbortSignal.any([this.signal, timeout]);
    const headers: Record<string, string> = {Accept: req.preferSsz ? ACCEPT_SSZ_OR_JSON : JSON_CONTENT_TYPE, ...req.headers};
    let body: string | Uint8Array | undefined;
    if (req.body !== undefined) {
      if ("ssz" in req.body) {
        headers["Content-Type"] = SSZ_CONTENT_TYPE;
        body = req.body.ssz;
      } else {
        headers["Content-Type"] = JSON_CONTENT_TYPE;
        body = JSON.stringify(req.body.json);
      }
    }

    let res: Response;
    let bytes: Uint8Array;
    try {
      res = await this.fetchFn(this.baseUrl + req.path + buildQuery(req.query), {method: req.method, headers, body, signal});
      bytes = new Uint8Array(await res.arrayBuffer());
    } catch (e) {
      if (this.signal?.aborted) throw new BeaconApiError("BEACON_API_ABORTED", `${route}: client stopped`, {route}, {cause: e});
      if (timeout.aborted) throw new BeaconApiError("BEACON_API_TIMEOUT", `${route}: no answer within ${timeoutMs} ms`, {route}, {cause: e});
      const cause = (e as {cause?: unknown}).cause;
      const reason = cause instanceof Error ? ((cause as NodeJS.ErrnoException).code ?? cause.message) : errorMessage(e);
      throw new BeaconApiError("BEACON_API_UNREACHABLE", `${route}: beacon node at ${this.baseUrl} unreachable (${reason})`, {route}, {cause: e});
    } finally {
      timer.cancel();
    }

    const contentType = (res.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
    const ok = (res.status >= 200 && res.status < 300) || (req.acceptStatuses?.includes(res.status) ?? false);
    if (!ok) {
      const parsed = parseErrorBody(bytes);
      const what = parsed.message ?? (bytes.length > 0 ? new TextDecoder().decode(bytes.subarray(0, 200)) : res.statusText);
      throw new BeaconApiError("BEACON_API_HTTP_ERROR", `${route}: ${res.status} ${what}`, {
        route,
        status: res.status,
        nodeCode: parsed.code,
        nodeMessage: parsed.message,
        failures: parsed.failures,
      });
    }
    return {
      status: res.status,
      headers: res.headers,
      contentType,
      body: bytes,
      isSsz: () => contentType === SSZ_CONTENT_TYPE,
      json: () => {
        try {
          return JSON.parse(new TextDecoder().decode(bytes));
        } catch (e) {
          throw new BeaconApiError("BEACON_API_BAD_RESPONSE", `${route}: response is not JSON: ${errorMessage(e)}`, {route, status: res.status});
        }
      },
    };
  }
}
