/** One interop deposit from its validator index and the network's deposit parameters (signed on the calling thread or a worker). */
import {interopSecretKey, sign, skToPk} from "../../crypto/index.ts";
import {DOMAIN_DEPOSIT, MAX_EFFECTIVE_BALANCE, type ChainConfig} from "../../params/index.ts";
import {computeDomain, computeSigningRoot} from "../../state-transition/util/domain.ts";
import {ssz, type DepositData} from "../../types/index.ts";
import {blsWithdrawalCredentials} from "./withdrawalCredentials.ts";

/** What an interop deposit depends on besides the validator index, read from the chain config. */
export interface InteropDepositParams {
  /** compute_domain(DOMAIN_DEPOSIT): the genesis fork version and a zero root (deposits are fork-agnostic). */
  domain: Uint8Array;
  amount: number;
}

export function interopDepositParams(config: Pick<ChainConfig, "GENESIS_FORK_VERSION">): InteropDepositParams {
  return {domain: computeDomain(DOMAIN_DEPOSIT, config.GENESIS_FORK_VERSION), amount: MAX_EFFECTIVE_BALANCE};
}

/** The signed DepositData of interop validator `index`. */
export function interopDepositData(index: number, params: InteropDepositParams): DepositData {
  const sk = interopSecretKey(index);
  const pubkey = skToPk(sk);
  const message = {pubkey, withdrawal_credentials: blsWithdrawalCredentials(pubkey), amount: params.amount};
  const signingRoot = computeSigningRoot(ssz.DepositMessage, message, params.domain);
  return {...message, signature: sign(sk, signingRoot)};
}

/** The deposits of validators start..end-1. */
export function interopDepositRange(start: number, end: number, params: InteropDepositParams): DepositData[] {
  const out: DepositData[] = [];
  for (let i = start; i < end; i++) out.push(interopDepositData(i, params));
  return out;
}
