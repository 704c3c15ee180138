/**
 * The fuzz oracle for one REST answer: there is an answer, it is not a 5xx, every error body is
 * exactly `{code, message}` (plus `failures` for batches) with `code` equal to the status and a
 * message that does not echo unbounded input, and (when set) it came within the time allowed.
 */
import type {RawResponse} from "./rest/client.ts";

/** Longer than any message the API writes itself; a longer one is echoing input. */
const MAX_MESSAGE = 1000;

export interface OracleOptions {
  /** Answers slower than this are violations (not used by `npm test`: no timed assertions there). */
  maxRequestMs?: number;
}

export function checkAnswer(res: RawResponse | null, opts: OracleOptions = {}): string | null {
  if (res === null) return "no HTTP answer (connection closed)";
  if (res.status >= 500) return `status ${res.status}: ${res.body.subarray(0, 300).toString()}`;
  if (opts.maxRequestMs !== undefined && res.ms > opts.maxRequestMs) return `answer took ${Math.round(res.ms)} ms (limit ${opts.maxRequestMs} ms)`;
  if (res.status < 400) return null;
  if (!(res.headers["content-type"] ?? "").startsWith("application/json")) return `error ${res.status} with content-type ${res.headers["content-type"]}`;
  let body: unknown;
  try {
    body = JSON.parse(res.body.toString("utf8"));
  } catch {
    return `error ${res.status} whose body is not JSON: ${res.body.subarray(0, 200).toString()}`;
  }
  return checkErrorBody(res.status, body);
}

/** Whether `body` is the API's ErrorMessage (or IndexedErrorMessage) for `status`. */
export function checkErrorBody(status: number, body: unknown): string | null {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return `error ${status} whose body is not an object`;
  const b = body as Record<string, unknown>;
  const extra = Object.keys(b).filter((k) => k !== "code" && k !== "message" && k !== "failures");
  if (extra.length > 0) return `error ${status} with unexpected key(s) ${extra.join(", ")}: ${JSON.stringify(b).slice(0, 200)}`;
  if (b.code !== status) return `error ${status} whose code is ${JSON.stringify(b.code)}`;
  if (typeof b.message !== "string") return `error ${status} without a string message`;
  if (b.message.length > MAX_MESSAGE) return `error ${status} whose message is ${b.message.length} characters long (echoed input?)`;
  if (b.failures !== undefined) {
    if (!Array.isArray(b.failures)) return `error ${status} whose failures is not an array`;
    for (const f of b.failures as Record<string, unknown>[]) {
      if (typeof f?.index !== "number" || typeof f?.message !== "string") return `error ${status} with a malformed failure ${JSON.stringify(f).slice(0, 200)}`;
      if (f.message.length > MAX_MESSAGE) return `error ${status} with a failure message of ${f.message.length} characters`;
    }
  }
  return null;
}
