/**
 * The deposits of the interop ("mock") genesis every client builds for test networks: validator
 * i deposits MAX_EFFECTIVE_BALANCE with its interop key, BLS withdrawal credentials
 * (0x00 ‖ sha256(pubkey)[1:]) and a proof of possession over its DepositMessage. Proof i is
 * against the deposit root of the first i+1 deposits, the root initialize_beacon_state_from_eth1
 * sets before processing deposit i.
 */
import {interopSecretKey, sign, skToPk} from "../../crypto/index.ts";
import {DOMAIN_DEPOSIT, MAX_EFFECTIVE_BALANCE} from "../../params/index.ts";
import {computeDomain, computeSigningRoot} from "../../state-transition/util/domain.ts";
import {ssz, type Deposit, type DepositData} from "../../types/index.ts";
import {DepositTree} from "./depositTree.ts";
import {blsWithdrawalCredentials} from "./withdrawalCredentials.ts";

export type ProgressFn = (done: number, total: number) => void;

/** The signed DepositData of interop validator `index`. */
export function interopDepositData(index: number): DepositData {
  const sk = interopSecretKey(index);
  const pubkey = skToPk(sk);
  const message = {pubkey, withdrawal_credentials: blsWithdrawalCredentials(pubkey), amount: MAX_EFFECTIVE_BALANCE};
  // Deposits are fork-agnostic: compute_domain with the genesis fork version and a zero root.
  const signingRoot = computeSigningRoot(ssz.DepositMessage, message, computeDomain(DOMAIN_DEPOSIT));
  return {...message, signature: sign(sk, signingRoot)};
}

export interface InteropDeposits {
  deposits: Deposit[];
  /** hash_tree_root of the list of all deposit data: the eth1 deposit root after the last one. */
  depositRoot: Uint8Array;
}

/** Deposits 0..count-1 with proofs from an incremental deposit tree (O(depth) each). */
export function interopDeposits(count: number, onProgress?: ProgressFn): InteropDeposits {
  const tree = new DepositTree();
  const deposits: Deposit[] = [];
  const step = Math.max(1, Math.floor(count / 100));
  for (let i = 0; i < count; i++) {
    const data = interopDepositData(i);
    deposits.push({proof: tree.push(ssz.DepositData.hashTreeRoot(data)), data});
    if (onProgress !== undefined && ((i + 1) % step === 0 || i + 1 === count)) onProgress(i + 1, count);
  }
  return {deposits, depositRoot: tree.root()};
}
