/**
 * The EIP-2335 decryption key: scrypt or PBKDF2-HMAC-SHA256 over the normalized password with
 * the keystore's own parameters. Both run on libuv's thread pool, off the event loop.
 */
import {pbkdf2, scrypt} from "node:crypto";
import type {KdfSpec} from "./types.ts";

/** OpenSSL's scrypt needs 128*r*(n + p + 2) bytes; Node refuses anything above `maxmem`. */
function scryptMaxmem(n: number, r: number, p: number): number {
  return 128 * r * (n + p + 2) + 1024 * 1024;
}

export function deriveDecryptionKey(kdf: KdfSpec, password: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, key: Buffer): void => {
      if (err) reject(err);
      else resolve(new Uint8Array(key.buffer, key.byteOffset, key.byteLength));
    };
    if (kdf.function === "scrypt") {
      scrypt(password, kdf.salt, kdf.dklen, {N: kdf.n, r: kdf.r, p: kdf.p, maxmem: scryptMaxmem(kdf.n, kdf.r, kdf.p)}, done);
    } else {
      pbkdf2(password, kdf.salt, kdf.c, kdf.dklen, "sha256", done);
    }
  });
}
