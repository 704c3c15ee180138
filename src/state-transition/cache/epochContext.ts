/**
 * Per-epoch caches of a state: shufflings and committees of the previous, current and next
 * epoch, the current epoch's proposers, effective balances as increments, the total active
 * balance, the churn limit, the exit queue, and the shared pubkey cache.
 *
 * Everything here is a function of the state at the start of the epoch (plus the append-only
 * registry), so clones of a state share it. The few fields that blocks change (the exit queue,
 * new validators' effective balances) are copied by `clone()` and never written in place where
 * another clone could see them.
 */
import {
  DOMAIN_BEACON_ATTESTER,
  DOMAIN_BEACON_PROPOSER,
  EFFECTIVE_BALANCE_INCREMENT,
  FAR_FUTURE_EPOCH,
  GENESIS_EPOCH,
  SLOTS_PER_EPOCH,
  type ChainConfig,
} from "../../params/index.ts";
import type {PublicKey} from "../../crypto/index.ts";
import type {
  Attestation,
  BeaconStateView,
  Epoch,
  IndexedAttestation,
  PendingAttestation,
  Slot,
  ValidatorIndex,
} from "../../types/index.ts";
import type {BitArray} from "@chainsafe/ssz";
import {BlockProcessingError, StateTransitionError} from "../errors.ts";
import {computeActivationExitEpoch, computeEpochAtSlot} from "../util/epoch.ts";
import {GweiSum} from "../util/math.ts";
import {computeEpochProposers, getSeed} from "../util/seed.ts";
import {computeChurnLimit} from "../util/validator.ts";
import {PubkeyCache} from "./pubkeyCache.ts";
import {RegistryArrays} from "./registry.ts";
import {computeCommitteeCount, LazyShuffling, type EpochShuffling} from "./shuffling.ts";

const indexedAttestations = new WeakMap<Attestation, {committee: Uint32Array; indexed: IndexedAttestation}>();

/** What the epoch transition hands over to start the next epoch's context. */
export interface NextEpochData {
  /** Active indices of the epoch after the new current one (epoch + 2), after registry updates. */
  nextNextActiveIndices: Uint32Array;
  /** The registry fields as the transition left them (effective balances updated). */
  registry: RegistryArrays;
  /** The balances as the transition wrote them. */
  balances: number[];
  effectiveBalanceIncrements: Uint16Array;
  /** Total effective balance of the validators active in the new current epoch (exact Gwei). */
  totalActiveBalance: bigint;
  /** The same total counted in whole increments per validator. */
  totalActiveBalanceIncrements: number;
}

export class EpochContext {
  /** The chain config the state belongs to (fork versions, churn, ejection, exit delays). */
  readonly config: ChainConfig;
  readonly pubkeyCache: PubkeyCache;
  epoch: Epoch;
  previousShufflingRef: LazyShuffling;
  currentShufflingRef: LazyShuffling;
  nextShufflingRef: LazyShuffling;
  /** floor(effective_balance / EFFECTIVE_BALANCE_INCREMENT) by validator index; never written in place. */
  effectiveBalanceIncrements: Uint16Array;
  /** Sum of the active validators' increments in the current epoch (floor of the exact total). */
  totalActiveBalanceIncrements: number;
  /** get_total_active_balance: exact Gwei, at least one increment. */
  totalActiveBalance: bigint;
  /** get_validator_churn_limit for the current epoch. */
  churnLimit: number;
  /** initiate_validator_exit's queue: the epoch new exits go to and how many exit there already. */
  exitQueueEpoch: Epoch;
  exitQueueChurn: number;

  /**
   * The registry fields at the start of the epoch (immutable, shared by clones). Validators that
   * blocks changed since are in `dirtyValidators`; read those from the state.
   */
  registry: RegistryArrays;
  /** Per state (copied by clone): validators changed or appended since `registry` was taken. */
  dirtyValidators: Set<number>;
  /** The balances at the start of the epoch (immutable, shared), or null when not known. */
  balancesSnapshot: number[] | null;
  /** Per state (copied by clone): balances changed or appended since `balancesSnapshot`. */
  dirtyBalances: Set<number>;
  /**
   * Per state (copied by clone): the decoded previous/current epoch pending attestations, kept in
   * step with the state's lists by process_attestation and the participation rotation; null when
   * not decoded (then read from the state).
   */
  previousEpochAttestations: PendingAttestation[] | null;
  currentEpochAttestations: PendingAttestation[] | null;

  private proposers: number[] | null = null;
  private proposerSeed: Uint8Array;
  private ebBacking: Uint16Array;
  private ebOwned: boolean;

  private constructor(init: {
    config: ChainConfig;
    pubkeyCache: PubkeyCache;
    epoch: Epoch;
    previous: LazyShuffling;
    current: LazyShuffling;
    next: LazyShuffling;
    effectiveBalanceIncrements: Uint16Array;
    registry: RegistryArrays;
    balances: number[] | null;
    previousEpochAttestations: PendingAttestation[] | null;
    currentEpochAttestations: PendingAttestation[] | null;
    totalActiveBalance: bigint;
    totalActiveBalanceIncrements: number;
    proposerSeed: Uint8Array;
    exitQueueEpoch: Epoch;
    exitQueueChurn: number;
    proposers?: number[] | null;
  }) {
    this.config = init.config;
    this.pubkeyCache = init.pubkeyCache;
    this.epoch = init.epoch;
    this.previousShufflingRef = init.previous;
    this.currentShufflingRef = init.current;
    this.nextShufflingRef = init.next;
    this.ebBacking = init.effectiveBalanceIncrements;
    this.effectiveBalanceIncrements = init.effectiveBalanceIncrements;
    this.ebOwned = false;
    this.registry = init.registry;
    this.registry.freeze();
    this.dirtyValidators = new Set();
    this.balancesSnapshot = init.balances;
    this.dirtyBalances = new Set();
    this.previousEpochAttestations = init.previousEpochAttestations;
    this.currentEpochAttestations = init.currentEpochAttestations;
    this.totalActiveBalanceIncrements = init.totalActiveBalanceIncrements;
    const total = init.totalActiveBalance;
    const minimum = BigInt(EFFECTIVE_BALANCE_INCREMENT);
    this.totalActiveBalance = total > minimum ? total : minimum;
    this.churnLimit = computeChurnLimit(init.config, init.current.activeIndices.length);
    this.proposerSeed = init.proposerSeed;
    this.exitQueueEpoch = init.exitQueueEpoch;
    this.exitQueueChurn = init.exitQueueChurn;
    this.proposers = init.proposers ?? null;
  }

  /** Builds every cache from a state (one pass over the registry). */
  static createFromState(state: BeaconStateView, config: ChainConfig, pubkeyCache: PubkeyCache = new PubkeyCache()): EpochContext {
    state.commit();
    const validators = state.validators.getAllReadonlyValues();
    const n = validators.length;
    for (let i = pubkeyCache.size; i < n; i++) pubkeyCache.add(i, validators[i].pubkey);

    const epoch = computeEpochAtSlot(state.slot);
    const previousEpoch = epoch === GENESIS_EPOCH ? GENESIS_EPOCH : epoch - 1;
    const nextEpoch = epoch + 1;
    const prevActive = new Uint32Array(n);
    const curActive = new Uint32Array(n);
    const nextActive = new Uint32Array(n);
    let np = 0;
    let nc = 0;
    let nn = 0;
    const increments = new Uint16Array(n);
    const registry = RegistryArrays.empty(n);
    const total = new GweiSum(EFFECTIVE_BALANCE_INCREMENT);
    let maxExit = -1;
    let maxExitCount = 0;
    for (let i = 0; i < n; i++) {
      const v = validators[i];
      const eb = v.effective_balance;
      registry.set(i, v);
      increments[i] = Math.min(0xffff, Math.floor(eb / EFFECTIVE_BALANCE_INCREMENT));
      const act = v.activation_epoch;
      const exit = v.exit_epoch;
      if (act <= previousEpoch && previousEpoch < exit) prevActive[np++] = i;
      if (act <= epoch && epoch < exit) {
        curActive[nc++] = i;
        total.add(eb);
      }
      if (act <= nextEpoch && nextEpoch < exit) nextActive[nn++] = i;
      if (exit !== FAR_FUTURE_EPOCH) {
        if (exit > maxExit) {
          maxExit = exit;
          maxExitCount = 1;
        } else if (exit === maxExit) {
          maxExitCount++;
        }
      }
    }
    const current = new LazyShuffling(epoch, curActive.slice(0, nc), getSeed(state, epoch, DOMAIN_BEACON_ATTESTER));
    const previous =
      previousEpoch === epoch
        ? current
        : new LazyShuffling(previousEpoch, prevActive.slice(0, np), getSeed(state, previousEpoch, DOMAIN_BEACON_ATTESTER));
    const next = new LazyShuffling(nextEpoch, nextActive.slice(0, nn), getSeed(state, nextEpoch, DOMAIN_BEACON_ATTESTER));
    const queueFloor = computeActivationExitEpoch(epoch);
    const exitQueueEpoch = maxExit > queueFloor ? maxExit : queueFloor;
    const exitQueueChurn = maxExit === exitQueueEpoch ? maxExitCount : 0;
    return new EpochContext({
      config,
      pubkeyCache,
      epoch,
      previous,
      current,
      next,
      effectiveBalanceIncrements: increments,
      registry,
      balances: state.balances.getAll(),
      previousEpochAttestations: state.previous_epoch_attestations.getAllReadonlyValues(),
      currentEpochAttestations: state.current_epoch_attestations.getAllReadonlyValues(),
      totalActiveBalance: total.toBigInt(),
      totalActiveBalanceIncrements: total.increments,
      proposerSeed: getSeed(state, epoch, DOMAIN_BEACON_PROPOSER),
      exitQueueEpoch,
      exitQueueChurn,
    });
  }

  /** A context for a clone of the state: shares every cache, copies what blocks may change. */
  clone(): EpochContext {
    const copy = Object.create(EpochContext.prototype) as EpochContext;
    Object.assign(copy, this);
    copy.dirtyValidators = new Set(this.dirtyValidators);
    copy.dirtyBalances = new Set(this.dirtyBalances);
    copy.previousEpochAttestations = this.previousEpochAttestations?.slice() ?? null;
    copy.currentEpochAttestations = this.currentEpochAttestations?.slice() ?? null;
    // Both now share the backing array of effective balance increments: neither may append in place.
    this.ebOwned = false;
    copy.ebOwned = false;
    return copy;
  }

  get previousShuffling(): EpochShuffling {
    return this.previousShufflingRef.get();
  }
  get currentShuffling(): EpochShuffling {
    return this.currentShufflingRef.get();
  }
  get nextShuffling(): EpochShuffling {
    return this.nextShufflingRef.get();
  }

  /** The shuffling of the previous, current or next epoch. */
  getShufflingAtEpoch(epoch: Epoch): EpochShuffling {
    const ref = this.getShufflingRefAtEpoch(epoch);
    if (ref === null) {
      throw new StateTransitionError(
        "EPOCH_NOT_CACHED",
        `no shuffling for epoch ${epoch}: only ${this.previousShufflingRef.epoch}..${this.nextShufflingRef.epoch} are cached`
      );
    }
    return ref.get();
  }

  getShufflingRefAtEpoch(epoch: Epoch): LazyShuffling | null {
    if (epoch === this.epoch) return this.currentShufflingRef;
    if (epoch === this.previousShufflingRef.epoch) return this.previousShufflingRef;
    if (epoch === this.nextShufflingRef.epoch) return this.nextShufflingRef;
    return null;
  }

  /** get_committee_count_per_slot for a cached epoch. */
  getCommitteeCountPerSlot(epoch: Epoch): number {
    const ref = this.getShufflingRefAtEpoch(epoch);
    if (ref === null) throw new StateTransitionError("EPOCH_NOT_CACHED", `no shuffling for epoch ${epoch}`);
    return computeCommitteeCount(ref.activeIndices.length);
  }

  /** get_beacon_committee: a view into the cached shuffling (do not modify). */
  getBeaconCommittee(slot: Slot, index: number): Uint32Array {
    const shuffling = this.getShufflingAtEpoch(computeEpochAtSlot(slot));
    if (!(index < shuffling.committeesPerSlot)) {
      throw new BlockProcessingError(
        "INVALID_COMMITTEE_INDEX",
        `committee index ${index} is not below the committee count ${shuffling.committeesPerSlot} of slot ${slot}`
      );
    }
    return shuffling.committees[slot % SLOTS_PER_EPOCH][index];
  }

  /** get_beacon_proposer_index for a slot of the current epoch. */
  getBeaconProposer(slot: Slot): ValidatorIndex {
    if (computeEpochAtSlot(slot) !== this.epoch) {
      throw new StateTransitionError("EPOCH_NOT_CACHED", `slot ${slot} is not in the current epoch ${this.epoch}`);
    }
    return this.getBeaconProposers()[slot % SLOTS_PER_EPOCH];
  }

  /** The proposers of every slot of the current epoch. */
  getBeaconProposers(): number[] {
    if (this.proposers === null) {
      const balances = this.registry.effectiveBalance;
      this.proposers = computeEpochProposers(
        this.epoch,
        this.proposerSeed,
        this.currentShufflingRef.activeIndices,
        (i) => balances[i]
      );
    }
    return this.proposers;
  }

  /** get_attesting_indices in committee order (the spec's set, as a list). */
  getAttestingIndices(data: {slot: Slot; index: number}, bits: BitArray): number[] {
    const committee = this.getBeaconCommittee(data.slot, data.index);
    if (bits.bitLen !== committee.length) {
      throw new BlockProcessingError(
        "INVALID_AGGREGATION_BITS_LENGTH",
        `aggregation bits length ${bits.bitLen} differs from the committee size ${committee.length}`
      );
    }
    const out: number[] = [];
    const bytes = bits.uint8Array;
    for (let i = 0; i < committee.length; i++) {
      if ((bytes[i >> 3] >> (i & 7)) & 1) out.push(committee[i]);
    }
    return out;
  }

  /** get_indexed_attestation: attesting indices sorted ascending. */
  getIndexedAttestation(attestation: Attestation): IndexedAttestation {
    // Block processing and its signature set both ask; the committee view identifies the shuffling.
    const committee = this.getBeaconCommittee(attestation.data.slot, attestation.data.index);
    const known = indexedAttestations.get(attestation);
    if (known !== undefined && known.committee === committee) return known.indexed;
    const indices = this.getAttestingIndices(attestation.data, attestation.aggregation_bits);
    indices.sort((a, b) => a - b);
    const indexed = {attesting_indices: indices, data: attestation.data, signature: attestation.signature};
    indexedAttestations.set(attestation, {committee, indexed});
    return indexed;
  }

  index2pubkey(index: ValidatorIndex): PublicKey {
    return this.pubkeyCache.get(index);
  }

  pubkey2index(pubkey: Uint8Array): number | undefined {
    return this.pubkeyCache.getIndex(pubkey);
  }

  /** A block changed validator `index` (its registry fields are re-read at the next epoch). */
  markValidatorDirty(index: ValidatorIndex): void {
    this.dirtyValidators.add(index);
  }

  /** A block changed the balance of validator `index`. */
  markBalanceDirty(index: ValidatorIndex): void {
    this.dirtyBalances.add(index);
  }

  /** A validator appended by a deposit: record its key and effective balance. */
  addValidator(index: ValidatorIndex, pubkey: Uint8Array, effectiveBalance: number): void {
    this.dirtyValidators.add(index);
    this.dirtyBalances.add(index);
    this.pubkeyCache.add(index, pubkey);
    const n = this.effectiveBalanceIncrements.length;
    if (index !== n) throw new RangeError(`addValidator: index ${index} but ${n} validators are known`);
    if (!this.ebOwned || this.ebBacking.length <= n) {
      const backing = new Uint16Array(Math.max(n + 1, Math.ceil(n * 1.0625) + 16));
      backing.set(this.effectiveBalanceIncrements);
      this.ebBacking = backing;
      this.ebOwned = true;
    }
    this.ebBacking[n] = Math.min(0xffff, Math.floor(effectiveBalance / EFFECTIVE_BALANCE_INCREMENT));
    this.effectiveBalanceIncrements = this.ebBacking.subarray(0, n + 1);
  }

  /** Records an exit scheduled by initiate_validator_exit at `exitEpoch`. */
  recordExit(exitEpoch: Epoch): void {
    if (exitEpoch > this.exitQueueEpoch) {
      this.exitQueueEpoch = exitEpoch;
      this.exitQueueChurn = 1;
    } else if (exitEpoch === this.exitQueueEpoch) {
      this.exitQueueChurn++;
    }
  }

  /**
   * Moves the context to the next epoch at the end of process_epoch (state.slot is still the
   * last slot of the old epoch; the state's randao mixes and registry are final for the seeds).
   */
  afterProcessEpoch(state: BeaconStateView, data: NextEpochData): void {
    const epoch = this.epoch + 1;
    this.epoch = epoch;
    this.previousShufflingRef = this.currentShufflingRef;
    this.currentShufflingRef = this.nextShufflingRef;
    this.nextShufflingRef = new LazyShuffling(epoch + 1, data.nextNextActiveIndices, getSeed(state, epoch + 1, DOMAIN_BEACON_ATTESTER));
    this.ebBacking = data.effectiveBalanceIncrements;
    this.effectiveBalanceIncrements = data.effectiveBalanceIncrements;
    this.ebOwned = false;
    this.registry = data.registry;
    this.registry.freeze();
    this.dirtyValidators = new Set();
    this.balancesSnapshot = data.balances;
    this.dirtyBalances = new Set();
    this.proposerSeed = getSeed(state, epoch, DOMAIN_BEACON_PROPOSER);
    this.proposers = null;
    this.totalActiveBalanceIncrements = data.totalActiveBalanceIncrements;
    const total = data.totalActiveBalance;
    const minimum = BigInt(EFFECTIVE_BALANCE_INCREMENT);
    this.totalActiveBalance = total > minimum ? total : minimum;
    this.churnLimit = computeChurnLimit(this.config, this.currentShufflingRef.activeIndices.length);
    // The queue floor moves up by one epoch; exits already queued above it keep their count.
    const queueFloor = computeActivationExitEpoch(epoch);
    if (queueFloor > this.exitQueueEpoch) {
      this.exitQueueEpoch = queueFloor;
      this.exitQueueChurn = 0;
    }
  }
}
