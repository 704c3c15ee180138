import {GnomonError} from "../../util/errors.ts";

/** Why the signer must not sign: each code is one EIP-3076 condition or a malformed request. */
export type SlashingProtectionErrorCode =
  | "DOUBLE_PROPOSAL"
  | "BELOW_MIN_SLOT"
  | "DOUBLE_VOTE"
  | "SURROUNDING_VOTE"
  | "SURROUNDED_VOTE"
  | "BELOW_MIN_SOURCE"
  | "BELOW_MIN_TARGET"
  | "SOURCE_EXCEEDS_TARGET"
  | "INVALID_SIGNING_REQUEST"
  | "DB_SCHEMA_MISMATCH"
  | "DB_UNAVAILABLE";

export class SlashingProtectionError extends GnomonError {
  declare readonly code: SlashingProtectionErrorCode;
  /** The conflicting record or watermark, for logs (no secrets: slots, epochs, roots). */
  readonly details: Record<string, unknown>;
  constructor(code: SlashingProtectionErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message);
    this.details = details;
  }
}

/** A slashing-protection interchange (EIP-3076) or interchange test file that cannot be used. */
export type InterchangeErrorCode =
  | "INTERCHANGE_MALFORMED"
  | "INTERCHANGE_UNSUPPORTED_VERSION"
  | "INTERCHANGE_VALUE_OUT_OF_RANGE"
  | "GENESIS_VALIDATORS_ROOT_MISMATCH"
  | "INTERCHANGE_TEST_MALFORMED";

export class InterchangeError extends GnomonError {
  declare readonly code: InterchangeErrorCode;
  constructor(code: InterchangeErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}
