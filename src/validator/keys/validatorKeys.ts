/**
 * The signing keys a client runs: interop keys (development) or EIP-2335 keystores. Secret keys
 * stay inside these objects; only public keys are ever logged.
 */
import type {SecretKey} from "@chainsafe/blst";
import {interopPubkey, interopSecretKey} from "../../crypto/index.ts";
import {InputError} from "../../util/errors.ts";
import {loadKeystoresFromDir, readPasswordFile} from "../keystore/index.ts";

export interface ValidatorKey {
  pubkey: Uint8Array;
  secretKey: SecretKey;
  /** Where the key came from, for logs: "interop 5" or a keystore file. */
  source: string;
}

export function interopKeys(indices: number[]): ValidatorKey[] {
  return indices.map((i) => ({pubkey: interopPubkey(i), secretKey: interopSecretKey(i), source: `interop ${i}`}));
}

export async function keystoreKeys(dir: string, passwordFile: string): Promise<ValidatorKey[]> {
  const password = await readPasswordFile(passwordFile);
  const loaded = await loadKeystoresFromDir(dir, password);
  if (loaded.length === 0) throw new InputError(`no keystore (*.json) found in ${dir}`);
  return loaded.map((k) => ({pubkey: k.pubkey, secretKey: k.secretKey, source: k.file}));
}
