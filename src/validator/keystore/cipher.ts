/** EIP-2335 checksum (SHA-256 of DK[16:32] | cipher message) and AES-128-CTR with DK[0:16]. */
import {createCipheriv, createDecipheriv, createHash, timingSafeEqual} from "node:crypto";

export function computeChecksum(decryptionKey: Uint8Array, cipherMessage: Uint8Array): Uint8Array {
  const hash = createHash("sha256").update(decryptionKey.subarray(16, 32)).update(cipherMessage).digest();
  return new Uint8Array(hash.buffer, hash.byteOffset, hash.byteLength);
}

export function checksumMatches(decryptionKey: Uint8Array, cipherMessage: Uint8Array, expected: Uint8Array): boolean {
  const actual = computeChecksum(decryptionKey, cipherMessage);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export function aes128CtrDecrypt(decryptionKey: Uint8Array, iv: Uint8Array, message: Uint8Array): Uint8Array {
  const decipher = createDecipheriv("aes-128-ctr", decryptionKey.subarray(0, 16), iv);
  return new Uint8Array(Buffer.concat([decipher.update(message), decipher.final()]));
}

export function aes128CtrEncrypt(decryptionKey: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const cipher = createCipheriv("aes-128-ctr", decryptionKey.subarray(0, 16), iv);
  return new Uint8Array(Buffer.concat([cipher.update(plaintext), cipher.final()]));
}
