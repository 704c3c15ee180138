/**
 * Withdrawal credentials of a deposit (validator.md "Withdrawal credentials"): the BLS kind
 * commits to the hash of the ERC-2334 withdrawal key, the execution-address kind to a 20-byte
 * address.
 */
import {createHash} from "node:crypto";
import {fromHex} from "../../util/bytes.ts";
import {InputError} from "../../util/errors.ts";

export const BLS_WITHDRAWAL_PREFIX = 0x00;
export const ETH1_ADDRESS_WITHDRAWAL_PREFIX = 0x01;

export function blsWithdrawalCredentials(withdrawalPubkey: Uint8Array): Uint8Array {
  const out = new Uint8Array(createHash("sha256").update(withdrawalPubkey).digest());
  out[0] = BLS_WITHDRAWAL_PREFIX;
  return out;
}

export function eth1AddressWithdrawalCredentials(address: Uint8Array): Uint8Array {
  if (address.length !== 20) throw new InputError(`an execution address is 20 bytes, got ${address.length}`);
  const out = new Uint8Array(32);
  out[0] = ETH1_ADDRESS_WITHDRAWAL_PREFIX;
  out.set(address, 12);
  return out;
}

export function parseExecutionAddress(text: string): Uint8Array {
  if (!/^0x[0-9a-fA-F]{40}$/.test(text)) throw new InputError(`an execution address is 0x and 40 hex digits, got "${text}"`);
  return fromHex(text, 20);
}

/** ERC-2334: the withdrawal key of validator `i` is the parent of its signing key. */
export function validatorWithdrawalKeyPath(index: number): string {
  return `m/12381/3600/${index}/0`;
}
