/**
 * Encrypts a BLS secret key into an EIP-2335 v4 keystore with a fresh salt, IV and UUID. The
 * default KDF parameters are the EIP's (scrypt n=2**18 r=8 p=1, PBKDF2 c=2**18); tests and dev
 * tooling may lower them.
 */
import {randomBytes, randomUUID} from "node:crypto";
import {SecretKey} from "@chainsafe/blst";
import {InputError} from "../../util/errors.ts";
import {aes128CtrEncrypt, computeChecksum} from "./cipher.ts";
import {deriveDecryptionKey} from "./kdf.ts";
import {parseKeyPath} from "./keyPath.ts";
import {normalizePassword} from "./password.ts";
import type {KdfName, KdfSpec, KeystoreJson} from "./types.ts";

export interface CreateKeystoreOptions {
  kdf?: KdfName;
  /** scrypt cost (power of two); default 262144. */
  n?: number;
  r?: number;
  p?: number;
  /** PBKDF2 rounds; default 262144. */
  c?: number;
  path?: string;
  description?: string;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

function kdfSpec(opts: CreateKeystoreOptions): KdfSpec {
  const salt = new Uint8Array(randomBytes(32));
  const kdf = opts.kdf ?? "scrypt";
  if (kdf === "scrypt") return {function: "scrypt", dklen: 32, n: opts.n ?? 262144, r: opts.r ?? 8, p: opts.p ?? 1, salt};
  if (kdf === "pbkdf2") return {function: "pbkdf2", dklen: 32, c: opts.c ?? 262144, prf: "hmac-sha256", salt};
  throw new InputError(`unsupported kdf "${String(kdf)}" (expected scrypt or pbkdf2)`);
}

function kdfParamsJson(kdf: KdfSpec): Record<string, unknown> {
  if (kdf.function === "scrypt") return {dklen: kdf.dklen, n: kdf.n, r: kdf.r, p: kdf.p, salt: hex(kdf.salt)};
  return {dklen: kdf.dklen, c: kdf.c, prf: kdf.prf, salt: hex(kdf.salt)};
}

export async function createKeystore(
  secretKey: SecretKey | Uint8Array,
  password: string,
  opts: CreateKeystoreOptions = {}
): Promise<KeystoreJson> {
  let sk: SecretKey;
  try {
    sk = secretKey instanceof SecretKey ? secretKey : SecretKey.fromBytes(secretKey);
  } catch {
    throw new InputError("secret key is not a valid 32-byte BLS secret key");
  }
  const path = opts.path ?? "";
  parseKeyPath(path);
  const kdf = kdfSpec(opts);
  const iv = new Uint8Array(randomBytes(16));
  const dk = await deriveDecryptionKey(kdf, normalizePassword(password));
  const secret = sk.toBytes();
  try {
    const cipherMessage = aes128CtrEncrypt(dk, iv, secret);
    return {
      crypto: {
        kdf: {function: kdf.function, params: kdfParamsJson(kdf), message: ""},
        checksum: {function: "sha256", params: {}, message: hex(computeChecksum(dk, cipherMessage))},
        cipher: {function: "aes-128-ctr", params: {iv: hex(iv)}, message: hex(cipherMessage)},
      },
      ...(opts.description === undefined ? {} : {description: opts.description}),
      pubkey: hex(sk.toPublicKey().toBytes(true)),
      path,
      uuid: randomUUID(),
      version: 4,
    };
  } finally {
    dk.fill(0);
    secret.fill(0);
  }
}
