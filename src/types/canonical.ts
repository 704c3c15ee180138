/**
 * SSZ from outside the node must be the one canonical encoding of its value. The client holds
 * uint64 as numbers: one between 2^53 and 2^64-1 (other than 2^64-1) reads as a nearby number, so
 * the value would have another root than the bytes its sender signed (see fromTree.ts). Such bytes
 * are refused, not rounded.
 */
import type {Type} from "@chainsafe/ssz";
import {bytesEqual} from "../util/bytes.ts";
import {GnomonError} from "../util/errors.ts";

export class NonCanonicalSszError extends GnomonError {
  constructor() {
    super("NON_CANONICAL_SSZ", "not the canonical encoding of a value (a uint64 above 2^53 other than 2^64-1?)");
  }
}

/** deserialize, then refuse bytes the value does not serialize back to (NonCanonicalSszError); malformed bytes throw as deserialize does. */
export function deserializeCanonical<T>(type: Type<T>, bytes: Uint8Array): T {
  const value = type.deserialize(bytes);
  if (!bytesEqual(type.serialize(value), bytes)) throw new NonCanonicalSszError();
  return value;
}
