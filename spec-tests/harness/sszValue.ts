/**
 * Turns a vector's YAML value (tests/formats: containers as mappings keyed by field name, lists
 * and vectors as sequences, uints as integers or decimal strings, bytes and bitfields as 0x-hex
 * of their serialized form) into an @chainsafe/ssz value of the given type. Strict on purpose:
 * a missing or extra field, a length outside the type's bounds or an out-of-range integer is an
 * error naming the path, so that a vector never half-matches.
 */
import {
  ArrayType,
  BitArrayType,
  BooleanType,
  ByteArrayType,
  ByteListType,
  ByteVectorType,
  ContainerType,
  UintBigintType,
  UintNumberType,
  type Type,
} from "@chainsafe/ssz";
import {CaseFailure} from "./types.ts";

type AnyContainer = ContainerType<Record<string, Type<unknown>>>;
type AnyArray = ArrayType<Type<unknown>, unknown, unknown> & {length?: number; limit?: number};

export function valueFromYaml(type: Type<unknown>, yaml: unknown, path = "value"): unknown {
  if (type instanceof UintNumberType || type instanceof UintBigintType) return uintFromYaml(type, yaml, path);
  if (type instanceof BooleanType) {
    if (typeof yaml !== "boolean") throw bad(path, "a boolean", yaml);
    return yaml;
  }
  if (type instanceof ByteArrayType) {
    const bytes = hexBytes(yaml, path);
    if (type instanceof ByteVectorType && bytes.length !== type.lengthBytes) {
      throw new CaseFailure(`${path}: expected ${type.lengthBytes} bytes, got ${bytes.length}`);
    }
    if (type instanceof ByteListType && bytes.length > type.limitBytes) {
      throw new CaseFailure(`${path}: ${bytes.length} bytes exceed the limit ${type.limitBytes}`);
    }
    return bytes;
  }
  if (type instanceof BitArrayType) {
    // Bitfields are written as their serialized bytes (a bitlist includes its delimiter bit).
    const bytes = hexBytes(yaml, path);
    try {
      return type.deserialize(bytes);
    } catch (e) {
      throw new CaseFailure(`${path}: invalid ${type.typeName} bytes: ${(e as Error).message}`);
    }
  }
  if (type instanceof ContainerType) return containerFromYaml(type as AnyContainer, yaml, path);
  if (type instanceof ArrayType) return arrayFromYaml(type as AnyArray, yaml, path);
  throw new CaseFailure(`${path}: SSZ type ${type.typeName} has no YAML mapping here`);
}

function containerFromYaml(type: AnyContainer, yaml: unknown, path: string): Record<string, unknown> {
  if (yaml === null || typeof yaml !== "object" || Array.isArray(yaml)) throw bad(path, `a ${type.typeName} mapping`, yaml);
  const obj = yaml as Record<string, unknown>;
  const fieldNames = new Set(type.fieldsEntries.map((f) => f.fieldName));
  const extra = Object.keys(obj).filter((k) => !fieldNames.has(k));
  if (extra.length > 0) throw new CaseFailure(`${path}: unknown field(s) of ${type.typeName}: ${extra.join(", ")}`);
  const value: Record<string, unknown> = {};
  for (const {fieldName, fieldType} of type.fieldsEntries) {
    if (!(fieldName in obj)) throw new CaseFailure(`${path}: missing field ${fieldName} of ${type.typeName}`);
    value[fieldName] = valueFromYaml(fieldType, obj[fieldName], `${path}.${fieldName}`);
  }
  return value;
}

function arrayFromYaml(type: AnyArray, yaml: unknown, path: string): unknown[] {
  if (!Array.isArray(yaml)) throw bad(path, "a sequence", yaml);
  if (type.isList) {
    if (yaml.length > (type.limit as number)) {
      throw new CaseFailure(`${path}: ${yaml.length} elements exceed the list limit ${type.limit}`);
    }
  } else if (yaml.length !== type.length) {
    throw new CaseFailure(`${path}: vector of length ${type.length} has ${yaml.length} elements`);
  }
  return yaml.map((item, i) => valueFromYaml(type.elementType, item, `${path}[${i}]`));
}

function uintFromYaml(type: UintNumberType | UintBigintType, yaml: unknown, path: string): number | bigint {
  let v: bigint;
  if (typeof yaml === "bigint") v = yaml;
  else if (typeof yaml === "number" && Number.isSafeInteger(yaml)) v = BigInt(yaml);
  // uint128 and uint256 values are written as quoted decimal strings.
  else if (typeof yaml === "string" && /^[0-9]+$/.test(yaml)) v = BigInt(yaml);
  else throw bad(path, `a uint${type.byteLength * 8}`, yaml);
  const max = (1n << BigInt(type.byteLength * 8)) - 1n;
  if (v < 0n || v > max) throw new CaseFailure(`${path}: ${v} is out of range for uint${type.byteLength * 8}`);
  if (type instanceof UintBigintType) return v;
  if (v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
  // A number-backed uint64 holds 2**64-1 as Infinity (if the type clips) and nothing else above 2**53.
  if (v === max) return type.fromJson(max.toString());
  throw new CaseFailure(`${path}: ${v} exceeds 2**53, which a number-backed ${type.typeName || "uint"} cannot hold exactly`);
}

function hexBytes(yaml: unknown, path: string): Uint8Array {
  if (typeof yaml !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(yaml)) throw bad(path, "0x-prefixed hex bytes", yaml);
  return new Uint8Array(Buffer.from(yaml.slice(2), "hex"));
}

function bad(path: string, expected: string, got: unknown): CaseFailure {
  const shown = typeof got === "string" ? JSON.stringify(got.length > 40 ? got.slice(0, 40) + "..." : got) : String(got);
  return new CaseFailure(`${path}: expected ${expected}, got ${Array.isArray(got) ? "a sequence" : typeof got === "object" && got !== null ? "a mapping" : shown}`);
}
