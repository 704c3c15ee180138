/**
 * An SSZ value from a parsed tree (API JSON, spec-test YAML), strictly: containers as objects
 * with every field present, lists and vectors as arrays within the type's bounds, bytes and
 * bitfields as 0x-hex of their serialized bytes, integers in range. The first mismatch throws the
 * caller's error, naming the path of the offending value. How integers are written, how members
 * are keyed and whether a container may carry other keys depend on the source (TreeSyntax).
 * @chainsafe/ssz's own `fromJson` is lenient (it reads "12abc" as 12), hence this.
 *
 * uint64 values follow Gnomon's number representation: a number-backed uint is exact below
 * 2**53, 2**64-1 is Infinity, anything else in between is refused (it cannot be held exactly).
 */
import {
  ArrayType,
  BitArrayType,
  BitListType,
  BitVectorType,
  BooleanType,
  ByteListType,
  ByteVectorType,
  ContainerType,
  UintBigintType,
  UintNumberType,
  type Type,
} from "@chainsafe/ssz";

export interface TreeSyntax {
  /** How the source writes an integer, for messages ("an unsigned integer as a decimal string"). */
  integerForm: string;
  /**
   * The integer a leaf holds, null when the leaf is not an integer as this source writes them, or
   * undefined when it is one but cannot fit in `bits` bits (found without building a huge BigInt).
   */
  readInteger(leaf: unknown, bits: number): bigint | null | undefined;
  /** How a container's members are keyed: by the type's field names, or by its JSON keys. */
  keys: "fieldName" | "jsonKey";
  /** Keys of a container that are not its fields are ignored (else refused). */
  ignoreUnknownFields: boolean;
  /** The error for a value that does not match the type, at `path` ("" or the caller's root name at the top). */
  error(path: string, message: string): Error;
  /** The error for a type this decoder has no mapping for (a fault of the caller, not of the input). */
  unsupported(typeName: string): Error;
}

type AnyContainer = ContainerType<Record<string, Type<unknown>>>;
type AnyArray = ArrayType<Type<unknown>, unknown, unknown> & {length?: number; limit?: number};

const UINT64_MAX = (1n << 64n) - 1n;

/** Decodes `tree` as a value of `type`; `path` names the tree in messages (e.g. "value"). */
export function sszValueFromTree<T>(type: Type<T>, tree: unknown, syntax: TreeSyntax, path = ""): T {
  return decode(type as Type<unknown>, tree, syntax, path) as T;
}

/** The path of a member: `a.b`, `a[3]`. */
export function joinPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path === "" ? key : `${path}.${key}`;
}

/** A short description of a value for messages. */
export function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return `"${v.length > 40 ? v.slice(0, 40) + "..." : v}"`;
  if (typeof v === "object") return "an object";
  return `${typeof v} ${String(v)}`;
}

function decode(type: Type<unknown>, tree: unknown, syntax: TreeSyntax, path: string): unknown {
  if (type instanceof UintNumberType || type instanceof UintBigintType) return uint(type, tree, syntax, path);
  if (type instanceof BooleanType) {
    if (typeof tree !== "boolean") throw syntax.error(path, `expected true or false, got ${describeValue(tree)}`);
    return tree;
  }
  if (type instanceof ByteVectorType) {
    const bytes = hexBytes(tree, syntax, path);
    if (bytes.length !== type.lengthBytes) throw syntax.error(path, `expected ${type.lengthBytes} bytes of hex, got ${bytes.length}`);
    return bytes;
  }
  if (type instanceof ByteListType) {
    const bytes = hexBytes(tree, syntax, path);
    if (bytes.length > type.limitBytes) throw syntax.error(path, `${bytes.length} bytes exceed the limit of ${type.limitBytes}`);
    return bytes;
  }
  if (type instanceof BitArrayType) {
    // A bitfield is written as its serialized bytes (a bitlist with its delimiter bit).
    const bytes = hexBytes(tree, syntax, path);
    try {
      return type.deserialize(bytes);
    } catch (e) {
      const what =
        type instanceof BitListType ? `a bitlist of at most ${type.limitBits} bits` : `a bitvector of ${(type as BitVectorType).lengthBits} bits`;
      throw syntax.error(path, `not ${what}: ${(e as Error).message}`);
    }
  }
  if (type instanceof ContainerType) return container(type as AnyContainer, tree, syntax, path);
  if (type instanceof ArrayType) return array(type as AnyArray, tree, syntax, path);
  throw syntax.unsupported(type.typeName);
}

/**
 * Whether `s` is decimal digits whose value may fit in `bits` bits: leading zeros aside, a uint64
 * has at most 20 digits. Checked before any BigInt is built, because turning a hostile string of
 * millions of digits into a BigInt costs seconds of CPU.
 */
export function decimalFits(s: string, bits: number): boolean {
  const maxDigits = Math.ceil((bits * Math.LN2) / Math.LN10);
  let significant = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
    if (significant > 0 || c !== 48) significant++;
    if (significant > maxDigits) return false;
  }
  return s.length > 0;
}

/** Whether `s` is "0x" and an even number of hex digits; a loop, since a regex over megabytes of input can exhaust the stack. */
export function isHex(s: string): boolean {
  if (s.length % 2 !== 0 || s.charCodeAt(0) !== 48 || s.charCodeAt(1) !== 120) return false;
  for (let i = 2; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}

function uint(type: UintNumberType | UintBigintType, tree: unknown, syntax: TreeSyntax, path: string): number | bigint {
  const bits = type.byteLength * 8;
  const v = syntax.readInteger(tree, bits);
  if (v === null) throw syntax.error(path, `expected ${syntax.integerForm}, got ${describeValue(tree)}`);
  // The integer itself when it was read (a few dozen digits at most), else a clipped description of the leaf.
  const shown = v === undefined ? describeValue(tree) : String(v).length > 80 ? String(v).slice(0, 80) + "..." : String(v);
  if (v === undefined || v < 0n || v >= 1n << BigInt(bits)) throw syntax.error(path, `${shown} does not fit in uint${bits}`);
  if (type instanceof UintBigintType) return v;
  if (v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
  if (bits === 64 && v === UINT64_MAX) return Infinity;
  throw syntax.error(path, `${shown} is too large (above 2^53 and not 2^64-1)`);
}

function hexBytes(tree: unknown, syntax: TreeSyntax, path: string): Uint8Array {
  if (typeof tree !== "string" || !isHex(tree)) throw syntax.error(path, `expected 0x-prefixed hex, got ${describeValue(tree)}`);
  return new Uint8Array(Buffer.from(tree.slice(2), "hex"));
}

function container(type: AnyContainer, tree: unknown, syntax: TreeSyntax, path: string): Record<string, unknown> {
  if (tree === null || typeof tree !== "object" || Array.isArray(tree)) throw syntax.error(path, `expected an object, got ${describeValue(tree)}`);
  const obj = tree as Record<string, unknown>;
  const keyOf = (f: (typeof type.fieldsEntries)[number]): string => f[syntax.keys];
  if (!syntax.ignoreUnknownFields) {
    const keys = new Set(type.fieldsEntries.map(keyOf));
    const extra = Object.keys(obj).filter((k) => !keys.has(k));
    if (extra.length > 0) throw syntax.error(path, `unknown field(s) of ${type.typeName}: ${extra.join(", ")}`);
  }
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsEntries) {
    const key = keyOf(field);
    const p = joinPath(path, key);
    if (!Object.hasOwn(obj, key)) throw syntax.error(p, "missing field");
    out[field.fieldName] = decode(field.fieldType, obj[key], syntax, p);
  }
  return out;
}

function array(type: AnyArray, tree: unknown, syntax: TreeSyntax, path: string): unknown[] {
  if (!Array.isArray(tree)) throw syntax.error(path, `expected an array, got ${describeValue(tree)}`);
  if (type.isList) {
    if (tree.length > (type.limit as number)) throw syntax.error(path, `${tree.length} items exceed the limit of ${type.limit}`);
  } else if (tree.length !== type.length) {
    throw syntax.error(path, `expected ${type.length} items, got ${tree.length}`);
  }
  return tree.map((item, i) => decode(type.elementType, item, syntax, joinPath(path, i)));
}
