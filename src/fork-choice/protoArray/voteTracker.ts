/**
 * The spec's `latest_messages` and `equivocating_indices`, as per-validator typed arrays, plus
 * what turns them into weight deltas: for each validator, the node its balance currently sits
 * on (`current`) and the node of its latest message (`next`). Only validators touched since the
 * last delta computation are visited, unless the justified balances changed (once an epoch at
 * most), which moves every balance.
 */
const NONE = -1;

export class VoteTracker {
  private size = 0;
  /** One past the highest validator index ever seen. */
  private count = 0;
  private current = new Int32Array(0);
  private next = new Int32Array(0);
  /** Epoch of the latest message; -1 when the validator has none. */
  private nextEpoch = new Float64Array(0);
  private equivocating = new Uint8Array(0);
  private dirty = new Uint8Array(0);
  private dirtyList = new Uint32Array(0);
  private dirtyCount = 0;
  /** The balance (increments) each validator's vote currently carries in the tree. */
  private applied: Uint16Array = new Uint16Array(0);
  private equivocatingCount = 0;

  get validatorCount(): number {
    return this.count;
  }

  get equivocatingSize(): number {
    return this.equivocatingCount;
  }

  /**
   * update_latest_messages for one validator: a message replaces the previous one only if its
   * target epoch is newer. Equivocating validators are ignored. Returns whether it changed.
   */
  processVote(validator: number, nodeIndex: number, targetEpoch: number): boolean {
    if (validator >= this.size) this.grow(validator + 1);
    if (validator >= this.count) this.count = validator + 1;
    if (this.equivocating[validator] !== 0) return false;
    if (!(targetEpoch > this.nextEpoch[validator])) return false;
    this.next[validator] = nodeIndex;
    this.nextEpoch[validator] = targetEpoch;
    if (this.dirty[validator] === 0) {
      this.dirty[validator] = 1;
      this.dirtyList[this.dirtyCount++] = validator;
    }
    return true;
  }

  /** on_attester_slashing: the validator's weight leaves the tree at the next delta pass. */
  addEquivocation(validator: number): boolean {
    if (validator >= this.size) this.grow(validator + 1);
    if (validator >= this.count) this.count = validator + 1;
    if (this.equivocating[validator] !== 0) return false;
    this.equivocating[validator] = 1;
    this.equivocatingCount++;
    if (this.dirty[validator] === 0) {
      this.dirty[validator] = 1;
      this.dirtyList[this.dirtyCount++] = validator;
    }
    return true;
  }

  isEquivocating(validator: number): boolean {
    return validator < this.size && this.equivocating[validator] !== 0;
  }

  *equivocatingIndices(): Generator<number> {
    for (let v = 0; v < this.count; v++) if (this.equivocating[v] !== 0) yield v;
  }

  /** The latest message as (node index or -1 if its block was pruned, epoch), or null. */
  latestMessage(validator: number): {index: number; epoch: number} | null {
    if (validator >= this.count || this.nextEpoch[validator] < 0) return null;
    return {index: this.next[validator], epoch: this.nextEpoch[validator]};
  }

  get hasPendingChanges(): boolean {
    return this.dirtyCount > 0;
  }

  /**
   * Adds to `deltas` (per node, increments) the moves since the last call. With `balances`
   * (justified balances, increments per validator; absent means 0) every vote is re-weighted.
   */
  computeDeltas(deltas: Float64Array, balances?: Uint16Array): void {
    if (balances !== undefined) {
      this.computeAllDeltas(deltas, balances);
      return;
    }
    const {current, next, applied, equivocating, dirty, dirtyList} = this;
    for (let k = 0; k < this.dirtyCount; k++) {
      const v = dirtyList[k];
      dirty[v] = 0;
      const cur = current[v];
      if (equivocating[v] !== 0) {
        if (cur !== NONE) deltas[cur] -= applied[v];
        current[v] = NONE;
        continue;
      }
      const nxt = next[v];
      if (cur === nxt) continue;
      if (cur !== NONE) deltas[cur] -= applied[v];
      if (nxt !== NONE) deltas[nxt] += applied[v];
      current[v] = nxt;
    }
    this.dirtyCount = 0;
  }

  private computeAllDeltas(deltas: Float64Array, balances: Uint16Array): void {
    const {current, next, equivocating, dirty} = this;
    const old = this.applied;
    // Kept at least as long as the tracker: a validator that votes later carries its balance.
    const fresh = new Uint16Array(Math.max(this.size, balances.length));
    fresh.set(balances);
    for (let v = 0; v < this.count; v++) {
      dirty[v] = 0;
      const cur = current[v];
      if (equivocating[v] !== 0) {
        if (cur !== NONE) deltas[cur] -= old[v];
        current[v] = NONE;
        continue;
      }
      const nxt = next[v];
      const before = old[v];
      const after = fresh[v];
      if (cur === nxt && before === after) continue;
      if (cur !== NONE) deltas[cur] -= before;
      if (nxt !== NONE) deltas[nxt] += after;
      current[v] = nxt;
    }
    this.dirtyCount = 0;
    this.applied = fresh;
    this.appliedSource = balances;
  }

  /** The balances last passed to computeDeltas (so a caller can tell whether they changed). */
  appliedSource: Uint16Array | null = null;

  /** Node indices shift down by `k` after pruning; votes on pruned nodes point nowhere. */
  shiftIndices(k: number): void {
    const {current, next} = this;
    for (let v = 0; v < this.count; v++) {
      const c = current[v];
      if (c !== NONE) current[v] = c < k ? NONE : c - k;
      const n = next[v];
      if (n !== NONE) next[v] = n < k ? NONE : n - k;
    }
  }

  private grow(min: number): void {
    const size = Math.max(1024, this.size * 2, min);
    const current = new Int32Array(size).fill(NONE);
    current.set(this.current);
    const next = new Int32Array(size).fill(NONE);
    next.set(this.next);
    const nextEpoch = new Float64Array(size).fill(-1);
    nextEpoch.set(this.nextEpoch);
    const equivocating = new Uint8Array(size);
    equivocating.set(this.equivocating);
    const dirty = new Uint8Array(size);
    dirty.set(this.dirty);
    const dirtyList = new Uint32Array(size);
    dirtyList.set(this.dirtyList.subarray(0, this.dirtyCount));
    let applied = this.applied;
    if (applied.length < size) {
      applied = new Uint16Array(size);
      applied.set(this.applied);
    }
    Object.assign(this, {size, current, next, nextEpoch, equivocating, dirty, dirtyList, applied});
  }
}
