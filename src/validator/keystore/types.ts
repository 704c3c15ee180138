/** EIP-2335 (version 4) keystore as it appears in a JSON file. */
export interface KeystoreModuleJson {
  function: string;
  params: Record<string, unknown>;
  message: string;
}

export interface KeystoreJson {
  crypto: {
    kdf: KeystoreModuleJson;
    checksum: KeystoreModuleJson;
    cipher: KeystoreModuleJson;
  };
  description?: string;
  pubkey?: string;
  path: string;
  uuid: string;
  version: number;
}

export interface ScryptKdf {
  function: "scrypt";
  dklen: number;
  n: number;
  r: number;
  p: number;
  salt: Uint8Array;
}

export interface Pbkdf2Kdf {
  function: "pbkdf2";
  dklen: number;
  c: number;
  prf: "hmac-sha256";
  salt: Uint8Array;
}

export type KdfSpec = ScryptKdf | Pbkdf2Kdf;
export type KdfName = KdfSpec["function"];

/** A keystore whose fields have been checked and decoded from hex. */
export interface ParsedKeystore {
  kdf: KdfSpec;
  checksum: {function: "sha256"; message: Uint8Array};
  cipher: {function: "aes-128-ctr"; iv: Uint8Array; message: Uint8Array};
  /** 48-byte compressed BLS public key, when the file states one. */
  pubkey: Uint8Array | null;
  path: string;
  uuid: string;
  description?: string;
}
