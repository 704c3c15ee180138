/**
 * The spec's `store.checkpoint_states`, bounded: least recently used entries go first. An evicted
 * state is recomputed on demand (store_target_checkpoint_state is a pure function of the
 * checkpoint and the block state), so the bound costs time, never correctness.
 */
import type {CachedBeaconState} from "../../state-transition/index.ts";
import type {CheckpointHex} from "../forkChoice.ts";

export class CheckpointStateCache {
  private readonly capacity: number;
  // A Map iterates in insertion order: re-inserting on use keeps the oldest first.
  private readonly entries = new Map<string, CachedBeaconState>();

  constructor(capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`checkpoint state cache capacity must be at least 1, got ${capacity}`);
    this.capacity = capacity;
  }

  get size(): number {
    return this.entries.size;
  }

  get(cp: CheckpointHex): CachedBeaconState | undefined {
    const key = checkpointKey(cp);
    const s = this.entries.get(key);
    if (s !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, s);
    }
    return s;
  }

  has(cp: CheckpointHex): boolean {
    return this.entries.has(checkpointKey(cp));
  }

  set(cp: CheckpointHex, state: CachedBeaconState): void {
    const key = checkpointKey(cp);
    this.entries.delete(key);
    this.entries.set(key, state);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}

export function checkpointKey(cp: CheckpointHex): string {
  return `${cp.epoch}:${cp.root}`;
}
