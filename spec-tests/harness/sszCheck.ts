/**
 * The SSZ conformance checks shared by ssz_static and ssz_generic (tests/formats/ssz_static/core.md,
 * ssz_generic/README.md). Both the value path (`deserialize`) and the tree path
 * (`deserializeToViewDU`, which the client runs on) are checked, since they are separate code.
 */
import {ArrayType, BooleanType, isCompositeType, type Type} from "@chainsafe/ssz";
import {bytesEqual, toHex} from "../../src/util/bytes.ts";
import {CaseFailure} from "./types.ts";
import {valueFromYaml} from "./sszValue.ts";

export interface ValidSszCase {
  /** Decompressed `serialized.ssz_snappy`. */
  serialized: Uint8Array;
  /** Parsed `value.yaml`. */
  yamlValue: unknown;
  /** The expected hash_tree_root as written in the YAML (`0x` hex). */
  root: unknown;
  /** File the root came from, for messages. */
  rootFile: string;
}

/** Decode -> root, value -> encode, decode -> value, encode(decode) roundtrip; all problems in one message. */
export function checkValidSsz(type: Type<unknown>, c: ValidSszCase): void {
  const problems: string[] = [];
  const expectedRoot = rootFromYaml(c.root, c.rootFile);

  let decoded: unknown;
  try {
    decoded = type.deserialize(c.serialized);
  } catch (e) {
    throw new CaseFailure(`deserialize(serialized) failed: ${(e as Error).message}`);
  }
  const root = type.hashTreeRoot(decoded);
  if (!bytesEqual(root, expectedRoot)) {
    problems.push(`hash_tree_root is ${toHex(root)}, ${c.rootFile} says ${toHex(expectedRoot)}`);
  }
  const reencoded = type.serialize(decoded);
  if (!bytesEqual(reencoded, c.serialized)) problems.push(`serialize(deserialize(serialized)) ${byteDiff(reencoded, c.serialized)}`);

  if (isCompositeType(type)) {
    let view: {hashTreeRoot(): Uint8Array; serialize(): Uint8Array};
    try {
      view = type.deserializeToViewDU(c.serialized) as typeof view;
    } catch (e) {
      throw new CaseFailure(`deserializeToViewDU(serialized) failed: ${(e as Error).message}`);
    }
    // Reported only where the tree path disagrees with the value path (else it is the same problem).
    const viewRoot = view.hashTreeRoot();
    if (!bytesEqual(viewRoot, expectedRoot) && !bytesEqual(viewRoot, root)) {
      problems.push(`tree-backed hash_tree_root is ${toHex(viewRoot)}, ${c.rootFile} says ${toHex(expectedRoot)}`);
    }
    const viewBytes = view.serialize();
    if (!bytesEqual(viewBytes, c.serialized) && !bytesEqual(viewBytes, reencoded)) {
      problems.push(`tree-backed serialize ${byteDiff(viewBytes, c.serialized)}`);
    }
  }

  let expected: unknown;
  try {
    expected = valueFromYaml(type, c.yamlValue);
  } catch (e) {
    if (!(e instanceof CaseFailure)) throw e;
    problems.push(`value.yaml: ${e.message}`);
  }
  if (expected !== undefined) {
    const encoded = type.serialize(expected);
    if (!bytesEqual(encoded, c.serialized)) problems.push(`serialize(value.yaml) ${byteDiff(encoded, c.serialized)}`);
    if (!type.equals(decoded, expected)) {
      const at = firstJsonDiff(type.toJson(decoded), type.toJson(expected), "value");
      problems.push(`deserialize(serialized) differs from value.yaml at ${at}`);
    }
  }

  if (problems.length > 0) throw new CaseFailure(problems.join("; "));
}

/**
 * An invalid encoding must be refused by the value decoder, and by the tree decoder too, except
 * for packed boolean arrays: @chainsafe/ssz's tree decoder copies their bytes into chunks without
 * checking each is 0 or 1 (no phase0 type has a List or Vector of booleans).
 */
export function checkInvalidSsz(type: Type<unknown>, serialized: Uint8Array): void {
  let accepted = false;
  try {
    type.deserialize(serialized);
    accepted = true;
  } catch {
    // refused, as it must be
  }
  if (accepted) throw new CaseFailure(`deserialize accepted ${serialized.length} invalid bytes ${preview(serialized)}`);
  if (isCompositeType(type) && !isBooleanArray(type)) {
    try {
      type.deserializeToViewDU(serialized);
      accepted = true;
    } catch {
      // refused, as it must be
    }
    if (accepted) throw new CaseFailure(`deserializeToViewDU accepted ${serialized.length} invalid bytes ${preview(serialized)}`);
  }
}

function isBooleanArray(type: Type<unknown>): boolean {
  return type instanceof ArrayType && type.elementType instanceof BooleanType;
}

function rootFromYaml(root: unknown, file: string): Uint8Array {
  if (typeof root !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(root)) {
    throw new CaseFailure(`${file}: root must be 0x-prefixed 32-byte hex, got ${String(root).slice(0, 80)}`);
  }
  return new Uint8Array(Buffer.from(root.slice(2), "hex"));
}

function byteDiff(got: Uint8Array, want: Uint8Array): string {
  let i = 0;
  while (i < got.length && i < want.length && got[i] === want[i]) i++;
  return `gives ${got.length} bytes, serialized.ssz_snappy has ${want.length}; first difference at byte ${i}`;
}

function preview(bytes: Uint8Array): string {
  return bytes.length <= 16 ? toHex(bytes) : `${toHex(bytes.subarray(0, 16))}...`;
}

/** Path of the first difference between two JSON trees (only called once values differ). */
function firstJsonDiff(a: unknown, b: unknown, path: string): string {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path} (length ${a.length} vs ${b.length})`;
    for (let i = 0; i < a.length; i++) {
      if (JSON.stringify(a[i]) !== JSON.stringify(b[i])) return firstJsonDiff(a[i], b[i], `${path}[${i}]`);
    }
  } else if (a && b && typeof a === "object" && typeof b === "object") {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    for (const k of Object.keys(ao)) {
      if (JSON.stringify(ao[k]) !== JSON.stringify(bo[k])) return firstJsonDiff(ao[k], bo[k], `${path}.${k}`);
    }
  }
  return `${path} (${short(a)} vs ${short(b)})`;
}

function short(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? s.slice(0, 77) + "..." : s;
}
