/**
 * Typed failures of the crypto layer. Verification functions never throw (they return false);
 * these are for operations that must produce a value and cannot: aggregating nothing or an
 * undecodable point, signing with an invalid key, shuffling an index that is out of range.
 */
import {GnomonError} from "../util/errors.ts";

export type CryptoErrorCode =
  | "BLS_EMPTY_AGGREGATE"
  | "BLS_INVALID_SIGNATURE"
  | "BLS_INVALID_PUBKEY"
  | "BLS_INVALID_SECRET_KEY"
  | "BLS_INVALID_POOL_OPTION"
  | "SHUFFLE_INDEX_OUT_OF_RANGE"
  | "SHUFFLE_INVALID_ARGUMENT";

export class CryptoError extends GnomonError {
  declare readonly code: CryptoErrorCode;
  constructor(code: CryptoErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}
