/**
 * One epoch's committee assignment: the active indices, the whole list shuffled once with the
 * epoch's attester seed, and every committee as a slice of that list (compute_committee reads
 * contiguous ranges of the shuffled order).
 */
import {MAX_COMMITTEES_PER_SLOT, SLOTS_PER_EPOCH, TARGET_COMMITTEE_SIZE} from "../../params/index.ts";
import {computeShuffledList} from "../../crypto/index.ts";
import type {Epoch} from "../../types/index.ts";

export interface EpochShuffling {
  readonly epoch: Epoch;
  /** get_active_validator_indices(state, epoch), ascending. */
  readonly activeIndices: Uint32Array;
  /** shuffled[i] = activeIndices[compute_shuffled_index(i, n, seed)]. */
  readonly shuffled: Uint32Array;
  readonly committeesPerSlot: number;
  /** committees[slot % SLOTS_PER_EPOCH][committeeIndex]: views into `shuffled`. */
  readonly committees: Uint32Array[][];
}

/** get_committee_count_per_slot from a count of active validators. */
export function computeCommitteeCount(activeValidatorCount: number): number {
  return Math.max(1, Math.min(MAX_COMMITTEES_PER_SLOT, Math.floor(activeValidatorCount / SLOTS_PER_EPOCH / TARGET_COMMITTEE_SIZE)));
}

export function computeEpochShuffling(epoch: Epoch, activeIndices: Uint32Array, seed: Uint8Array): EpochShuffling {
  const shuffled = computeShuffledList(activeIndices, seed);
  const n = activeIndices.length;
  const committeesPerSlot = computeCommitteeCount(n);
  const count = committeesPerSlot * SLOTS_PER_EPOCH;
  const committees: Uint32Array[][] = [];
  for (let slot = 0; slot < SLOTS_PER_EPOCH; slot++) {
    const slotCommittees: Uint32Array[] = [];
    for (let c = 0; c < committeesPerSlot; c++) {
      const index = slot * committeesPerSlot + c;
      // compute_committee: start = n * index // count, end = n * (index + 1) // count.
      const start = Math.floor((n * index) / count);
      const end = Math.floor((n * (index + 1)) / count);
      slotCommittees.push(shuffled.subarray(start, end));
    }
    committees.push(slotCommittees);
  }
  return {epoch, activeIndices, shuffled, committeesPerSlot, committees};
}

/**
 * A shuffling that is computed when first read. The epoch transition knows the next epoch's
 * active set and seed, but nothing needs its committees until a block or duty asks, so the
 * shuffle itself stays off the epoch-boundary path.
 */
export class LazyShuffling {
  readonly epoch: Epoch;
  readonly activeIndices: Uint32Array;
  private readonly seed: Uint8Array;
  private value: EpochShuffling | null = null;
  constructor(epoch: Epoch, activeIndices: Uint32Array, seed: Uint8Array) {
    this.epoch = epoch;
    this.activeIndices = activeIndices;
    this.seed = seed;
  }
  get(): EpochShuffling {
    if (this.value === null) this.value = computeEpochShuffling(this.epoch, this.activeIndices, this.seed);
    return this.value;
  }
  get computed(): boolean {
    return this.value !== null;
  }
}
