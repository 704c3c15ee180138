/** beacon-chain.md get_randao_mix, get_seed, compute_proposer_index. */
import {
  EPOCHS_PER_HISTORICAL_VECTOR,
  MAX_EFFECTIVE_BALANCE,
  MIN_SEED_LOOKAHEAD,
  SLOTS_PER_EPOCH,
} from "../../params/index.ts";
import {computeShuffledIndex, digest} from "../../crypto/index.ts";
import type {BeaconStateView, Epoch, Slot} from "../../types/index.ts";
import {StateTransitionError} from "../errors.ts";
import {uint64ToBytes} from "./math.ts";

export function getRandaoMix(state: BeaconStateView, epoch: Epoch): Uint8Array {
  return state.randao_mixes.get(epoch % EPOCHS_PER_HISTORICAL_VECTOR);
}

export function getSeed(state: BeaconStateView, epoch: Epoch, domainType: Uint8Array): Uint8Array {
  // The spec adds EPOCHS_PER_HISTORICAL_VECTOR first to avoid an underflow; the index is the same.
  const mix = getRandaoMix(state, epoch + EPOCHS_PER_HISTORICAL_VECTOR - MIN_SEED_LOOKAHEAD - 1);
  const input = new Uint8Array(4 + 8 + 32);
  input.set(domainType, 0);
  input.set(uint64ToBytes(epoch), 4);
  input.set(mix, 12);
  return digest(input);
}

/**
 * compute_proposer_index. `effectiveBalance(i)` reads the exact effective balance of validator i
 * (the caller passes the state's values or an epoch snapshot of them).
 */
export function computeProposerIndex(
  effectiveBalance: (index: number) => number,
  indices: ArrayLike<number>,
  seed: Uint8Array
): number {
  const total = indices.length;
  if (total === 0) throw new StateTransitionError("NO_ACTIVE_VALIDATORS", "compute_proposer_index: no active validators");
  const MAX_RANDOM_BYTE = 255;
  const buf = new Uint8Array(40);
  buf.set(seed, 0);
  let hash: Uint8Array | null = null;
  for (let i = 0; ; i++) {
    const candidate = indices[computeShuffledIndex(i % total, total, seed)];
    if (i % 32 === 0) {
      buf.set(uint64ToBytes(Math.floor(i / 32)), 32);
      hash = digest(buf);
    }
    const randomByte = (hash as Uint8Array)[i % 32];
    if (effectiveBalance(candidate) * MAX_RANDOM_BYTE >= MAX_EFFECTIVE_BALANCE * randomByte) return candidate;
  }
}

/** The seed of get_beacon_proposer_index for `slot`: hash(get_seed(epoch, PROPOSER) + uint_to_bytes(slot)). */
export function getProposerSeed(epochSeed: Uint8Array, slot: Slot): Uint8Array {
  const buf = new Uint8Array(40);
  buf.set(epochSeed, 0);
  buf.set(uint64ToBytes(slot), 32);
  return digest(buf);
}

/** The proposers of every slot of `epoch`, given that epoch's active indices and its proposer seed. */
export function computeEpochProposers(
  epoch: Epoch,
  epochProposerSeed: Uint8Array,
  activeIndices: ArrayLike<number>,
  effectiveBalance: (index: number) => number
): number[] {
  const out = new Array<number>(SLOTS_PER_EPOCH);
  const start = epoch * SLOTS_PER_EPOCH;
  for (let i = 0; i < SLOTS_PER_EPOCH; i++) {
    out[i] = computeProposerIndex(effectiveBalance, activeIndices, getProposerSeed(epochProposerSeed, start + i));
  }
  return out;
}
