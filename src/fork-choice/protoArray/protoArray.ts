/**
 * The block tree as flat arrays, in insertion order (a parent always precedes its children).
 *
 * Weights change only through deltas: `applyScoreChanges` takes one delta per node, walks the
 * array once backwards (children before parents), adds each node's delta to its parent's, and
 * in the same pass decides for every node whether it belongs to the spec's filtered block tree
 * and which of its children LMD-GHOST would pick. `findHead` then follows best-descendant
 * pointers from the justified root.
 *
 * Viability is the spec's `filter_block_tree`, not an approximation of it: a node with children
 * is in the filtered tree iff one of its children is; a leaf is iff its voting source is
 * acceptable and its chain holds the finalized checkpoint block.
 */
import {GENESIS_EPOCH} from "../../params/index.ts";
import {ForkChoiceError, ForkChoiceErrorCode} from "../errors.ts";
import type {ProtoBlock, RootHex, ViabilityContext} from "./interface.ts";
import {compareWeights} from "./weight.ts";

const NONE = -1;

// Per-node flag bits, rebuilt by every score pass.
const HAS_CHILD = 1;
const HAS_VIABLE_CHILD = 2;
const VIABLE = 4;

export class ProtoArray {
  /** EFFECTIVE_BALANCE_INCREMENT, the unit of `weights`. */
  readonly increment: number;
  private blocks: ProtoBlock[] = [];
  private indices = new Map<RootHex, number>();
  private capacity = 0;
  private parents = new Int32Array(0);
  private epochs = new Float64Array(0);
  private justifiedEpochs = new Float64Array(0);
  private unrealizedJustifiedEpochs = new Float64Array(0);
  /** Attestation weight, in effective-balance increments. */
  private weights = new Float64Array(0);
  /** Proposer boost carried by the node (its own or a descendant's), in Gwei. */
  private boosts = new Float64Array(0);
  private bestChild = new Int32Array(0);
  private bestDescendant = new Int32Array(0);
  private flags = new Uint8Array(0);
  /** 1 if the node's ancestor at the finalized epoch's start slot is the finalized checkpoint block. */
  private finalizedDescendant = new Uint8Array(0);
  /** The finalized checkpoint FINALIZED_DESCENDANT was computed for. */
  private finalizedStartSlot = 0;
  private finalizedRoot: RootHex;

  constructor(anchor: ProtoBlock, anchorEpoch: number, increment: number) {
    this.increment = increment;
    this.finalizedRoot = anchor.blockRoot;
    this.finalizedStartSlot = anchor.slot;
    this.onBlock(anchor, anchorEpoch);
  }

  get length(): number {
    return this.blocks.length;
  }

  indexOf(root: RootHex): number | undefined {
    return this.indices.get(root);
  }

  has(root: RootHex): boolean {
    return this.indices.has(root);
  }

  getBlock(root: RootHex): ProtoBlock | undefined {
    const i = this.indices.get(root);
    return i === undefined ? undefined : this.blocks[i];
  }

  blockAt(index: number): ProtoBlock {
    return this.blocks[index];
  }

  parentOf(index: number): number {
    return this.parents[index];
  }

  /** Attestation weight in increments as of the last score pass. */
  weightAt(index: number): number {
    return this.weights[index];
  }

  boostAt(index: number): number {
    return this.boosts[index];
  }

  /** In the filtered block tree as of the last score pass. */
  isViableAt(index: number): boolean {
    return (this.flags[index] & VIABLE) !== 0;
  }

  hasChildAt(index: number): boolean {
    return (this.flags[index] & HAS_CHILD) !== 0;
  }

  /** Adds a block whose parent, if known, is already in the array. */
  onBlock(block: ProtoBlock, blockEpoch: number): number {
    if (this.indices.has(block.blockRoot)) return this.indices.get(block.blockRoot) as number;
    const i = this.blocks.length;
    this.ensureCapacity(i + 1);
    const parent = this.indices.get(block.parentRoot) ?? NONE;
    this.blocks.push(block);
    this.indices.set(block.blockRoot, i);
    this.parents[i] = parent;
    this.epochs[i] = blockEpoch;
    this.justifiedEpochs[i] = block.justifiedEpoch;
    this.unrealizedJustifiedEpochs[i] = block.unrealizedJustifiedEpoch;
    this.weights[i] = 0;
    this.boosts[i] = 0;
    this.bestChild[i] = NONE;
    this.bestDescendant[i] = NONE;
    this.flags[i] = 0;
    this.finalizedDescendant[i] = this.isFinalizedDescendant(i) ? 1 : 0;
    return i;
  }

  /**
   * Records the store's finalized checkpoint: from now on a leaf is viable only if its ancestor
   * at `startSlot` (the checkpoint epoch's first slot) is `root`. One forward pass.
   */
  setFinalizedCheckpoint(startSlot: number, root: RootHex): void {
    if (startSlot === this.finalizedStartSlot && root === this.finalizedRoot) return;
    this.finalizedStartSlot = startSlot;
    this.finalizedRoot = root;
    for (let i = 0; i < this.blocks.length; i++) this.finalizedDescendant[i] = this.isFinalizedDescendant(i) ? 1 : 0;
  }

  /**
   * get_ancestor(node, slot) == finalized root, from the parent's answer (parents come first).
   * A walk that would leave the known tree has no answer in the store: not a descendant.
   */
  private isFinalizedDescendant(i: number): boolean {
    const block = this.blocks[i];
    if (block.slot <= this.finalizedStartSlot) return block.blockRoot === this.finalizedRoot;
    const p = this.parents[i];
    return p !== NONE && this.finalizedDescendant[p] !== 0;
  }

  /**
   * Applies one delta per node (increments; consumed: zeroed on return) and one boost delta per
   * node (Gwei), then rebuilds viability, best child and best descendant of every node.
   */
  applyScoreChanges(deltas: Float64Array, boostDeltas: Float64Array, ctx: ViabilityContext): void {
    const n = this.blocks.length;
    if (deltas.length < n || boostDeltas.length < n) throw new RangeError("delta arrays shorter than the tree");
    const {parents, weights, boosts, bestChild, bestDescendant, flags, finalizedDescendant, epochs, justifiedEpochs, unrealizedJustifiedEpochs} =
      this;
    const {currentEpoch, justifiedEpoch, finalizedEpoch} = ctx;
    const anyJustified = justifiedEpoch === GENESIS_EPOCH;
    const anyFinalized = finalizedEpoch === GENESIS_EPOCH;
    bestChild.fill(NONE, 0, n);
    flags.fill(0, 0, n);
    for (let i = n - 1; i >= 0; i--) {
      const p = parents[i];
      const d = deltas[i];
      if (d !== 0) {
        weights[i] += d;
        if (p !== NONE) deltas[p] += d;
        deltas[i] = 0;
      }
      const b = boostDeltas[i];
      if (b !== 0) {
        boosts[i] += b;
        if (p !== NONE) boostDeltas[p] += b;
        boostDeltas[i] = 0;
      }

      const f = flags[i];
      let viable: boolean;
      if ((f & HAS_CHILD) !== 0) {
        viable = (f & HAS_VIABLE_CHILD) !== 0;
      } else {
        // A leaf: filter_block_tree's correct_justified and correct_finalized. get_voting_source:
        // a block from a prior epoch votes with its pulled-up justification.
        const source = currentEpoch > epochs[i] ? unrealizedJustifiedEpochs[i] : justifiedEpochs[i];
        viable =
          (anyJustified || source === justifiedEpoch || source + 2 >= currentEpoch) &&
          (anyFinalized || finalizedDescendant[i] !== 0);
      }
      if (viable) {
        flags[i] = f | VIABLE;
        const c = bestChild[i];
        bestDescendant[i] = c === NONE ? i : bestDescendant[c];
      } else {
        bestDescendant[i] = NONE;
      }

      if (p !== NONE) {
        if (viable) {
          flags[p] |= HAS_CHILD | HAS_VIABLE_CHILD;
          const c = bestChild[p];
          if (c === NONE) {
            bestChild[p] = i;
          } else if (boosts[i] === boosts[c] && weights[i] !== weights[c]) {
            if (weights[i] > weights[c]) bestChild[p] = i;
          } else if (this.isBetter(i, c)) {
            bestChild[p] = i;
          }
        } else {
          flags[p] |= HAS_CHILD;
        }
      }
    }
  }

  /** LMD-GHOST's order on siblings: higher weight, then lexicographically higher root. */
  private isBetter(a: number, b: number): boolean {
    const c = compareWeights(this.weights[a], this.boosts[a], this.weights[b], this.boosts[b], this.increment);
    if (c !== 0) return c > 0;
    return this.blocks[a].blockRoot > this.blocks[b].blockRoot;
  }

  /** get_head from `justifiedRoot`, as of the last score pass. */
  findHead(justifiedRoot: RootHex): number {
    const j = this.indices.get(justifiedRoot);
    if (j === undefined) {
      throw new ForkChoiceError(ForkChoiceErrorCode.UNKNOWN_BLOCK, `justified root ${justifiedRoot} is not in fork choice`);
    }
    // An empty filtered tree leaves the head at the justified block itself.
    if ((this.flags[j] & VIABLE) === 0) return j;
    return this.bestDescendant[j];
  }

  /** Leaves of the filtered block tree below `justifiedRoot` (get_filtered_block_tree). */
  viableLeaves(justifiedRoot: RootHex): number[] {
    const j = this.indices.get(justifiedRoot);
    if (j === undefined) return [];
    const inSubtree = new Uint8Array(this.blocks.length);
    inSubtree[j] = 1;
    const out: number[] = [];
    for (let i = j; i < this.blocks.length; i++) {
      if (i > j) {
        const p = this.parents[i];
        if (p === NONE || inSubtree[p] === 0) continue;
        inSubtree[i] = 1;
      }
      if ((this.flags[i] & VIABLE) !== 0 && (this.flags[i] & HAS_CHILD) === 0) out.push(i);
    }
    return out;
  }

  /** Children of a node in insertion order (a scan: for queries, not for hot paths). */
  childrenOf(index: number): number[] {
    const out: number[] = [];
    for (let i = index + 1; i < this.blocks.length; i++) if (this.parents[i] === index) out.push(i);
    return out;
  }

  /**
   * get_ancestor(node, slot): the last block at or before `slot` on the chain of `index`.
   * NONE when the walk leaves the known tree before reaching `slot`.
   */
  ancestorAtSlot(index: number, slot: number): number {
    let i = index;
    while (i !== NONE && this.blocks[i].slot > slot) i = this.parents[i];
    return i;
  }

  /** is_ancestor(descendant, ancestor): the node itself counts. */
  isAncestor(descendant: number, ancestor: number): boolean {
    return this.ancestorAtSlot(descendant, this.blocks[ancestor].slot) === ancestor;
  }

  /**
   * Drops every node inserted before `keepFrom` (an index whose block must stay, such as the
   * finalized one). Returns how many nodes were removed, by which every index shifts down.
   */
  pruneBefore(keepFrom: number): number {
    const k = keepFrom;
    if (k <= 0) return 0;
    const n = this.blocks.length;
    for (let i = 0; i < k; i++) this.indices.delete(this.blocks[i].blockRoot);
    this.blocks.splice(0, k);
    for (const arr of [
      this.parents,
      this.epochs,
      this.justifiedEpochs,
      this.unrealizedJustifiedEpochs,
      this.weights,
      this.boosts,
      this.bestChild,
      this.bestDescendant,
      this.flags,
      this.finalizedDescendant,
    ]) {
      arr.copyWithin(0, k, n);
    }
    const m = n - k;
    for (let i = 0; i < m; i++) {
      this.indices.set(this.blocks[i].blockRoot, i);
      const p = this.parents[i];
      this.parents[i] = p === NONE || p < k ? NONE : p - k;
      const c = this.bestChild[i];
      this.bestChild[i] = c === NONE || c < k ? NONE : c - k;
      const d = this.bestDescendant[i];
      this.bestDescendant[i] = d === NONE || d < k ? NONE : d - k;
    }
    return k;
  }

  private ensureCapacity(size: number): void {
    if (size <= this.capacity) return;
    const cap = Math.max(64, this.capacity * 2, size);
    this.parents = grow(this.parents, cap);
    this.epochs = grow(this.epochs, cap);
    this.justifiedEpochs = grow(this.justifiedEpochs, cap);
    this.unrealizedJustifiedEpochs = grow(this.unrealizedJustifiedEpochs, cap);
    this.weights = grow(this.weights, cap);
    this.boosts = grow(this.boosts, cap);
    this.bestChild = grow(this.bestChild, cap);
    this.bestDescendant = grow(this.bestDescendant, cap);
    this.flags = grow(this.flags, cap);
    this.finalizedDescendant = grow(this.finalizedDescendant, cap);
    this.capacity = cap;
  }
}

function grow<T extends Int32Array | Float64Array | Uint8Array>(arr: T, cap: number): T {
  const next = new (arr.constructor as new (n: number) => T)(cap);
  next.set(arr);
  return next;
}
