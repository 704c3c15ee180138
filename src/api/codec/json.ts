/**
 * Strict JSON decoding of SSZ values in the Beacon API's encoding: integers as decimal strings,
 * bytes and bitfields as 0x-hex, containers as objects with every field (keys that are not fields
 * are ignored). Every mismatch is a 400 naming the path of the offending field.
 */
import type {Type} from "@chainsafe/ssz";
import {decimalFits, describeValue, joinPath, sszValueFromTree, type TreeSyntax} from "../../types/fromTree.ts";
import {ApiError} from "../errors.ts";

export class JsonDecodeError extends ApiError {
  readonly path: string;
  constructor(path: string, message: string) {
    super(400, "INVALID_JSON_VALUE", path === "" ? message : `${path}: ${message}`);
    this.path = path;
  }
}

const DECIMAL = /^[0-9]+$/;

const API_JSON: TreeSyntax = {
  integerForm: "an unsigned integer as a decimal string",
  readInteger(leaf, bits) {
    if (typeof leaf !== "string" || !DECIMAL.test(leaf)) return null;
    return decimalFits(leaf, bits) ? BigInt(leaf) : undefined;
  },
  keys: "jsonKey",
  ignoreUnknownFields: true,
  error: (path, message) => new JsonDecodeError(path, message),
  unsupported: (typeName) => new ApiError(500, "UNSUPPORTED_JSON_TYPE", `no strict JSON decoding for SSZ type ${typeName}`),
};

/** Decodes `json` as a value of `type`, or throws JsonDecodeError naming the field. */
export function fromJsonStrict<T>(type: Type<T>, json: unknown, path = ""): T {
  return sszValueFromTree(type, json, API_JSON, path);
}

/** A JSON array of values of `type` (batch submissions), each item decoded independently. */
export function listFromJsonStrict<T>(type: Type<T>, json: unknown, path = ""): T[] {
  if (!Array.isArray(json)) throw new JsonDecodeError(path, `expected an array, got ${describeValue(json)}`);
  return json.map((item, i) => fromJsonStrict(type, item, joinPath(path, i)));
}
