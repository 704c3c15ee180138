/**
 * EIP-2335 decryption: derive the key, verify the password through the checksum, decrypt the
 * secret, and check that it is a BLS secret key matching the stated public key.
 */
import {SecretKey} from "@chainsafe/blst";
import {bytesEqual, toHex} from "../../util/bytes.ts";
import {aes128CtrDecrypt, checksumMatches} from "./cipher.ts";
import {KeystoreError} from "./errors.ts";
import {deriveDecryptionKey} from "./kdf.ts";
import {parseKeystore} from "./parse.ts";
import {normalizePassword} from "./password.ts";
import type {ParsedKeystore} from "./types.ts";

export interface DecryptedKeystore {
  secretKey: SecretKey;
  /** 48-byte compressed public key derived from the secret. */
  pubkey: Uint8Array;
  path: string;
  uuid: string;
}

function isParsed(k: unknown): k is ParsedKeystore {
  return typeof k === "object" && k !== null && (k as ParsedKeystore).checksum?.message instanceof Uint8Array;
}

/** The raw secret bytes of a keystore (parsed or plain JSON object) under `password`. */
export async function decryptKeystoreSecret(keystore: ParsedKeystore | unknown, password: string): Promise<Uint8Array> {
  const ks = isParsed(keystore) ? keystore : parseKeystore(keystore);
  let dk: Uint8Array;
  try {
    dk = await deriveDecryptionKey(ks.kdf, normalizePassword(password));
  } catch (e) {
    throw new KeystoreError("KEYSTORE_KDF_PARAMS_OUT_OF_RANGE", `${ks.kdf.function} key derivation failed: ${(e as Error).message}`);
  }
  try {
    if (!checksumMatches(dk, ks.cipher.message, ks.checksum.message)) {
      throw new KeystoreError("KEYSTORE_WRONG_PASSWORD", "wrong password: checksum does not match");
    }
    return aes128CtrDecrypt(dk, ks.cipher.iv, ks.cipher.message);
  } finally {
    dk.fill(0);
  }
}

/** Decrypts a keystore into a usable BLS secret key. */
export async function decryptKeystore(keystore: ParsedKeystore | unknown, password: string): Promise<DecryptedKeystore> {
  const ks = isParsed(keystore) ? keystore : parseKeystore(keystore);
  const secret = await decryptKeystoreSecret(ks, password);
  let secretKey: SecretKey;
  try {
    if (secret.length !== 32) throw new Error(`${secret.length} bytes`);
    secretKey = SecretKey.fromBytes(secret);
  } catch {
    throw new KeystoreError("KEYSTORE_INVALID_SECRET", "decrypted secret is not a valid 32-byte BLS secret key");
  } finally {
    secret.fill(0);
  }
  const pubkey = secretKey.toPublicKey().toBytes(true);
  if (ks.pubkey !== null && !bytesEqual(pubkey, ks.pubkey)) {
    throw new KeystoreError("KEYSTORE_PUBKEY_MISMATCH", `secret key belongs to ${toHex(pubkey)}, not to the stated pubkey ${toHex(ks.pubkey)}`);
  }
  return {secretKey, pubkey, path: ks.path, uuid: ks.uuid};
}
