/**
 * How much a request may carry, per endpoint, bounded by what the protocol allows: one block by
 * the spec's largest block, a batch by the number of items a slot can hold, an id list by the
 * validator registry. A body over its endpoint's bound is refused with a 413 from its
 * Content-Length alone, before a byte of it is read or parsed, so no single request can hold the
 * event loop (and with it the slot clock, block import and duties) for long.
 */
import {Transform, type TransformCallback} from "node:stream";
import type {Type} from "@chainsafe/ssz";
import type {IBeaconChain} from "../../chain/interface.ts";
import {MAX_COMMITTEES_PER_SLOT, SLOTS_PER_EPOCH, TARGET_AGGREGATORS_PER_COMMITTEE} from "../../params/index.ts";
import {ssz} from "../../types/index.ts";
import {ApiError, badRequest} from "../errors.ts";

/** A body for routes that take none worth speaking of (or an unknown route). */
const SMALL_BODY = 64 * 1024;
/**
 * JSON of one SSZ value at its largest: hex doubles every byte, a uint64 of 8 bytes takes up to
 * 22 characters with quotes and comma, and field names and indentation add more. Six times the
 * SSZ size plus room for the envelope covers pretty-printed JSON.
 */
export function jsonMaxSize(type: Type<unknown>): number {
  return 6 * type.maxSize + 4096;
}
/** One id in a JSON list: a quoted 0x pubkey (98 characters), a comma and some whitespace. */
const ID_JSON_BYTES = 128;
/**
 * Pubkeys not yet in the registry (deposits on their way in) may be asked about too, so an id list
 * may name this many more entries than the registry holds.
 */
const ID_SLACK = 1024;

/** The most ids one request may name: the registry size, plus room for pubkeys still on their way in. */
export function maxIdCount(chain: IBeaconChain): number {
  return chain.getHead().state.state.validators.length + ID_SLACK;
}

/** Refuses an id list longer than any honest request needs (before any per-id work). */
export function checkIdCount(chain: IBeaconChain, count: number, name: string): void {
  const max = maxIdCount(chain);
  if (count > max) throw badRequest(`Invalid ${name}: ${count} ids, more than the ${max} this registry can match`, "TOO_MANY_IDS");
}

/**
 * The most attestations one request may carry: every validator attests once per epoch, and a
 * client may send a whole epoch's worth at once.
 */
export function maxAttestationCount(chain: IBeaconChain): number {
  return Math.max(chain.getHead().state.state.validators.length, SLOTS_PER_EPOCH);
}

type LimitFn = (chain: IBeaconChain) => number;

const idList: LimitFn = (chain) => maxIdCount(chain) * ID_JSON_BYTES + 4096;
const one = (type: Type<unknown>): LimitFn => {
  const bytes = jsonMaxSize(type);
  return () => bytes;
};

/** Body bounds by route URL (as fastify registers it). */
const ROUTE_LIMITS: Record<string, LimitFn> = {
  "/eth/v1/beacon/blocks": one(ssz.SignedBeaconBlock),
  "/eth/v2/beacon/blocks": one(ssz.SignedBeaconBlock),
  "/eth/v2/beacon/pool/attester_slashings": one(ssz.AttesterSlashing),
  "/eth/v1/beacon/pool/proposer_slashings": one(ssz.ProposerSlashing),
  "/eth/v1/beacon/pool/voluntary_exits": one(ssz.SignedVoluntaryExit),
  "/eth/v1/beacon/pool/attestations": (chain) => maxAttestationCount(chain) * jsonMaxSize(ssz.Attestation),
  "/eth/v2/beacon/pool/attestations": (chain) => maxAttestationCount(chain) * jsonMaxSize(ssz.Attestation),
  "/eth/v1/validator/aggregate_and_proofs": () => MAX_COMMITTEES_PER_SLOT * TARGET_AGGREGATORS_PER_COMMITTEE * jsonMaxSize(ssz.SignedAggregateAndProof),
  "/eth/v2/validator/aggregate_and_proofs": () => MAX_COMMITTEES_PER_SLOT * TARGET_AGGREGATORS_PER_COMMITTEE * jsonMaxSize(ssz.SignedAggregateAndProof),
  // A subscription per validator for this epoch and the next, about 200 bytes each.
  "/eth/v1/validator/beacon_committee_subscriptions": (chain) => 2 * maxIdCount(chain) * 256,
  "/eth/v1/validator/duties/attester/:epoch": idList,
  "/eth/v1/validator/liveness/:epoch": idList,
  "/eth/v1/beacon/states/:state_id/validators": idList,
  "/eth/v1/beacon/states/:state_id/validator_balances": idList,
};

/** The body bound of a route, capped by the server's overall limit. */
export function bodyLimitOf(routeUrl: string | undefined, chain: IBeaconChain, serverLimit: number): number {
  const fn = routeUrl === undefined ? undefined : ROUTE_LIMITS[routeUrl];
  return Math.min(fn === undefined ? SMALL_BODY : fn(chain), serverLimit);
}

export function bodyTooLarge(limit: number): ApiError {
  return new ApiError(413, "BODY_TOO_LARGE", `Request body is too large for this endpoint (at most ${limit} bytes)`);
}

/**
 * The request body stream, checked against `limit`: a declared Content-Length over it fails at
 * once; a chunked body fails as soon as it has sent more than the limit.
 */
export function limitBody(payload: NodeJS.ReadableStream, contentLength: string | undefined, limit: number): NodeJS.ReadableStream {
  if (contentLength !== undefined) {
    if (Number(contentLength) > limit) throw bodyTooLarge(limit);
    // Node's parser never hands over more than the declared length.
    return payload;
  }
  // Fastify refuses a body once a preParsing stream's `receivedEncodedLength` passes its limit;
  // an error emitted here could fire before fastify listens. Past this endpoint's own limit the
  // count is reported as beyond any limit, so fastify ends the read with its 413 at that chunk.
  const counter = new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      counter.receivedEncodedLength += chunk.length;
      if (counter.receivedEncodedLength > limit) counter.receivedEncodedLength = Number.MAX_SAFE_INTEGER;
      done(null, chunk);
    },
  }) as Transform & {receivedEncodedLength: number};
  counter.receivedEncodedLength = 0;
  payload.on("error", (e) => counter.destroy(e));
  return payload.pipe(counter);
}
