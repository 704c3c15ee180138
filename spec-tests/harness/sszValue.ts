/**
 * Turns a vector's YAML value (tests/formats: containers as mappings keyed by field name, lists
 * and vectors as sequences, uints as integers or decimal strings, bytes and bitfields as 0x-hex
 * of their serialized form) into an @chainsafe/ssz value of the given type, with the client's
 * strict tree decoder. A missing or extra field, a length outside the type's bounds or an
 * out-of-range integer is a CaseFailure naming the path, so that a vector never half-matches.
 */
import type {Type} from "@chainsafe/ssz";
import {sszValueFromTree, type TreeSyntax} from "../../src/types/fromTree.ts";
import {CaseFailure} from "./types.ts";

const VECTOR_YAML: TreeSyntax = {
  integerForm: "an unsigned integer",
  readInteger(leaf) {
    if (typeof leaf === "bigint") return leaf;
    if (typeof leaf === "number" && Number.isSafeInteger(leaf)) return BigInt(leaf);
    // uint128 and uint256 values are written as quoted decimal strings.
    if (typeof leaf === "string" && /^[0-9]+$/.test(leaf)) return BigInt(leaf);
    return null;
  },
  keys: "fieldName",
  ignoreUnknownFields: false,
  error: (path, message) => new CaseFailure(`${path}: ${message}`),
  unsupported: (typeName) => new CaseFailure(`SSZ type ${typeName} has no YAML mapping here`),
};

export function valueFromYaml(type: Type<unknown>, yaml: unknown, path = "value"): unknown {
  return sszValueFromTree(type, yaml, VECTOR_YAML, path);
}
