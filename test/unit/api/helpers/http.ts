/** Small request helpers over fastify's inject (no socket) for the API tests. */
import {strict as assert} from "node:assert";
import type {FastifyInstance} from "fastify";

export interface Res {
  status: number;
  headers: Record<string, unknown>;
  body: any;
  raw: Buffer;
}

export async function request(
  app: FastifyInstance,
  method: "GET" | "POST" | "OPTIONS",
  url: string,
  opts: {body?: unknown; headers?: Record<string, string>} = {}
): Promise<Res> {
  const headers: Record<string, string> = {...(opts.headers ?? {})};
  let payload: string | Buffer | undefined;
  if (opts.body instanceof Uint8Array) {
    payload = Buffer.from(opts.body);
    headers["content-type"] ??= "application/octet-stream";
  } else if (typeof opts.body === "string") {
    payload = opts.body;
  } else if (opts.body !== undefined) {
    payload = JSON.stringify(opts.body);
    headers["content-type"] ??= "application/json";
  }
  const r = await app.inject({method, url, headers, payload});
  const ct = String(r.headers["content-type"] ?? "");
  return {
    status: r.statusCode,
    headers: r.headers as Record<string, unknown>,
    body: ct.startsWith("application/json") ? r.json() : r.body,
    raw: r.rawPayload,
  };
}

export const get = (app: FastifyInstance, url: string, headers?: Record<string, string>) => request(app, "GET", url, {headers});
export const post = (app: FastifyInstance, url: string, body?: unknown, headers?: Record<string, string>) =>
  request(app, "POST", url, {body, headers});

/** Asserts an error answer: the status, the `{code, message}` body, and a message matching `re`. */
export function assertError(res: Res, status: number, re?: RegExp): void {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  assert.equal(res.body.code, status);
  assert.equal(typeof res.body.message, "string");
  if (re !== undefined) assert.match(res.body.message, re);
}

export const SSZ_ACCEPT = {accept: "application/octet-stream;q=1,application/json;q=0.9"};
