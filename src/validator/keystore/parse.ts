/**
 * Validates an EIP-2335 keystore object field by field and decodes its hex. Every failure is a
 * KeystoreError naming the field; nothing here sees the password.
 */
import {fromHex} from "../../util/bytes.ts";
import {KeystoreError} from "./errors.ts";
import {parseKeyPath} from "./keyPath.ts";
import type {KdfSpec, ParsedKeystore} from "./types.ts";

/** scrypt needs 128 * n * r bytes; refuse files asking for more than this (1 GiB). */
export const MAX_SCRYPT_MEMORY = 2 ** 30;
const MAX_DKLEN = 1024;
const MAX_PBKDF2_ROUNDS = 2 ** 31 - 1;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Json = Record<string, unknown>;

function malformed(message: string, options?: ErrorOptions): KeystoreError {
  return new KeystoreError("KEYSTORE_MALFORMED", message, options);
}

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function field(obj: Json, key: string, where: string): unknown {
  if (!(key in obj)) throw malformed(`missing field ${where}.${key}`);
  return obj[key];
}

function objectField(obj: Json, key: string, where: string): Json {
  const v = field(obj, key, where);
  if (!isObject(v)) throw malformed(`${where}.${key} must be an object`);
  return v;
}

function stringField(obj: Json, key: string, where: string): string {
  const v = field(obj, key, where);
  if (typeof v !== "string") throw malformed(`${where}.${key} must be a string`);
  return v;
}

function intField(obj: Json, key: string, where: string, min: number, max: number): number {
  const v = field(obj, key, where);
  if (typeof v !== "number" || !Number.isSafeInteger(v)) throw malformed(`${where}.${key} must be an integer`);
  if (v < min || v > max) {
    throw new KeystoreError("KEYSTORE_KDF_PARAMS_OUT_OF_RANGE", `${where}.${key} = ${v} is outside [${min}, ${max}]`);
  }
  return v;
}

function hexField(obj: Json, key: string, where: string, length?: number): Uint8Array {
  const v = stringField(obj, key, where);
  try {
    return fromHex(v, length);
  } catch (e) {
    throw malformed(`${where}.${key} is not ${length === undefined ? "" : `${length}-byte `}hex`, {cause: e});
  }
}

function parseKdf(kdf: Json): KdfSpec {
  const fn = stringField(kdf, "function", "crypto.kdf");
  const params = objectField(kdf, "params", "crypto.kdf");
  stringField(kdf, "message", "crypto.kdf");
  const where = "crypto.kdf.params";
  if (fn === "scrypt") {
    const dklen = intField(params, "dklen", where, 32, MAX_DKLEN);
    const n = intField(params, "n", where, 2, MAX_SCRYPT_MEMORY);
    if ((n & (n - 1)) !== 0) throw new KeystoreError("KEYSTORE_KDF_PARAMS_OUT_OF_RANGE", `${where}.n = ${n} is not a power of two`);
    const r = intField(params, "r", where, 1, MAX_SCRYPT_MEMORY);
    const p = intField(params, "p", where, 1, MAX_SCRYPT_MEMORY);
    if (128 * n * r > MAX_SCRYPT_MEMORY || 128 * r * p > MAX_SCRYPT_MEMORY) {
      throw new KeystoreError("KEYSTORE_KDF_PARAMS_OUT_OF_RANGE", `scrypt parameters n=${n} r=${r} p=${p} need more than ${MAX_SCRYPT_MEMORY} bytes`);
    }
    return {function: "scrypt", dklen, n, r, p, salt: hexField(params, "salt", where)};
  }
  if (fn === "pbkdf2") {
    const dklen = intField(params, "dklen", where, 32, MAX_DKLEN);
    const c = intField(params, "c", where, 1, MAX_PBKDF2_ROUNDS);
    const prf = stringField(params, "prf", where);
    if (prf !== "hmac-sha256") throw new KeystoreError("KEYSTORE_UNSUPPORTED_KDF", `unsupported pbkdf2 prf "${prf}" (expected hmac-sha256)`);
    return {function: "pbkdf2", dklen, c, prf, salt: hexField(params, "salt", where)};
  }
  throw new KeystoreError("KEYSTORE_UNSUPPORTED_KDF", `unsupported kdf "${fn}" (expected scrypt or pbkdf2)`);
}

/** Checks a parsed JSON value against EIP-2335 v4 and the modules this client supports. */
export function parseKeystore(json: unknown): ParsedKeystore {
  if (!isObject(json)) throw malformed("keystore must be a JSON object");
  const version = field(json, "version", "keystore");
  if (version !== 4) throw new KeystoreError("KEYSTORE_UNSUPPORTED_VERSION", `unsupported keystore version ${JSON.stringify(version)} (expected 4)`);

  const crypto = objectField(json, "crypto", "keystore");
  const kdf = parseKdf(objectField(crypto, "kdf", "crypto"));

  const checksum = objectField(crypto, "checksum", "crypto");
  const checksumFn = stringField(checksum, "function", "crypto.checksum");
  if (checksumFn !== "sha256") throw new KeystoreError("KEYSTORE_UNSUPPORTED_CHECKSUM", `unsupported checksum "${checksumFn}" (expected sha256)`);
  objectField(checksum, "params", "crypto.checksum");
  const checksumMessage = hexField(checksum, "message", "crypto.checksum", 32);

  const cipher = objectField(crypto, "cipher", "crypto");
  const cipherFn = stringField(cipher, "function", "crypto.cipher");
  if (cipherFn !== "aes-128-ctr") throw new KeystoreError("KEYSTORE_UNSUPPORTED_CIPHER", `unsupported cipher "${cipherFn}" (expected aes-128-ctr)`);
  const iv = hexField(objectField(cipher, "params", "crypto.cipher"), "iv", "crypto.cipher.params", 16);
  const cipherMessage = hexField(cipher, "message", "crypto.cipher");

  const path = stringField(json, "path", "keystore");
  try {
    parseKeyPath(path);
  } catch (e) {
    throw malformed(`keystore.path is not an ERC-2334 path: "${path}"`, {cause: e});
  }
  const uuid = stringField(json, "uuid", "keystore");
  if (!UUID.test(uuid)) throw malformed(`keystore.uuid is not a UUID: "${uuid}"`);

  let pubkey: Uint8Array | null = null;
  if (json.pubkey !== undefined && json.pubkey !== "") pubkey = hexField(json, "pubkey", "keystore", 48);
  let description: string | undefined;
  if (json.description !== undefined) description = stringField(json, "description", "keystore");

  return {
    kdf,
    checksum: {function: "sha256", message: checksumMessage},
    cipher: {function: "aes-128-ctr", iv, message: cipherMessage},
    pubkey,
    path,
    uuid,
    ...(description === undefined ? {} : {description}),
  };
}

/** Parses keystore file text; JSON syntax errors become KEYSTORE_MALFORMED. */
export function parseKeystoreText(text: string): ParsedKeystore {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw malformed(`not valid JSON: ${(e as Error).message}`);
  }
  return parseKeystore(json);
}
