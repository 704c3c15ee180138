/**
 * One pass over the registry and the pending attestations at the end of an epoch, gathering
 * everything the epoch sub-transitions read into flat typed arrays: per-validator status flags,
 * exact effective balances, the earliest inclusion of each previous-epoch attester, the attesting
 * balances, and the short lists of validators that registry updates and slashings will touch.
 *
 * Each sub-transition can build this alone (the spec-test handlers run them one by one);
 * processEpoch builds it once and shares it, writing balances back once at the end.
 */
import {
  EFFECTIVE_BALANCE_INCREMENT,
  EPOCHS_PER_SLASHINGS_VECTOR,
  FAR_FUTURE_EPOCH,
  GENESIS_EPOCH,
  MAX_EFFECTIVE_BALANCE,
} from "../../params/index.ts";
import {DOMAIN_BEACON_ATTESTER} from "../../params/index.ts";
import type {BeaconStateView, Epoch, PendingAttestation, Slot} from "../../types/index.ts";
import {bytesEqual} from "../../util/bytes.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";
import {RegistryArrays} from "../cache/registry.ts";
import {computeEpochShuffling, type EpochShuffling} from "../cache/shuffling.ts";
import {EpochProcessingError} from "../errors.ts";
import {getBlockRoot, getBlockRootAtSlot} from "../util/blockRoot.ts";
import {computeEpochAtSlot} from "../util/epoch.ts";
import {getSeed} from "../util/seed.ts";
import {getActiveValidatorIndices} from "../util/validator.ts";

export const FLAG_PREV_SOURCE = 1 << 0;
export const FLAG_PREV_TARGET = 1 << 1;
export const FLAG_PREV_HEAD = 1 << 2;
export const FLAG_CURR_TARGET = 1 << 3;
export const FLAG_UNSLASHED = 1 << 4;
/** get_eligible_validator_indices: active in the previous epoch, or slashed and not yet withdrawable. */
export const FLAG_ELIGIBLE = 1 << 5;
export const FLAG_ACTIVE_CURR = 1 << 6;
export const FLAG_ACTIVE_NEXT = 1 << 7;
/** inclusionAttestation's "no attestation" in its 32-bit form (0xffff in the 16-bit form). */
export const NO_ATTESTATION = 0xffffffff;

export interface EpochTransitionCache {
  currentEpoch: Epoch;
  previousEpoch: Epoch;
  flags: Uint8Array;
  /** A private copy of the registry fields; the sub-transitions keep it in step with the state. */
  registry: RegistryArrays;
  /** Active in epoch currentEpoch + 2 before registry updates (they patch it). */
  activeNextNext: Uint8Array;
  /**
   * For each validator, the position in `previousAttestations` of its earliest-included
   * previous-epoch attestation (the first of equal inclusion delays); NO_ATTESTATION if none.
   */
  inclusionAttestation: Uint16Array | Uint32Array;
  /** The previous-epoch pending attestations read, with their inclusion delays and proposers. */
  previousAttestations: PendingAttestation[];
  attestationDelays: Float64Array;
  attestationProposers: Float64Array;
  /** get_total_active_balance (current epoch), at least one increment. */
  totalActiveBalance: bigint;
  /** get_attesting_balance of the matching source / target / head attestations, each >= one increment. */
  prevSourceBalance: bigint;
  prevTargetBalance: bigint;
  prevHeadBalance: bigint;
  currTargetBalance: bigint;
  /** Slashed validators whose proportional slashing penalty falls due this epoch. */
  indicesToSlash: number[];
  /** Validators that enter the activation queue (is_eligible_for_activation_queue). */
  indicesEligibleForActivationQueue: number[];
  /** Active validators at or below the ejection balance. */
  indicesToEject: number[];
  /** Queued but not activated (activation_epoch = FAR_FUTURE_EPOCH, eligibility set). */
  indicesInActivationQueue: number[];
  /** state.balances, read once; the sub-transitions update it and processEpoch writes it back. */
  balances: number[];
}

/**
 * An exact sum of integers below 2**53 whose total may exceed it: added as doubles while the
 * running sum stays exact, flushed into a bigint before it would not.
 */
export class ExactSum {
  private acc = 0;
  private big = 0n;
  add(value: number): void {
    if (this.acc + value > Number.MAX_SAFE_INTEGER) {
      this.big += BigInt(this.acc);
      this.acc = 0;
    }
    this.acc += value;
  }
  toBigInt(): bigint {
    return this.big + BigInt(this.acc);
  }
}

function atLeastOneIncrement(sum: ExactSum): bigint {
  const total = sum.toBigInt();
  const minimum = BigInt(EFFECTIVE_BALANCE_INCREMENT);
  return total > minimum ? total : minimum;
}

export function beforeProcessEpoch(s: CachedBeaconState): EpochTransitionCache {
  const {state} = s;
  state.commit();
  const currentEpoch = computeEpochAtSlot(state.slot);
  const previousEpoch = currentEpoch === GENESIS_EPOCH ? GENESIS_EPOCH : currentEpoch - 1;
  const nextNextEpoch = currentEpoch + 2;
  const slashingsEpoch = currentEpoch + Math.floor(EPOCHS_PER_SLASHINGS_VECTOR / 2);
  const ejectionBalance = s.epochCtx.config.EJECTION_BALANCE;

  const ctx = s.epochCtx;
  const registry = readRegistry(s);
  const n = registry.length;
  const {effectiveBalance, slashed: slashedFlags, activationEpoch, exitEpoch, withdrawableEpoch, activationEligibilityEpoch} = registry;
  const flags = new Uint8Array(n);
  const activeNextNext = new Uint8Array(n);
  const totalActive = new ExactSum();
  const maxEffectiveBalance = MAX_EFFECTIVE_BALANCE;
  const farFuture = FAR_FUTURE_EPOCH;
  const indicesToSlash: number[] = [];
  const indicesEligibleForActivationQueue: number[] = [];
  const indicesToEject: number[] = [];
  const indicesInActivationQueue: number[] = [];
  const nextEpoch = currentEpoch + 1;

  for (let i = 0; i < n; i++) {
    const eb = effectiveBalance[i];
    const act = activationEpoch[i];
    const exit = exitEpoch[i];
    const slashed = slashedFlags[i] === 1;
    let f = slashed ? 0 : FLAG_UNSLASHED;
    if (act <= currentEpoch && currentEpoch < exit) {
      f |= FLAG_ACTIVE_CURR;
      totalActive.add(eb);
      if (eb <= ejectionBalance) indicesToEject.push(i);
    }
    if ((act <= previousEpoch && previousEpoch < exit) || (slashed && previousEpoch + 1 < withdrawableEpoch[i])) f |= FLAG_ELIGIBLE;
    if (act <= nextEpoch && nextEpoch < exit) f |= FLAG_ACTIVE_NEXT;
    if (act <= nextNextEpoch && nextNextEpoch < exit) activeNextNext[i] = 1;
    flags[i] = f;
    if (slashed && slashingsEpoch === withdrawableEpoch[i]) indicesToSlash.push(i);
    if (activationEligibilityEpoch[i] === farFuture) {
      if (eb === maxEffectiveBalance) indicesEligibleForActivationQueue.push(i);
    } else if (act === farFuture) {
      indicesInActivationQueue.push(i);
    }
  }

  const committees = new CommitteeSource(s);
  const prevSource = new ExactSum();
  const prevTarget = new ExactSum();
  const prevHead = new ExactSum();
  const currTarget = new ExactSum();

  // Participation is read only where the spec reads it: rewards skip the genesis epoch and
  // justification the first two epochs (a pending attestation there is never decoded).
  const previousAttestations = currentEpoch > GENESIS_EPOCH ? readPendingAttestations(s, "previous") : [];
  const m = previousAttestations.length;
  // Positions fit 16 bits for every preset's list limit; the wider array only guards odd inputs.
  const inclusionAttestation = m < 0xffff ? new Uint16Array(n).fill(0xffff) : new Uint32Array(n).fill(NO_ATTESTATION);
  const none = m < 0xffff ? 0xffff : NO_ATTESTATION;
  const attestationDelays = new Float64Array(m);
  const attestationProposers = new Float64Array(m);
  if (m > 0) {
    const targetRoot = getBlockRoot(state, previousEpoch);
    let headSlot = -1;
    let headRoot: Uint8Array | null = null;
    for (let a = 0; a < m; a++) {
      const att = previousAttestations[a];
      const data = att.data;
      attestationDelays[a] = att.inclusion_delay;
      attestationProposers[a] = att.proposer_index;
      let add = FLAG_PREV_SOURCE;
      if (bytesEqual(data.target.root, targetRoot)) {
        add |= FLAG_PREV_TARGET;
        if (data.slot !== headSlot) {
          headRoot = getBlockRootAtSlot(state, data.slot);
          headSlot = data.slot;
        }
        if (bytesEqual(data.beacon_block_root, headRoot as Uint8Array)) add |= FLAG_PREV_HEAD;
      }
      const committee = committees.get(data.slot, data.index);
      const bits = att.aggregation_bits;
      checkBits(bits.bitLen, committee.length);
      const bytes = bits.uint8Array;
      const delay = att.inclusion_delay;
      for (let k = 0; k < committee.length; k++) {
        if (((bytes[k >> 3] >> (k & 7)) & 1) === 0) continue;
        const index = committee[k];
        flags[index] |= add;
        // min(..., key=inclusion_delay) keeps the first of equal delays.
        const known = inclusionAttestation[index];
        if (known === none || delay < attestationDelays[known]) inclusionAttestation[index] = a;
      }
    }
  }

  const currentAttestations = currentEpoch > GENESIS_EPOCH + 1 ? readPendingAttestations(s, "current") : [];
  if (currentAttestations.length > 0) {
    const targetRoot = getBlockRoot(state, currentEpoch);
    for (const att of currentAttestations) {
      if (!bytesEqual(att.data.target.root, targetRoot)) continue;
      const committee = committees.get(att.data.slot, att.data.index);
      const bits = att.aggregation_bits;
      checkBits(bits.bitLen, committee.length);
      const bytes = bits.uint8Array;
      for (let k = 0; k < committee.length; k++) {
        if ((bytes[k >> 3] >> (k & 7)) & 1) flags[committee[k]] |= FLAG_CURR_TARGET;
      }
    }
  }

  for (let i = 0; i < n; i++) {
    const f = flags[i];
    if ((f & FLAG_UNSLASHED) === 0) continue;
    const eb = effectiveBalance[i];
    if (f & FLAG_PREV_SOURCE) {
      prevSource.add(eb);
      if (f & FLAG_PREV_TARGET) {
        prevTarget.add(eb);
        if (f & FLAG_PREV_HEAD) prevHead.add(eb);
      }
    }
    if (f & FLAG_CURR_TARGET) currTarget.add(eb);
  }

  return {
    currentEpoch,
    previousEpoch,
    flags,
    activeNextNext,
    registry,
    inclusionAttestation,
    previousAttestations,
    attestationDelays,
    attestationProposers,
    totalActiveBalance: atLeastOneIncrement(totalActive),
    prevSourceBalance: atLeastOneIncrement(prevSource),
    prevTargetBalance: atLeastOneIncrement(prevTarget),
    prevHeadBalance: atLeastOneIncrement(prevHead),
    currTargetBalance: atLeastOneIncrement(currTarget),
    indicesToSlash,
    indicesEligibleForActivationQueue,
    indicesToEject,
    indicesInActivationQueue,
    balances: readBalances(s, n),
  };
}

/** The registry snapshot of the epoch context, copied, with the validators blocks changed re-read. */
function readRegistry(s: CachedBeaconState): RegistryArrays {
  const {state, epochCtx} = s;
  const n = state.validators.length;
  const base = epochCtx.registry;
  const registry = base.derive(n);
  const validators = state.validators;
  for (const i of epochCtx.dirtyValidators) if (i < n) registry.set(i, validators.getReadonly(i));
  for (let i = base.length; i < n; i++) if (!epochCtx.dirtyValidators.has(i)) registry.set(i, validators.getReadonly(i));
  return registry;
}

/** The balances snapshot of the epoch context, copied, with the balances blocks changed re-read. */
function readBalances(s: CachedBeaconState, n: number): number[] {
  const {state, epochCtx} = s;
  const snapshot = epochCtx.balancesSnapshot;
  if (snapshot === null || snapshot.length > n) return state.balances.getAll();
  const balances = snapshot.slice();
  const list = state.balances;
  for (const i of epochCtx.dirtyBalances) if (i < snapshot.length) balances[i] = list.get(i);
  for (let i = snapshot.length; i < n; i++) balances.push(list.get(i));
  return balances;
}

/** The decoded pending attestations kept by the epoch context, or the state's own when not kept. */
export function readPendingAttestations(s: CachedBeaconState, which: "previous" | "current"): PendingAttestation[] {
  const {state, epochCtx} = s;
  const list = which === "previous" ? state.previous_epoch_attestations : state.current_epoch_attestations;
  const kept = which === "previous" ? epochCtx.previousEpochAttestations : epochCtx.currentEpochAttestations;
  if (kept !== null && kept.length === list.length) return kept;
  return list.getAllReadonlyValues();
}

function checkBits(bitLen: number, committeeSize: number): void {
  // The spec reads aggregation_bits[i] for every committee position: a shorter bitlist fails.
  if (bitLen < committeeSize) {
    throw new EpochProcessingError(
      "PENDING_ATTESTATION_INVALID_BITS",
      `pending attestation has ${bitLen} aggregation bits for a committee of ${committeeSize}`
    );
  }
}

/**
 * Committees of pending attestations: from the epoch cache for the cached epochs, otherwise
 * computed from the state as get_beacon_committee does (only a hand-made state gets there).
 */
export class CommitteeSource {
  private readonly s: CachedBeaconState;
  private readonly extra = new Map<Epoch, EpochShuffling>();
  constructor(s: CachedBeaconState) {
    this.s = s;
  }
  get(slot: Slot, index: number): Uint32Array {
    const epoch = computeEpochAtSlot(slot);
    const ctx = this.s.epochCtx;
    if (ctx.getShufflingRefAtEpoch(epoch) !== null) return ctx.getBeaconCommittee(slot, index);
    let shuffling = this.extra.get(epoch);
    if (shuffling === undefined) {
      shuffling = computeShufflingFromState(this.s.state, epoch);
      this.extra.set(epoch, shuffling);
    }
    if (!(index < shuffling.committeesPerSlot)) {
      throw new EpochProcessingError("PENDING_ATTESTATION_INVALID_COMMITTEE", `committee index ${index} at slot ${slot}`);
    }
    return shuffling.committees[slot % shuffling.committees.length][index];
  }
}

function computeShufflingFromState(state: BeaconStateView, epoch: Epoch): EpochShuffling {
  return computeEpochShuffling(epoch, getActiveValidatorIndices(state, epoch), getSeed(state, epoch, DOMAIN_BEACON_ATTESTER));
}

