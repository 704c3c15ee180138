/**
 * Requests to fuzz the REST API with: every endpoint, with path and query parameters, headers and
 * bodies that are mostly well-formed with one hostile part (a number of a hundred thousand digits,
 * megabytes of hex, JSON nested thousands deep, a wrong type, a missing field), plus raw bytes
 * that are not HTTP at all. A case is plain data, so a failing one can be saved and sent again.
 */
import fc from "fast-check";
import type {Type} from "@chainsafe/ssz";
import {ENDPOINTS, type Endpoint, type ParamKind} from "./endpoints.ts";

export interface HttpCase {
  method: string;
  /** Path and query exactly as sent on the request line (may be deliberately malformed). */
  target: string;
  headers: Record<string, string>;
  /** A text body, or SSZ-ish bytes as hex. */
  body?: string;
  bodyHex?: string;
}

/** Bytes written to the socket as they are: a malformed request line or header block. */
export interface RawCase {
  raw: string;
}

export type RestCase = HttpCase | RawCase;

const hex = (bytes: number) => fc.uint8Array({minLength: bytes, maxLength: bytes}).map((b) => "0x" + Buffer.from(b).toString("hex"));

/** Values that break parsers: huge or odd numbers, long strings, broken encodings. */
const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("", "-1", "1.5", "1e3", "0x", "0x0", "0X00", " 1", "1 ", "18446744073709551615", "18446744073709551616", "9007199254740993", "null", "true", "%00", "%", "%E0%A4%A", "%FF%FE", "..", "../..", "\u0000", "€", "\ud800"),
  fc.integer({min: 20, max: 120_000}).map((n) => "9".repeat(n)),
  fc.integer({min: 1, max: 40_000}).map((n) => "0".repeat(n) + "1"),
  fc.integer({min: 1, max: 200_000}).map((n) => "0x" + "ab".repeat(n)),
  fc.integer({min: 1, max: 70_000}).map((n) => "a".repeat(n)),
  fc.string({maxLength: 40}),
  fc.string({unit: "grapheme", maxLength: 20})
);

/** Rarely, a giant: what a single request that freezes a node looks like. */
const giantString: fc.Arbitrary<string> = fc.oneof(
  fc.integer({min: 1_000_000, max: 10_000_000}).map((n) => "9".repeat(n)),
  fc.integer({min: 500_000, max: 4_500_000}).map((n) => "0x" + "ab".repeat(n))
);

function validParam(kind: ParamKind): fc.Arbitrary<string> {
  const uint = fc.oneof(fc.nat({max: 200}), fc.nat()).map(String);
  switch (kind) {
    case "stateId":
      return fc.oneof(fc.constantFrom("head", "genesis", "finalized", "justified"), uint, hex(32));
    case "blockId":
      return fc.oneof(fc.constantFrom("head", "genesis", "finalized"), uint, hex(32));
    case "validatorId":
      return fc.oneof(fc.nat({max: 80}).map(String), hex(48), fc.array(fc.nat({max: 80}).map(String), {maxLength: 5}).map((a) => a.join(",")));
    case "uint":
      return uint;
    case "root":
      return hex(32);
    case "hex96":
      return hex(96);
    case "peerId":
      return fc.constantFrom("16Uiu2HAmQUFQmeXEdCdFAzs9gASAuVNvMDrZiZFJXBXNdCc8KeQJ", "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
    case "graffiti":
      return fc.oneof(hex(32), fc.string({maxLength: 32}));
    case "text":
      return fc.constantFrom("gossip", "consensus", "active", "pending", "connected", "inbound", "true", "");
  }
}

/** A path or query value: usually valid, sometimes hostile, percent-encoded or (rarely) raw. */
function paramValue(kind: ParamKind): fc.Arbitrary<string> {
  return fc.oneof(
    {arbitrary: validParam(kind), weight: 6},
    {arbitrary: hostileString.map(encodeURIComponentLoose), weight: 3},
    {arbitrary: hostileString, weight: 1}
  );
}

/** encodeURIComponent without throwing on lone surrogates (a fuzz input may hold one). */
function encodeURIComponentLoose(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A hostile JSON value to put somewhere in a body. */
const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(null, true, 0, -1, 1.5, 1e308, {}, [], [[]], {"__proto__": {"x": 1}}),
  fc.integer({min: 100, max: 3000}).map((d) => {
    let v: unknown = "0";
    for (let i = 0; i < d; i++) v = [v];
    return v;
  }),
  fc.array(fc.constant("1"), {minLength: 1000, maxLength: 30_000})
);

type JsonPath = (string | number)[];

function leaves(value: unknown, path: JsonPath = [], out: JsonPath[] = []): JsonPath[] {
  out.push(path);
  if (Array.isArray(value)) value.forEach((v, i) => leaves(v, [...path, i], out));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) leaves(v, [...path, k], out);
  return out;
}

/** `value` with the node at one of its paths replaced, deleted, or duplicated into a long list. */
function mutateJson(value: unknown, pick: number, action: "replace" | "delete", replacement: unknown): unknown {
  const paths = leaves(value);
  const path = paths[pick % paths.length];
  if (path.length === 0) return action === "delete" ? undefined : replacement;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (action === "delete") {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else {
    parent[last] = replacement;
  }
  return copy;
}

function typedJson(type: () => Type<unknown>, list: boolean): fc.Arbitrary<unknown> {
  return fc.nat({max: 3}).map((n) => {
    const t = type();
    const one = t.toJson(t.defaultValue());
    return list ? Array.from({length: Math.max(1, n)}, () => one) : one;
  });
}

function bodyFor(endpoint: Endpoint): fc.Arbitrary<unknown> | null {
  const b = endpoint.body;
  if (b === undefined) return null;
  const ids = fc.array(fc.oneof(fc.nat({max: 80}).map(String), hex(48)), {maxLength: 20});
  switch (b.kind) {
    case "one":
      return typedJson(b.type, false);
    case "list":
      return typedJson(b.type, true);
    case "ids":
      return ids;
    case "filter":
      return fc.record({ids, statuses: fc.array(fc.constantFrom("active", "pending_queued", "exited"), {maxLength: 3})}, {requiredKeys: []});
    case "subscriptions":
      return fc.array(
        fc.record({validator_index: fc.nat({max: 80}).map(String), committee_index: fc.constant("0"), committees_at_slot: fc.constant("1"), slot: fc.nat({max: 100}).map(String), is_aggregator: fc.boolean()}),
        {maxLength: 4}
      );
  }
}

/** Body text: the JSON mutated in one place, JSON nested very deep, a giant, bytes, or not JSON. */
function bodyText(endpoint: Endpoint): fc.Arbitrary<{body?: string; bodyHex?: string; contentType?: string}> {
  const base = bodyFor(endpoint) ?? fc.constant(undefined);
  const mutated = fc
    .tuple(base, fc.nat(), fc.constantFrom("replace" as const, "delete" as const), hostileJson)
    .map(([v, pick, action, replacement]) => mutateJson(v, pick, action, replacement));
  const json = (a: fc.Arbitrary<unknown>) => a.map((v) => ({body: v === undefined ? "" : JSON.stringify(v), contentType: "application/json"}));
  return fc.oneof(
    {arbitrary: json(base), weight: 40},
    {arbitrary: json(mutated), weight: 120},
    {arbitrary: fc.integer({min: 5000, max: 200_000}).map((d) => ({body: `["0",${"[".repeat(d)}${"]".repeat(d)}]`, contentType: "application/json"})), weight: 20},
    {arbitrary: fc.tuple(base, giantString).map(([v, g]) => ({body: JSON.stringify(mutateJson(v, 1, "replace", g)), contentType: "application/json"})), weight: 3},
    {arbitrary: fc.uint8Array({maxLength: 2048}).map((b) => ({bodyHex: Buffer.from(b).toString("hex"), contentType: "application/octet-stream"})), weight: 20},
    {arbitrary: fc.string({maxLength: 200}).map((s) => ({body: s, contentType: "application/json"})), weight: 20}
  );
}

function fillPath(endpoint: Endpoint): fc.Arbitrary<string> {
  const names = Object.keys(endpoint.params ?? {});
  return fc.tuple(...names.map((n) => paramValue(endpoint.params![n]))).map((values) =>
    names.reduce((p, n, i) => p.replace(`{${n}}`, values[i]), endpoint.path)
  );
}

function queryString(endpoint: Endpoint): fc.Arbitrary<string> {
  const names = Object.keys(endpoint.query ?? {});
  if (names.length === 0) return fc.constantFrom("", "", "?x=1");
  return fc
    .subarray(names)
    .chain((chosen) => fc.tuple(...chosen.map((n) => paramValue(endpoint.query![n]).map((v) => `${n}=${v}`))))
    .map((parts) => (parts.length === 0 ? "" : "?" + parts.join("&")));
}

const headerExtras: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    accept: fc.constantFrom("application/json", "application/octet-stream", "*/*", "text/html", "application/octet-stream;q=1,application/json;q=0.9", "a".repeat(5000), ";;;q=x"),
    "eth-consensus-version": fc.constantFrom("phase0", "altair", "PHASE0", "", "x".repeat(3000)),
    "content-type": fc.constantFrom("text/plain", "application/json; charset=utf-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"),
  },
  {requiredKeys: []}
);

const NO_BODY: {body?: string; bodyHex?: string; contentType?: string} = {};

const httpCase: fc.Arbitrary<HttpCase> = fc.constantFrom(...ENDPOINTS).chain((endpoint) =>
  fc
    .tuple(fillPath(endpoint), queryString(endpoint), endpoint.method === "POST" ? bodyText(endpoint) : fc.constant(NO_BODY), headerExtras, fc.nat({max: 9}))
    .map(([path, query, body, extras, wrongMethod]) => {
      const headers: Record<string, string> = {};
      if (body.contentType !== undefined) headers["content-type"] = body.contentType;
      Object.assign(headers, extras);
      const out: HttpCase = {method: wrongMethod === 0 ? (endpoint.method === "GET" ? "POST" : "GET") : endpoint.method, target: path + query, headers};
      if (body.body !== undefined) out.body = body.body;
      if (body.bodyHex !== undefined) out.bodyHex = body.bodyHex;
      return out;
    })
);

const rawCase: fc.Arbitrary<RawCase> = fc.oneof(
  fc.constantFrom(
    "GARBAGE\r\n\r\n",
    "GET\r\n\r\n",
    "GET / HTTP/9.9\r\n\r\n",
    "GET /eth/v1/node/version HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
    "GET /eth/v1/node/version HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
    "POST /eth/v1/beacon/pool/voluntary_exits HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "GET /eth/v1/node/version HTTP/1.1\r\nHost: x\r\nX: \u0000\r\n\r\n"
  ),
  fc.integer({min: 1_050_000, max: 1_300_000}).map((n) => ({raw: `GET /eth/v1/node/version HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(n)}\r\n\r\n`})).map((r) => r.raw),
  // A leading blank line is legal before a request line (the server waits for the request), so
  // each line of junk starts with a visible character: the server has something to refuse.
  fc.string({minLength: 1, maxLength: 200}).filter((s) => /^[\x21-\x7e]/.test(s)).map((s) => s + "\r\n\r\n")
).map((raw) => ({raw}));

export const restCase: fc.Arbitrary<RestCase> = fc.oneof({arbitrary: httpCase, weight: 30}, {arbitrary: rawCase, weight: 1});

/** A case as one line for logs. */
export function describeCase(c: RestCase): string {
  if ("raw" in c) return `raw ${JSON.stringify(c.raw.slice(0, 60))}${c.raw.length > 60 ? `... (${c.raw.length} bytes)` : ""}`;
  const size = c.body !== undefined ? c.body.length : c.bodyHex !== undefined ? c.bodyHex.length / 2 : 0;
  return `${c.method} ${c.target.slice(0, 100)}${c.target.length > 100 ? `... (${c.target.length} chars)` : ""}${size > 0 ? ` body ${size} bytes` : ""}`;
}
