/** beacon-chain.md process_deposit, apply_deposit, add_validator_to_registry, get_validator_from_deposit. */
import {
  DEPOSIT_CONTRACT_TREE_DEPTH,
  DOMAIN_DEPOSIT,
  EFFECTIVE_BALANCE_INCREMENT,
  FAR_FUTURE_EPOCH,
  MAX_EFFECTIVE_BALANCE,
} from "../../params/index.ts";
import {verify} from "../../crypto/index.ts";
import {ssz, type Deposit, type Validator} from "../../types/index.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";
import {BlockProcessingError} from "../errors.ts";
import {increaseBalance} from "../util/balance.ts";
import {computeDomain, computeSigningRoot} from "../util/domain.ts";
import {isValidMerkleBranch} from "../util/merkle.ts";

export function getValidatorFromDeposit(pubkey: Uint8Array, withdrawalCredentials: Uint8Array, amount: number): Validator {
  const effectiveBalance = Math.min(amount - (amount % EFFECTIVE_BALANCE_INCREMENT), MAX_EFFECTIVE_BALANCE);
  return {
    pubkey,
    withdrawal_credentials: withdrawalCredentials,
    effective_balance: effectiveBalance,
    slashed: false,
    activation_eligibility_epoch: FAR_FUTURE_EPOCH,
    activation_epoch: FAR_FUTURE_EPOCH,
    exit_epoch: FAR_FUTURE_EPOCH,
    withdrawable_epoch: FAR_FUTURE_EPOCH,
  };
}

export function addValidatorToRegistry(s: CachedBeaconState, pubkey: Uint8Array, withdrawalCredentials: Uint8Array, amount: number): void {
  const {state, epochCtx} = s;
  const index = state.validators.length;
  const validator = getValidatorFromDeposit(pubkey, withdrawalCredentials, amount);
  state.validators.push(ssz.Validator.toViewDU(validator));
  state.balances.push(amount);
  epochCtx.addValidator(index, pubkey, validator.effective_balance);
}

export function applyDeposit(
  s: CachedBeaconState,
  pubkey: Uint8Array,
  withdrawalCredentials: Uint8Array,
  amount: number,
  signature: Uint8Array
): void {
  const {state, epochCtx} = s;
  const known = epochCtx.pubkey2index(pubkey);
  if (known === undefined || !(known < state.validators.length)) {
    // Proof of possession, not checked by the deposit contract; fork-agnostic domain.
    const domain = computeDomain(DOMAIN_DEPOSIT, epochCtx.config.GENESIS_FORK_VERSION);
    const signingRoot = computeSigningRoot(
      ssz.DepositMessage,
      {pubkey, withdrawal_credentials: withdrawalCredentials, amount},
      domain
    );
    if (verify(pubkey, signingRoot, signature)) addValidatorToRegistry(s, pubkey, withdrawalCredentials, amount);
  } else {
    increaseBalance(s, known, amount);
  }
}

/**
 * process_deposit up to apply_deposit: the deposit's Merkle proof against the eth1 deposit root,
 * then the deposit index advanced. Genesis shares it, with signatures checked in batches.
 */
export function processDepositProof(s: CachedBeaconState, deposit: Deposit): void {
  const {state} = s;
  const index = state.eth1_deposit_index;
  if (
    !isValidMerkleBranch(
      ssz.DepositData.hashTreeRoot(deposit.data),
      deposit.proof,
      DEPOSIT_CONTRACT_TREE_DEPTH + 1, // + 1 for the List length mix-in
      index,
      state.eth1_data.deposit_root
    )
  ) {
    throw new BlockProcessingError("DEPOSIT_INVALID_MERKLE_PROOF", `deposit ${index} does not prove against the eth1 deposit root`);
  }
  state.eth1_deposit_index = index + 1;
}

export function processDeposit(s: CachedBeaconState, deposit: Deposit): void {
  processDepositProof(s, deposit);
  const data = deposit.data;
  applyDeposit(s, data.pubkey, data.withdrawal_credentials, data.amount, data.signature);
}
