/**
 * Interop ("mock genesis") validator keys, shared by every client for test networks:
 * sk_i = int_le(sha256(uint256_le(i))) mod r, with r the BLS12-381 group order.
 */
import type {SecretKey} from "@chainsafe/blst";
import {PUBKEY_LENGTH, secretKeyFromBytes, skToPk} from "./bls.ts";
import {CryptoError} from "./errors.ts";
import {digest} from "./sha256.ts";

/** Order r of the BLS12-381 G1/G2 subgroups (and so the secret-key field). */
export const CURVE_ORDER = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;

/** The interop secret key of validator `index`, as the 32 big-endian bytes blst expects. */
export function interopSecretKeyBytes(index: number): Uint8Array {
  if (!Number.isSafeInteger(index) || index < 0) {
    throw new CryptoError("BLS_INVALID_SECRET_KEY", `interop key index must be a non-negative integer, got ${index}`);
  }
  const preimage = new Uint8Array(32);
  let v = BigInt(index);
  for (let i = 0; i < 32 && v > 0n; i++) {
    preimage[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  const h = digest(preimage);
  let k = 0n;
  for (let i = 31; i >= 0; i--) k = (k << 8n) | BigInt(h[i]);
  k %= CURVE_ORDER;
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(k & 0xffn);
    k >>= 8n;
  }
  return out;
}

export function interopSecretKey(index: number): SecretKey {
  return secretKeyFromBytes(interopSecretKeyBytes(index));
}

/** The compressed public key of interop validator `index`. */
export function interopPubkey(index: number): Uint8Array {
  return skToPk(interopSecretKey(index));
}

/** The compressed public keys of interop validators start..end-1, back to back (48 bytes each). */
export function interopPubkeys(start: number, end: number): Uint8Array {
  const keys = new Uint8Array((end - start) * PUBKEY_LENGTH);
  for (let i = start; i < end; i++) keys.set(interopPubkey(i), (i - start) * PUBKEY_LENGTH);
  return keys;
}
