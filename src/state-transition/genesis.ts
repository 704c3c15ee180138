/** beacon-chain.md "Genesis": initialize_beacon_state_from_eth1, is_valid_genesis_state. */
import {
  EFFECTIVE_BALANCE_INCREMENT,
  EPOCHS_PER_HISTORICAL_VECTOR,
  GENESIS_EPOCH,
  MAX_EFFECTIVE_BALANCE,
  config,
} from "../params/index.ts";
import {ListCompositeType} from "@chainsafe/ssz";
import {DEPOSIT_CONTRACT_TREE_DEPTH} from "../params/index.ts";
import {ssz, type BeaconStateView, type Deposit} from "../types/index.ts";
import {processDeposit} from "./block/processDeposit.ts";
import {createCachedBeaconState, type CachedBeaconState} from "./cache/cachedBeaconState.ts";
import {addUint64} from "./util/math.ts";
import {getActiveValidatorIndices} from "./util/validator.ts";

/**
 * initialize_beacon_state_from_eth1. Returns the state with its caches (built for the finished
 * genesis state, after activations).
 */
export function initializeBeaconStateFromEth1(
  eth1BlockHash: Uint8Array,
  eth1Timestamp: number,
  deposits: Deposit[]
): CachedBeaconState {
  const fork = {previous_version: config.GENESIS_FORK_VERSION, current_version: config.GENESIS_FORK_VERSION, epoch: GENESIS_EPOCH};
  const value = ssz.BeaconState.defaultValue();
  value.genesis_time = addUint64(eth1Timestamp, config.GENESIS_DELAY);
  value.fork = fork;
  value.eth1_data = {deposit_root: new Uint8Array(32), deposit_count: deposits.length, block_hash: eth1BlockHash};
  value.latest_block_header = {
    ...ssz.BeaconBlockHeader.defaultValue(),
    body_root: ssz.BeaconBlockBody.hashTreeRoot(ssz.BeaconBlockBody.defaultValue()),
  };
  value.randao_mixes = Array.from({length: EPOCHS_PER_HISTORICAL_VECTOR}, () => eth1BlockHash);
  const state = ssz.BeaconState.toViewDU(value);
  // Deposits are processed against a state without validators: its caches start empty.
  const cached = createCachedBeaconState(state);

  // The deposit root after each deposit is the root of the growing DepositDataList.
  const depositDataList = new ListCompositeType(ssz.DepositData, 2 ** DEPOSIT_CONTRACT_TREE_DEPTH).defaultViewDU();
  for (const deposit of deposits) {
    depositDataList.push(ssz.DepositData.toViewDU(deposit.data));
    state.eth1_data.deposit_root = depositDataList.hashTreeRoot();
    processDeposit(cached, deposit);
  }

  // Process activations.
  state.commit();
  const validators = state.validators;
  const balances = state.balances.getAll();
  for (let i = 0; i < balances.length; i++) {
    const balance = balances[i];
    const validator = validators.get(i);
    validator.effective_balance = Math.min(balance - (balance % EFFECTIVE_BALANCE_INCREMENT), MAX_EFFECTIVE_BALANCE);
    if (validator.effective_balance === MAX_EFFECTIVE_BALANCE) {
      validator.activation_eligibility_epoch = GENESIS_EPOCH;
      validator.activation_epoch = GENESIS_EPOCH;
    }
  }
  // Genesis validators root for domain separation and chain versioning.
  state.genesis_validators_root = state.validators.hashTreeRoot();
  state.commit();
  return createCachedBeaconState(state, {pubkeyCache: cached.epochCtx.pubkeyCache});
}

export function isValidGenesisState(state: BeaconStateView): boolean {
  if (state.genesis_time < config.MIN_GENESIS_TIME) return false;
  if (getActiveValidatorIndices(state, GENESIS_EPOCH).length < config.MIN_GENESIS_ACTIVE_VALIDATOR_COUNT) return false;
  return true;
}
