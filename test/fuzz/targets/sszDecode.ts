/**
 * SSZ decoding of every phase0 type from bytes, through the decoder the REST API uses for
 * `application/octet-stream` bodies. Oracle: bytes are refused with the API's typed error (an
 * ApiError 400, nothing else) or decode to a value that serializes back to exactly those bytes
 * (SSZ is canonical: two encodings of one value would let two nodes disagree about a root) and
 * can be hashed.
 */
import fc from "fast-check";
import type {Type} from "@chainsafe/ssz";
import {ApiError} from "../../../src/api/errors.ts";
import {fromSsz} from "../../../src/api/http/response.ts";
import {ssz} from "../../../src/types/index.ts";
import {hexOf, mutatedBytes, type InProcessTarget} from "../target.ts";

/** A valid encoding to mutate: random bytes of a fixed-size type, the default value of a variable-size one. */
function validBytes(type: Type<unknown>): fc.Arbitrary<Uint8Array> {
  const fixed = type.fixedSize;
  if (fixed !== null) return fc.uint8Array({minLength: fixed, maxLength: fixed});
  return fc.constant(type.serialize(type.defaultValue()));
}

function checkType(name: string, type: Type<unknown>, bytes: Uint8Array): string | null {
  let value: unknown;
  try {
    value = fromSsz(type, bytes, name);
  } catch (e) {
    if (e instanceof ApiError && e.status === 400) return null;
    return `${name}: decoding threw ${(e as Error).constructor.name}: ${(e as Error).message}`;
  }
  try {
    const back = type.serialize(value);
    if (hexOf(back) !== hexOf(bytes)) return `${name}: accepted a non-canonical encoding`;
    type.hashTreeRoot(value);
  } catch (e) {
    return `${name}: a decoded value could not be re-serialized or hashed: ${(e as Error).message}`;
  }
  return null;
}

/** Every SSZ type of the active preset, by name (BeaconState too: its bytes come from disk and peers). */
export function sszTypes(): [string, Type<unknown>][] {
  return Object.entries(ssz as unknown as Record<string, Type<unknown>>);
}

export function sszDecodeTarget(): InProcessTarget<{type: string; bytes: Uint8Array}> {
  const byName = new Map(sszTypes());
  const perType = new Map([...byName].map(([name, type]) => [name, mutatedBytes(validBytes(type), 4096).map((bytes) => ({type: name, bytes}))]));
  const arbitrary = fc.constantFrom(...byName.keys()).chain((name) => perType.get(name)!);
  return {
    name: "ssz",
    description: "SSZ decoding of every phase0 type: the API's typed 400 or a canonical, hashable value",
    arbitrary,
    check: ({type, bytes}) => checkType(type, byName.get(type)!, bytes),
    show: ({type, bytes}) => ({type, bytes: hexOf(bytes)}),
  };
}
