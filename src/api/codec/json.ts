/**
 * Strict JSON decoding of SSZ values in the Beacon API's encoding: integers as decimal strings,
 * bytes and bitfields as 0x-hex, containers as objects with every field. @chainsafe/ssz's own
 * `fromJson` is lenient (it reads "12abc" as 12 and accepts -1), so request bodies are walked here
 * against the type and every mismatch is reported with the path of the offending field.
 */
import {
  BitListType,
  BitVectorType,
  BooleanType,
  ByteListType,
  ByteVectorType,
  ContainerType,
  ListBasicType,
  ListCompositeType,
  UintBigintType,
  UintNumberType,
  VectorBasicType,
  VectorCompositeType,
  type Type,
} from "@chainsafe/ssz";
import {ApiError} from "../errors.ts";

export class JsonDecodeError extends ApiError {
  readonly path: string;
  constructor(path: string, message: string) {
    super(400, "INVALID_JSON_VALUE", path === "" ? message : `${path}: ${message}`);
    this.path = path;
  }
}

const DECIMAL = /^[0-9]+$/;
const HEX = /^0x([0-9a-fA-F]{2})*$/;

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return `"${v.length > 40 ? v.slice(0, 40) + "..." : v}"`;
  if (typeof v === "object") return "an object";
  return `${typeof v} ${String(v)}`;
}

/** A decimal string for an unsigned integer of `byteLength` bytes, as bigint. */
function decimal(json: unknown, byteLength: number, path: string): bigint {
  if (typeof json !== "string" || !DECIMAL.test(json)) {
    throw new JsonDecodeError(path, `expected an unsigned integer as a decimal string, got ${describe(json)}`);
  }
  const v = BigInt(json);
  if (v >= 1n << BigInt(byteLength * 8)) throw new JsonDecodeError(path, `${json} does not fit in uint${byteLength * 8}`);
  return v;
}

function hexBytes(json: unknown, path: string): Uint8Array {
  if (typeof json !== "string" || !HEX.test(json)) {
    throw new JsonDecodeError(path, `expected 0x-prefixed hex, got ${describe(json)}`);
  }
  return new Uint8Array(Buffer.from(json.slice(2), "hex"));
}

function array(json: unknown, path: string): unknown[] {
  if (!Array.isArray(json)) throw new JsonDecodeError(path, `expected an array, got ${describe(json)}`);
  return json;
}

function join(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path === "" ? key : `${path}.${key}`;
}

/**
 * Decodes `json` as a value of `type`, or throws JsonDecodeError naming the field. uint64 values
 * follow Gnomon's number representation: exact below 2**53, 2**64-1 as Infinity, anything else in
 * between refused (it cannot be held exactly).
 */
export function fromJsonStrict<T>(type: Type<T>, json: unknown, path = ""): T {
  return decode(type as Type<unknown>, json, path) as T;
}

function decode(type: Type<unknown>, json: unknown, path: string): unknown {
  if (type instanceof UintNumberType) {
    const v = decimal(json, type.byteLength, path);
    if (v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
    if (type.byteLength === 8 && v === (1n << 64n) - 1n) return Infinity;
    throw new JsonDecodeError(path, `${String(json)} is too large (above 2^53 and not 2^64-1)`);
  }
  if (type instanceof UintBigintType) return decimal(json, type.byteLength, path);
  if (type instanceof BooleanType) {
    if (typeof json !== "boolean") throw new JsonDecodeError(path, `expected true or false, got ${describe(json)}`);
    return json;
  }
  if (type instanceof ByteVectorType) {
    const bytes = hexBytes(json, path);
    if (bytes.length !== type.lengthBytes) {
      throw new JsonDecodeError(path, `expected ${type.lengthBytes} bytes of hex, got ${bytes.length}`);
    }
    return bytes;
  }
  if (type instanceof ByteListType) {
    const bytes = hexBytes(json, path);
    if (bytes.length > type.limitBytes) throw new JsonDecodeError(path, `${bytes.length} bytes exceed the limit of ${type.limitBytes}`);
    return bytes;
  }
  if (type instanceof BitListType || type instanceof BitVectorType) {
    const bytes = hexBytes(json, path);
    try {
      return type.deserialize(bytes);
    } catch (e) {
      const what = type instanceof BitListType ? `a bitlist of at most ${type.limitBits} bits` : `a bitvector of ${type.lengthBits} bits`;
      throw new JsonDecodeError(path, `not ${what}: ${(e as Error).message}`);
    }
  }
  if (type instanceof ContainerType) {
    if (json === null || typeof json !== "object" || Array.isArray(json)) {
      throw new JsonDecodeError(path, `expected an object, got ${describe(json)}`);
    }
    const obj = json as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const {fieldName, fieldType, jsonKey} of type.fieldsEntries) {
      const p = join(path, jsonKey);
      if (!Object.hasOwn(obj, jsonKey)) throw new JsonDecodeError(p, "missing field");
      out[fieldName as string] = decode(fieldType as Type<unknown>, obj[jsonKey], p);
    }
    return out;
  }
  if (type instanceof ListBasicType || type instanceof ListCompositeType) {
    const items = array(json, path);
    if (items.length > type.limit) throw new JsonDecodeError(path, `${items.length} items exceed the limit of ${type.limit}`);
    const elementType = type.elementType as Type<unknown>;
    return items.map((item, i) => decode(elementType, item, join(path, i)));
  }
  if (type instanceof VectorBasicType || type instanceof VectorCompositeType) {
    const items = array(json, path);
    if (items.length !== type.length) throw new JsonDecodeError(path, `expected ${type.length} items, got ${items.length}`);
    const elementType = type.elementType as Type<unknown>;
    return items.map((item, i) => decode(elementType, item, join(path, i)));
  }
  throw new ApiError(500, "UNSUPPORTED_JSON_TYPE", `no strict JSON decoding for SSZ type ${type.typeName}`);
}

/** A JSON array of values of `type` (batch submissions), each item decoded independently. */
export function listFromJsonStrict<T>(type: Type<T>, json: unknown, path = ""): T[] {
  return array(json, path).map((item, i) => fromJsonStrict(type, item, join(path, i)));
}
