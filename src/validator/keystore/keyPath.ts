/**
 * ERC-2334 key paths (`m/12381/3600/i/0/0`) and ERC-2333 derivation along them. Indices are
 * plain non-hardened integers below 2**32; the empty path means "not known".
 */
import {SecretKey} from "@chainsafe/blst";
import {InputError} from "../../util/errors.ts";

const MAX_INDEX = 2 ** 32 - 1;

/** The child indices of a path; `[]` for the empty path or bare `m`. */
export function parseKeyPath(path: string): number[] {
  if (path === "" || path === "m") return [];
  const parts = path.split("/");
  if (parts[0] !== "m") throw new InputError(`key path must start with "m": ${path}`);
  return parts.slice(1).map((part) => {
    if (!/^(0|[1-9][0-9]*)$/.test(part)) throw new InputError(`key path index is not a decimal integer: "${part}"`);
    const index = Number(part);
    if (index > MAX_INDEX) throw new InputError(`key path index ${part} is not below 2**32`);
    return index;
  });
}

/** The signing-key path of validator `i` (ERC-2334). */
export function validatorSigningKeyPath(index: number): string {
  return `m/12381/3600/${index}/0/0`;
}

/** ERC-2333: master key from `seed` (at least 32 bytes), then one child per path index. */
export function deriveSecretKeyFromPath(seed: Uint8Array, path: string): SecretKey {
  const indices = parseKeyPath(path);
  if (seed.length < 32) throw new InputError(`ERC-2333 seed must be at least 32 bytes, got ${seed.length}`);
  let sk = SecretKey.deriveMasterEip2333(seed);
  for (const index of indices) sk = sk.deriveChildEip2333(index);
  return sk;
}
