/** BLS withdrawal credentials, as interop deposits and the benchmark registry use them. */
import {digest} from "../../crypto/index.ts";
import {BLS_WITHDRAWAL_PREFIX} from "../../params/index.ts";

/** 0x00 ‖ sha256(pubkey)[1:] */
export function blsWithdrawalCredentials(pubkey: Uint8Array): Uint8Array {
  const wc = digest(pubkey);
  wc[0] = BLS_WITHDRAWAL_PREFIX;
  return wc;
}
