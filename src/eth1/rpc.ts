/**
 * A JSON-RPC 2.0 client over HTTP (fetch) for an execution node: one request at a time per
 * call, each with a timeout, every failure a typed Eth1Error. Results are checked for shape by
 * the typed helpers below, never trusted.
 */
import {fromHex} from "../util/bytes.ts";
import {Eth1Error, Eth1ErrorCode} from "./errors.ts";

export interface JsonRpcOptions {
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
}

const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export class JsonRpcClient {
  readonly url: string;
  private readonly timeoutMs: number;
  private nextId = 1;
  /** Aborts the requests in flight when the client is closed (a node that stops waits for none). */
  private readonly closing = new AbortController();

  constructor(url: string, opts: JsonRpcOptions = {}) {
    this.url = url;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  close(): void {
    this.closing.abort();
  }

  async call(method: string, params: unknown[] = []): Promise<unknown> {
    if (this.closing.signal.aborted) throw new Eth1Error(Eth1ErrorCode.UNREACHABLE, `${method}: the client is closed`);
    const id = this.nextId++;
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: "POST",
        headers: {"content-type": "application/json"},
        body: JSON.stringify({jsonrpc: "2.0", id, method, params}),
        signal: AbortSignal.any([AbortSignal.timeout(this.timeoutMs), this.closing.signal]),
      });
    } catch (e) {
      const name = (e as Error).name;
      if (this.closing.signal.aborted) throw new Eth1Error(Eth1ErrorCode.UNREACHABLE, `${method}: the client is closed`, {cause: e});
      if (name === "TimeoutError" || name === "AbortError") {
        throw new Eth1Error(Eth1ErrorCode.TIMEOUT, `${method}: no answer from ${this.url} within ${this.timeoutMs} ms`, {cause: e});
      }
      const cause = (e as {cause?: {code?: string; message?: string}}).cause;
      throw new Eth1Error(Eth1ErrorCode.UNREACHABLE, `${method}: cannot reach ${this.url}: ${cause?.code ?? cause?.message ?? (e as Error).message}`, {cause: e});
    }
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      const timeout = (e as Error).name === "TimeoutError";
      throw new Eth1Error(timeout ? Eth1ErrorCode.TIMEOUT : Eth1ErrorCode.UNREACHABLE, `${method}: reading the answer failed: ${(e as Error).message}`, {cause: e});
    }
    if (text.length > MAX_RESPONSE_BYTES) throw new Eth1Error(Eth1ErrorCode.BAD_RESULT, `${method}: answer of ${text.length} bytes is too large`);
    if (!res.ok) throw new Eth1Error(Eth1ErrorCode.HTTP_STATUS, `${method}: HTTP ${res.status} ${text.slice(0, 200)}`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Eth1Error(Eth1ErrorCode.NOT_JSON, `${method}: the answer is not JSON: ${JSON.stringify(text.slice(0, 80))}`);
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new Eth1Error(Eth1ErrorCode.NOT_JSON, `${method}: the answer is not a JSON-RPC response object`);
    }
    const r = body as {id?: unknown; result?: unknown; error?: {code?: unknown; message?: unknown}};
    if (r.error !== undefined && r.error !== null) {
      throw new Eth1Error(Eth1ErrorCode.RPC_ERROR, `${method}: error ${jsonText(r.error.code)}: ${jsonText(r.error.message).slice(0, 300)}`);
    }
    if (r.id !== id) throw new Eth1Error(Eth1ErrorCode.NOT_JSON, `${method}: the answer's id ${JSON.stringify(r.id)} is not the request's ${id}`);
    if (!("result" in r)) throw new Eth1Error(Eth1ErrorCode.NOT_JSON, `${method}: the answer has neither result nor error`);
    return r.result;
  }
}

/** A value of a parsed answer as text; String() would call a `toString` the answer itself may define. */
function jsonText(value: unknown): string {
  return typeof value === "string" ? value : String(JSON.stringify(value));
}

// ---- result decoding ----

const QUANTITY = /^0x(0|[1-9a-f][0-9a-f]*)$/i;

export function quantity(value: unknown, what: string): number {
  if (typeof value !== "string" || !QUANTITY.test(value)) throw badResult(what, value, "a hex quantity");
  const n = Number(BigInt(value));
  if (!Number.isSafeInteger(n)) throw badResult(what, value, "a quantity below 2^53");
  return n;
}

export function bigQuantity(value: unknown, what: string): bigint {
  if (typeof value !== "string" || !QUANTITY.test(value)) throw badResult(what, value, "a hex quantity");
  return BigInt(value);
}

export function data(value: unknown, what: string, length?: number): Uint8Array {
  if (typeof value !== "string" || !value.startsWith("0x")) throw badResult(what, value, "0x-hex data");
  try {
    return fromHex(value, length);
  } catch {
    throw badResult(what, value, length === undefined ? "0x-hex data" : `${length} bytes of 0x-hex`);
  }
}

export function object(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw badResult(what, value, "an object");
  return value as Record<string, unknown>;
}

function badResult(what: string, value: unknown, expected: string): Eth1Error {
  return new Eth1Error(Eth1ErrorCode.BAD_RESULT, `${what}: expected ${expected}, got ${JSON.stringify(value)?.slice(0, 100)}`);
}

export function toQuantity(n: number | bigint): string {
  return "0x" + BigInt(n).toString(16);
}
