/**
 * The spec's `latest_messages` and `equivocating_indices`, and the weight deltas they imply.
 *
 * A vote moves its validator's balance at once, as a pending delta on two nodes (minus on the
 * node it left, plus on the node it joins); get_head applies all pending deltas in one pass
 * over the tree. Nothing ever loops over the registry except a change of justified balances
 * (at most once an epoch), which re-weighs every vote.
 *
 * Committees are random samples of the registry, so votes arrive in random validator order:
 * each validator's record is kept in one place (4 int32s; four records per cache line), so a
 * vote costs one memory miss, paid once. Epochs fit an int32 for the next 800,000 years of
 * 12-second slots; a larger one is refused rather than wrapped.
 */
const NONE = -1;

// Record layout: [node the balance sits on, node of the latest message, epoch of the latest
// message (-1: none), state]. The two nodes differ only for equivocating validators, whose
// balance has left the tree while their latest message stays on record.
const STRIDE = 4;
const CURRENT = 0;
const NEXT = 1;
const EPOCH = 2;
const STATE = 3;
// state = balance * 2 + equivocating: the balance (increments) the validator's vote carries.
const EQUIVOCATING = 1;
const MAX_EPOCH = 0x7fffffff;

export class VoteTracker {
  private size = 0;
  /** One past the highest validator index ever seen. */
  private count = 0;
  private records = new Int32Array(0);
  private equivocatingCount = 0;
  private changed = false;
  /** Per node: weight change (increments) not yet applied to the tree. */
  deltas = new Float64Array(0);
  /** The balances of the last re-weighing (so a caller can tell whether they changed). */
  appliedSource: Uint16Array | null = null;

  get validatorCount(): number {
    return this.count;
  }

  get equivocatingSize(): number {
    return this.equivocatingCount;
  }

  /** Whether some weight moved since the last `clearChanged`. */
  get hasPendingChanges(): boolean {
    return this.changed;
  }

  clearChanged(): void {
    this.changed = false;
  }

  /** Room for deltas of `nodes` nodes. */
  ensureNodeCapacity(nodes: number): void {
    if (nodes <= this.deltas.length) return;
    const next = new Float64Array(Math.max(64, this.deltas.length * 2, nodes));
    next.set(this.deltas);
    this.deltas = next;
  }

  /**
   * update_latest_messages for one validator: a message replaces the previous one only if its
   * target epoch is newer. Equivocating validators are ignored. Returns whether it changed.
   */
  processVote(validator: number, nodeIndex: number, targetEpoch: number): boolean {
    if (!(targetEpoch <= MAX_EPOCH)) throw new RangeError(`target epoch ${targetEpoch} is beyond the vote tracker's range`);
    if (validator >= this.count) this.extend(validator + 1);
    const r = this.records;
    const o = validator * STRIDE;
    const state = r[o + STATE];
    if ((state & EQUIVOCATING) !== 0 || !(targetEpoch > r[o + EPOCH])) return false;
    r[o + NEXT] = nodeIndex;
    r[o + EPOCH] = targetEpoch;
    const cur = r[o + CURRENT];
    if (cur !== nodeIndex) {
      const balance = state >>> 1;
      if (balance !== 0) {
        if (cur !== NONE) this.deltas[cur] -= balance;
        this.deltas[nodeIndex] += balance;
        this.changed = true;
      }
      r[o + CURRENT] = nodeIndex;
    }
    return true;
  }

  /** on_attester_slashing: the validator's weight leaves the tree for good. */
  addEquivocation(validator: number): boolean {
    if (validator >= this.count) this.extend(validator + 1);
    const r = this.records;
    const o = validator * STRIDE;
    const state = r[o + STATE];
    if ((state & EQUIVOCATING) !== 0) return false;
    const cur = r[o + CURRENT];
    if (cur !== NONE) {
      this.deltas[cur] -= state >>> 1;
      this.changed = true;
    }
    r[o + CURRENT] = NONE;
    r[o + STATE] = state + EQUIVOCATING;
    this.equivocatingCount++;
    return true;
  }

  isEquivocating(validator: number): boolean {
    return validator < this.count && (this.records[validator * STRIDE + STATE] & EQUIVOCATING) !== 0;
  }

  *equivocatingIndices(): Generator<number> {
    for (let v = 0; v < this.count; v++) if ((this.records[v * STRIDE + STATE] & EQUIVOCATING) !== 0) yield v;
  }

  /** The latest message as (node index or -1 if its block was pruned, epoch), or null. */
  latestMessage(validator: number): {index: number; epoch: number} | null {
    if (validator >= this.count) return null;
    const o = validator * STRIDE;
    const epoch = this.records[o + EPOCH];
    if (epoch < 0) return null;
    return {index: this.records[o + NEXT], epoch};
  }

  /**
   * New justified balances (increments per validator; absent means 0): every vote carries its
   * new balance from now on. One sequential pass over the registry.
   */
  setBalances(balances: Uint16Array): void {
    this.extend(Math.max(this.count, balances.length), false);
    const r = this.records;
    const deltas = this.deltas;
    for (let v = 0; v < this.size; v++) {
      const o = v * STRIDE;
      const state = r[o + STATE];
      const before = state >>> 1;
      const after = v < balances.length ? balances[v] : 0;
      if (before === after) continue;
      r[o + STATE] = after * 2 + (state & EQUIVOCATING);
      const cur = r[o + CURRENT];
      if (cur !== NONE) {
        deltas[cur] += after - before;
        this.changed = true;
      }
    }
    this.appliedSource = balances;
  }

  /** Node indices shift down by `k` after pruning; votes on pruned nodes point nowhere. */
  shiftIndices(k: number): void {
    const r = this.records;
    for (let v = 0; v < this.count; v++) {
      const o = v * STRIDE;
      const c = r[o + CURRENT];
      if (c !== NONE) r[o + CURRENT] = c < k ? NONE : c - k;
      const n = r[o + NEXT];
      if (n !== NONE) r[o + NEXT] = n < k ? NONE : n - k;
    }
    // Pending deltas of pruned nodes go with them.
    const d = this.deltas;
    d.copyWithin(0, k);
    d.fill(0, d.length - k);
  }

  /**
   * Makes room for validators below `min`. New records start with no message and the balance of
   * the last re-weighing (0 for validators those balances did not cover).
   */
  private extend(min: number, counts = true): void {
    if (counts && min > this.count) this.count = min;
    if (min <= this.size) return;
    const size = Math.max(1024, this.size * 2, min);
    const records = new Int32Array(size * STRIDE);
    records.set(this.records);
    const source = this.appliedSource;
    for (let v = this.size; v < size; v++) {
      const o = v * STRIDE;
      records[o + CURRENT] = NONE;
      records[o + NEXT] = NONE;
      records[o + EPOCH] = -1;
      records[o + STATE] = source !== null && v < source.length ? source[v] * 2 : 0;
    }
    this.records = records;
    this.size = size;
  }
}
