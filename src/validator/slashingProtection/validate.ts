/** Shape checks for signing requests; a malformed request is refused, never half-recorded. */
import {PUBKEY_LENGTH, ROOT_LENGTH} from "./keys.ts";
import {SlashingProtectionError} from "./errors.ts";

export function assertPubkey(pubkey: Uint8Array): void {
  if (!(pubkey instanceof Uint8Array) || pubkey.length !== PUBKEY_LENGTH) {
    throw new SlashingProtectionError("INVALID_SIGNING_REQUEST", `pubkey must be ${PUBKEY_LENGTH} bytes`);
  }
}

export function assertSigningRoot(root: Uint8Array): void {
  if (!(root instanceof Uint8Array) || root.length !== ROOT_LENGTH) {
    throw new SlashingProtectionError("INVALID_SIGNING_REQUEST", `signing root must be ${ROOT_LENGTH} bytes`);
  }
}

/** Slots and epochs are stored as exact integers below 2**53. */
export function assertUint(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new SlashingProtectionError("INVALID_SIGNING_REQUEST", `${name} must be a non-negative integer below 2**53, got ${value}`);
  }
}
