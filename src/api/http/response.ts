/**
 * Response envelopes and body decoding shared by the route groups.
 *
 * JSON responses are `{version?, execution_optimistic?, finalized?, dependent_root?, data}` with
 * exactly the metadata the endpoint defines; SSZ responses are the bare serialized value with
 * `Content-Type: application/octet-stream`. `Eth-Consensus-Version` is set whenever the endpoint
 * reports a version.
 */
import type {FastifyReply, FastifyRequest} from "fastify";
import type {Type} from "@chainsafe/ssz";
import {ApiError, badRequest, clip} from "../errors.ts";
import {fromJsonStrict} from "../codec/json.ts";
import {JSON_TYPE, SSZ_TYPE, mediaTypeOf, negotiate, type MediaType} from "./negotiate.ts";
import {deserializeCanonical, NonCanonicalSszError} from "../../types/index.ts";

/** The only fork Gnomon runs. */
export const FORK_NAME = "phase0";

export interface Meta {
  version?: typeof FORK_NAME;
  execution_optimistic?: boolean;
  finalized?: boolean;
  dependent_root?: string;
}

function accept(req: FastifyRequest, offered: readonly MediaType[]): MediaType {
  const chosen = negotiate(req.headers.accept, offered);
  if (chosen === null) {
    throw new ApiError(406, "NOT_ACCEPTABLE", `Accepted media type not supported: ${clip(String(req.headers.accept))}; this endpoint serves ${offered.join(", ")}`);
  }
  return chosen;
}

function setVersion(reply: FastifyReply, meta: Meta): void {
  if (meta.version !== undefined) reply.header("Eth-Consensus-Version", meta.version);
}

/** A JSON-only endpoint: `{...meta, data}`. */
export function json(req: FastifyRequest, reply: FastifyReply, data: unknown, meta: Meta = {}): Record<string, unknown> {
  accept(req, [JSON_TYPE]);
  setVersion(reply, meta);
  reply.type(JSON_TYPE);
  return {...meta, data};
}

/** A JSON body without the data envelope (debug/fork_choice defines its own top level). */
export function rawJson(req: FastifyRequest, reply: FastifyReply, body: unknown): unknown {
  accept(req, [JSON_TYPE]);
  reply.type(JSON_TYPE);
  return body;
}

/**
 * An endpoint that offers SSZ: the value of `type` as JSON (`type.toJson`) in the envelope, or as
 * SSZ bytes when the client prefers application/octet-stream.
 */
export function sszOrJson<T>(
  req: FastifyRequest,
  reply: FastifyReply,
  type: Type<T>,
  value: T,
  meta: Meta = {}
): Record<string, unknown> | Buffer {
  const chosen = accept(req, [JSON_TYPE, SSZ_TYPE]);
  setVersion(reply, meta);
  if (chosen === SSZ_TYPE) {
    const bytes = type.serialize(value);
    reply.type(SSZ_TYPE);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  reply.type(JSON_TYPE);
  return {...meta, data: type.toJson(value)};
}

/** Same as sszOrJson for a value already serialized (e.g. a state view): skips re-serializing. */
export function sszBytesOrJson(
  req: FastifyRequest,
  reply: FastifyReply,
  toBytes: () => Uint8Array,
  toJson: () => unknown,
  meta: Meta = {}
): Record<string, unknown> | Buffer {
  const chosen = accept(req, [JSON_TYPE, SSZ_TYPE]);
  setVersion(reply, meta);
  if (chosen === SSZ_TYPE) {
    const bytes = toBytes();
    reply.type(SSZ_TYPE);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  reply.type(JSON_TYPE);
  return {...meta, data: toJson()};
}

/** An empty 200 for submissions. */
export function ok(reply: FastifyReply, status = 200): FastifyReply {
  return reply.code(status).send();
}

export type BodyKind = "json" | "ssz";

/** Which encoding the request body is in; 415 for anything the endpoint does not take. */
export function bodyKind(req: FastifyRequest, acceptsSsz: boolean): BodyKind {
  const t = mediaTypeOf(req.headers["content-type"]);
  if (t === undefined || t === JSON_TYPE) return "json";
  if (t === SSZ_TYPE && acceptsSsz) return "ssz";
  throw new ApiError(415, "UNSUPPORTED_MEDIA_TYPE", `Unsupported media type: ${clip(t)}; this endpoint takes ${acceptsSsz ? `${JSON_TYPE} or ${SSZ_TYPE}` : JSON_TYPE}`);
}

/** The request body as a JSON value; a missing body is a 400 unless `optional`. */
export function jsonBody(req: FastifyRequest, opts: {optional?: boolean} = {}): unknown {
  bodyKind(req, false);
  if (req.body === undefined || req.body === null) {
    if (opts.optional) return undefined;
    throw badRequest("Request body is required");
  }
  return req.body;
}

/** Decodes SSZ bytes as `type`; malformed or non-canonical bytes (see types/canonical.ts) are a 400 naming the type. */
export function fromSsz<T>(type: Type<T>, bytes: unknown, what: string): T {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) throw badRequest(`Request body is required (SSZ ${what})`);
  const input = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    return deserializeCanonical(type, input);
  } catch (e) {
    throw new ApiError(400, "INVALID_SSZ", `Invalid SSZ ${what}: ${e instanceof NonCanonicalSszError ? e.message : clip((e as Error).message, 200)}`);
  }
}

/** A request body of one value of `type`, in JSON or (when `acceptsSsz`) SSZ. */
export function decodeBody<T>(req: FastifyRequest, type: Type<T>, what: string, acceptsSsz: boolean): T {
  const kind = bodyKind(req, acceptsSsz);
  if (kind === "ssz") return fromSsz(type, req.body, what);
  if (req.body === undefined || req.body === null) throw badRequest(`Request body is required (${what})`);
  return fromJsonStrict(type, req.body);
}

/**
 * The Eth-Consensus-Version of a submission. Gnomon runs phase0 only, so a missing header means
 * phase0 and any other fork is a 400.
 */
export function checkConsensusVersion(req: FastifyRequest): void {
  const v = req.headers["eth-consensus-version"];
  if (v === undefined) return;
  const value = Array.isArray(v) ? v[0] : v;
  if (value.trim().toLowerCase() !== FORK_NAME) {
    throw badRequest(`Unsupported Eth-Consensus-Version: ${clip(value)} (this node runs ${FORK_NAME})`);
  }
}
