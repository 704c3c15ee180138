import {GnomonError} from "../../util/errors.ts";

/**
 * Why a keystore could not be used. Messages name the failed condition and the field, never
 * the password, the derived key or the secret.
 */
export type KeystoreErrorCode =
  | "KEYSTORE_MALFORMED"
  | "KEYSTORE_UNSUPPORTED_VERSION"
  | "KEYSTORE_UNSUPPORTED_KDF"
  | "KEYSTORE_UNSUPPORTED_CHECKSUM"
  | "KEYSTORE_UNSUPPORTED_CIPHER"
  | "KEYSTORE_KDF_PARAMS_OUT_OF_RANGE"
  | "KEYSTORE_WRONG_PASSWORD"
  | "KEYSTORE_INVALID_SECRET"
  | "KEYSTORE_PUBKEY_MISMATCH"
  | "KEYSTORE_UNREADABLE"
  | "KEYSTORE_DUPLICATE_PUBKEY"
  | "KEYSTORE_DIR_UNREADABLE"
  | "KEYSTORE_DIR_LOAD_FAILED";

export class KeystoreError extends GnomonError {
  declare readonly code: KeystoreErrorCode;
  constructor(code: KeystoreErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}

export interface KeystoreFileFailure {
  file: string;
  code: string;
  message: string;
}

/** Raised by `loadKeystoresFromDir` when any file fails: lists every failed file and why. */
export class KeystoreDirError extends KeystoreError {
  readonly failures: KeystoreFileFailure[];
  constructor(dir: string, failures: KeystoreFileFailure[]) {
    const lines = failures.map((f) => `  ${f.file}: ${f.message} (${f.code})`).join("\n");
    super("KEYSTORE_DIR_LOAD_FAILED", `${failures.length} keystore file(s) in ${dir} failed to load:\n${lines}`);
    this.failures = failures;
  }
}
