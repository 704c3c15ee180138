/**
 * EIP-2335 password normalization: NFKD, then strip the C0 (U+0000..U+001F), Delete (U+007F)
 * and C1 (U+0080..U+009F) control codes, then UTF-8. A trailing newline from a password file
 * is a C0 code, so it disappears here too.
 */
const CONTROL_CODES = /[\u0000-\u001f\u007f-\u009f]/g;

export function normalizePassword(password: string): Uint8Array {
  return new TextEncoder().encode(password.normalize("NFKD").replace(CONTROL_CODES, ""));
}
