/**
 * beacon-chain.md "Genesis": initialize_beacon_state_from_eth1, is_valid_genesis_state.
 *
 * A genesis processes thousands of deposits, and apply_deposit checks the proof of possession
 * of each new key one signature at a time. Here the signatures apply_deposit can ask about are
 * verified beforehand, in batches; a batch that fails is checked deposit by deposit, so every
 * deposit still gets exactly the spec's verdict.
 */
import {
  DEPOSIT_CONTRACT_TREE_DEPTH,
  DOMAIN_DEPOSIT,
  EFFECTIVE_BALANCE_INCREMENT,
  EPOCHS_PER_HISTORICAL_VECTOR,
  GENESIS_EPOCH,
  MAX_EFFECTIVE_BALANCE,
  type ChainConfig,
} from "../params/index.ts";
import {ListCompositeType} from "@chainsafe/ssz";
import {deserializePubkey, verifySignatureSet, verifySignatureSets, type PublicKey, type SignatureSet} from "../crypto/index.ts";
import {ssz, type BeaconStateView, type Deposit} from "../types/index.ts";
import {addValidatorToRegistry, processDeposit, processDepositProof} from "./block/processDeposit.ts";
import {createCachedBeaconState, type CachedBeaconState} from "./cache/cachedBeaconState.ts";
import {BlockProcessingError} from "./errors.ts";
import {computeDomain, computeSigningRoot} from "./util/domain.ts";
import {addUint64} from "./util/math.ts";
import {getActiveValidatorIndices} from "./util/validator.ts";

/**
 * Signatures per batch: big enough that a batch costs little more than its pairings, small
 * enough that one invalid deposit costs only its batch's sets checked one by one.
 */
const DEPOSIT_SIGNATURE_BATCH = 256;

/** A deposit's signature verdict, and its decoded key when valid (for the pubkey cache). */
interface DepositVerdict {
  valid: boolean;
  pubkey: PublicKey | null;
}

/**
 * The verdict of every deposit whose signature apply_deposit will check: the first deposit of
 * each key that the registry does not hold yet. A later deposit of the same key is a top-up
 * (no check) when the first was valid, and is left to apply_deposit when it was not. A verdict
 * depends on the deposit alone (its message, key and signature, and the fork-agnostic deposit
 * domain), never on the state, so it can be decided ahead of the sequential pass.
 */
function preverifyDepositSignatures(s: CachedBeaconState, deposits: Deposit[]): (DepositVerdict | undefined)[] {
  const verdicts = new Array<DepositVerdict | undefined>(deposits.length);
  const seen = new Set<string>();
  const candidates: number[] = [];
  for (let i = 0; i < deposits.length; i++) {
    const pubkey = deposits[i].data.pubkey;
    const known = s.epochCtx.pubkey2index(pubkey);
    if (known !== undefined && known < s.state.validators.length) continue;
    const key = Buffer.from(pubkey.buffer, pubkey.byteOffset, pubkey.byteLength).toString("hex");
    if (seen.has(key)) continue;
    seen.add(key);
    candidates.push(i);
  }
  const domain = computeDomain(DOMAIN_DEPOSIT, s.epochCtx.config.GENESIS_FORK_VERSION);
  for (let start = 0; start < candidates.length; start += DEPOSIT_SIGNATURE_BATCH) {
    const batch: {index: number; pk: PublicKey; set: SignatureSet}[] = [];
    for (const index of candidates.slice(start, start + DEPOSIT_SIGNATURE_BATCH)) {
      const {pubkey, withdrawal_credentials, amount, signature} = deposits[index].data;
      let pk: PublicKey;
      try {
        // KeyValidate, as Verify does.
        pk = deserializePubkey(pubkey);
      } catch {
        verdicts[index] = {valid: false, pubkey: null};
        continue;
      }
      const signingRoot = computeSigningRoot(ssz.DepositMessage, {pubkey, withdrawal_credentials, amount}, domain);
      batch.push({index, pk, set: {type: "single", pubkey: pk, signingRoot, signature}});
    }
    const allValid = verifySignatureSets(batch.map((b) => b.set));
    for (const {index, pk, set} of batch) {
      const valid = allValid || verifySignatureSet(set);
      verdicts[index] = {valid, pubkey: valid ? pk : null};
    }
  }
  return verdicts;
}

/**
 * process_deposit for a deposit whose signature verdict is known (and whose key the registry
 * does not hold): the same proof check and deposit index as processDeposit, then
 * add_validator_to_registry if the signature is valid.
 */
function processPreverifiedDeposit(s: CachedBeaconState, deposit: Deposit, verdict: DepositVerdict): void {
  processDepositProof(s, deposit);
  if (!verdict.valid) return;
  const {pubkey, withdrawal_credentials, amount} = deposit.data;
  const validatorIndex = s.state.validators.length;
  addValidatorToRegistry(s, pubkey, withdrawal_credentials, amount);
  if (verdict.pubkey !== null) s.epochCtx.pubkeyCache.setDecoded(validatorIndex, pubkey, verdict.pubkey);
}

/**
 * initialize_beacon_state_from_eth1. Returns the state with its caches (built for the finished
 * genesis state, after activations).
 */
export function initializeBeaconStateFromEth1(
  config: ChainConfig,
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
  const cached = createCachedBeaconState(state, config);

  // The deposit root after each deposit is the root of the growing DepositDataList.
  const depositDataList = new ListCompositeType(ssz.DepositData, 2 ** DEPOSIT_CONTRACT_TREE_DEPTH).defaultViewDU();
  const verdicts = preverifyDepositSignatures(cached, deposits);
  for (let i = 0; i < deposits.length; i++) {
    const deposit = deposits[i];
    depositDataList.push(ssz.DepositData.toViewDU(deposit.data));
    state.eth1_data.deposit_root = depositDataList.hashTreeRoot();
    const verdict = verdicts[i];
    // Top-ups, and deposits of a key whose first deposit was invalid, take the spec's own path.
    if (verdict === undefined) processDeposit(cached, deposit);
    else processPreverifiedDeposit(cached, deposit, verdict);
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
  return createCachedBeaconState(state, config, {pubkeyCache: cached.epochCtx.pubkeyCache});
}

export function isValidGenesisState(
  config: Pick<ChainConfig, "MIN_GENESIS_TIME" | "MIN_GENESIS_ACTIVE_VALIDATOR_COUNT">,
  state: BeaconStateView
): boolean {
  if (state.genesis_time < config.MIN_GENESIS_TIME) return false;
  if (getActiveValidatorIndices(state, GENESIS_EPOCH).length < config.MIN_GENESIS_ACTIVE_VALIDATOR_COUNT) return false;
  return true;
}
