/**
 * The spec's Store minus the beacon states: time, checkpoints, proposer boost, latest messages,
 * equivocations and the block tree, with every fork-choice.md rule that reads only those.
 * `Store` (./store.ts) adds the states (state transition, checkpoint states, signatures) on top.
 *
 * Weights live in a proto-array: a vote becomes a delta on two nodes, and get_head applies all
 * pending deltas in one backward pass and follows best-descendant pointers from the justified
 * root. Justified balances come from the caller (they need the justified checkpoint state).
 */
import {
  EFFECTIVE_BALANCE_INCREMENT,
  GENESIS_EPOCH,
  SLOTS_PER_EPOCH,
  type ChainConfig,
} from "../params/index.ts";
import {computeEpochAtSlot, computeStartSlotAtEpoch} from "../state-transition/index.ts";
import {ForkChoiceError, ForkChoiceErrorCode} from "./errors.ts";
import type {ProtoBlock, RootHex, ViabilityContext} from "./protoArray/interface.ts";
import {ProtoArray} from "./protoArray/protoArray.ts";
import {VoteTracker} from "./protoArray/voteTracker.ts";
import {weightToGwei} from "./protoArray/weight.ts";
import {
  computeShufflingDependentSlot,
  computeSlotsSinceEpochStart,
  getAttestationDueMs,
  getCurrentSlotAt,
  getSlotsSinceGenesis,
  millisecondsIntoSlot,
} from "./time.ts";

export interface CheckpointHex {
  epoch: number;
  root: RootHex;
}

/** What get_weight needs of the justified checkpoint state. */
export interface JustifiedBalances {
  /**
   * Per validator index: effective balance in EFFECTIVE_BALANCE_INCREMENTs if the validator is
   * active at the state's current epoch and not slashed, else 0 (get_attestation_score's set).
   */
  balances: Uint16Array;
  /** get_total_active_balance(state), Gwei. */
  totalActiveBalance: bigint;
}

export type JustifiedBalancesGetter = (checkpoint: CheckpointHex) => JustifiedBalances;

/** A block that passed state_transition, with what its post-state says (on_block's inputs). */
export interface BlockSummary {
  slot: number;
  blockRoot: RootHex;
  parentRoot: RootHex;
  stateRoot: RootHex;
  proposerIndex: number;
  /** Post-state current_justified_checkpoint and finalized_checkpoint. */
  justified: CheckpointHex;
  finalized: CheckpointHex;
  /** The same after process_justification_and_finalization on a copy (compute_pulled_up_tip). */
  unrealizedJustified: CheckpointHex;
  unrealizedFinalized: CheckpointHex;
}

export interface ForkChoiceOptions {
  /** The chain config: slot timing, proposer boost and reorg thresholds. */
  config: ChainConfig;
  genesisTime: number;
  /** The anchor block: its root is the initial justified and finalized checkpoint root. */
  anchor: Omit<BlockSummary, "justified" | "finalized" | "unrealizedJustified" | "unrealizedFinalized">;
  /** get_current_epoch(anchor_state). */
  anchorEpoch: number;
  /** Initial store.time; get_forkchoice_store sets it to the anchor slot's start. */
  time: number;
  getJustifiedBalances: JustifiedBalancesGetter;
  /** Prune once the finalized block sits at or above this index (default 256). */
  pruneThreshold?: number;
  /** Told which blocks left the tree, so their states can be dropped. */
  onPrune?: (pruned: ProtoBlock[]) => void;
}

/** The spec-observable content of the store, for comparing a store before and after a call. */
export interface ForkChoiceSnapshot {
  time: number;
  genesisTime: number;
  justifiedCheckpoint: CheckpointHex;
  finalizedCheckpoint: CheckpointHex;
  unrealizedJustifiedCheckpoint: CheckpointHex;
  unrealizedFinalizedCheckpoint: CheckpointHex;
  proposerBoostRoot: RootHex | null;
  equivocatingIndices: number[];
  blocks: ProtoBlock[];
  latestMessages: Array<[number, number, RootHex | null]>;
}

export class ForkChoice {
  readonly config: ChainConfig;
  time: number;
  readonly genesisTime: number;
  private justified: CheckpointHex;
  private finalized: CheckpointHex;
  private unrealizedJustified: CheckpointHex;
  private unrealizedFinalized: CheckpointHex;
  /** null is the spec's Root() (no boost). */
  private boostRoot: RootHex | null = null;

  readonly protoArray: ProtoArray;
  readonly votes = new VoteTracker();
  private readonly getJustifiedBalances: JustifiedBalancesGetter;
  private readonly pruneThreshold: number;
  private readonly onPrune: ((pruned: ProtoBlock[]) => void) | undefined;

  // The justified balances loaded for `balancesCheckpoint`, and what they imply.
  private balancesCheckpoint: CheckpointHex | null = null;
  private justifiedBalances: JustifiedBalances | null = null;
  private proposerScore = 0;
  // The boost currently folded into node weights.
  private appliedBoostIndex = -1;
  private appliedBoostScore = 0;
  private boostDeltas = new Float64Array(0);
  // The head of the last score pass, and whether anything changed since.
  private headIndex = 0;
  private stale = true;
  private lastContext: ViabilityContext | null = null;

  constructor(opts: ForkChoiceOptions) {
    this.config = opts.config;
    this.genesisTime = opts.genesisTime;
    this.time = opts.time;
    const cp = {epoch: opts.anchorEpoch, root: opts.anchor.blockRoot};
    this.justified = cp;
    this.finalized = cp;
    this.unrealizedJustified = cp;
    this.unrealizedFinalized = cp;
    this.getJustifiedBalances = opts.getJustifiedBalances;
    this.pruneThreshold = opts.pruneThreshold ?? 256;
    this.onPrune = opts.onPrune;
    const a = opts.anchor;
    this.protoArray = new ProtoArray(
      {
        ...a,
        justifiedEpoch: cp.epoch,
        justifiedRoot: cp.root,
        finalizedEpoch: cp.epoch,
        finalizedRoot: cp.root,
        unrealizedJustifiedEpoch: cp.epoch,
        unrealizedJustifiedRoot: cp.root,
        unrealizedFinalizedEpoch: cp.epoch,
        unrealizedFinalizedRoot: cp.root,
        timely: null,
      },
      computeEpochAtSlot(a.slot),
      EFFECTIVE_BALANCE_INCREMENT
    );
    this.protoArray.setFinalizedCheckpoint(computeStartSlotAtEpoch(cp.epoch), cp.root);
    this.votes.ensureNodeCapacity(1);
  }

  // --- store fields -------------------------------------------------------------------------

  get justifiedCheckpoint(): CheckpointHex {
    return this.justified;
  }
  get finalizedCheckpoint(): CheckpointHex {
    return this.finalized;
  }
  get unrealizedJustifiedCheckpoint(): CheckpointHex {
    return this.unrealizedJustified;
  }
  get unrealizedFinalizedCheckpoint(): CheckpointHex {
    return this.unrealizedFinalized;
  }
  /** store.proposer_boost_root; null stands for Root(). */
  get proposerBoostRoot(): RootHex | null {
    return this.boostRoot;
  }

  hasBlock(root: RootHex): boolean {
    return this.protoArray.has(root);
  }

  getBlock(root: RootHex): ProtoBlock | undefined {
    return this.protoArray.getBlock(root);
  }

  /** store.unrealized_justifications[root]. */
  getUnrealizedJustification(root: RootHex): CheckpointHex {
    const b = this.requireBlock(root);
    return {epoch: b.unrealizedJustifiedEpoch, root: b.unrealizedJustifiedRoot};
  }

  isEquivocating(index: number): boolean {
    return this.votes.isEquivocating(index);
  }

  // --- time ---------------------------------------------------------------------------------

  getSlotsSinceGenesis(): number {
    return getSlotsSinceGenesis(this.config, this.time, this.genesisTime);
  }

  getCurrentSlot(): number {
    return getCurrentSlotAt(this.config, this.time, this.genesisTime);
  }

  getCurrentStoreEpoch(): number {
    return computeEpochAtSlot(this.getCurrentSlot());
  }

  /** on_tick: catches up slot by slot, so every skipped slot start runs on_tick_per_slot. */
  onTick(time: number): void {
    if (!(time >= this.genesisTime)) {
      throw new ForkChoiceError(ForkChoiceErrorCode.INVALID_TIME, `time ${time} is before genesis ${this.genesisTime}`);
    }
    const tickSlot = getSlotsSinceGenesis(this.config, time, this.genesisTime);
    while (this.getCurrentSlot() < tickSlot) {
      const slot = this.getCurrentSlot();
      const previousTime = this.genesisTime + Math.floor(((slot + 1) * this.config.SLOT_DURATION_MS) / 1000);
      this.onTickPerSlot(previousTime);
      // A slot length that is not a whole number of seconds could floor back into the same
      // slot; the spec's loop would never end there, so stop catching up instead.
      if (this.getCurrentSlot() <= slot) break;
    }
    this.onTickPerSlot(time);
  }

  onTickPerSlot(time: number): void {
    const previousSlot = this.getCurrentSlot();
    this.time = time;
    const currentSlot = this.getCurrentSlot();
    if (currentSlot > previousSlot) {
      this.boostRoot = null;
      this.stale = true;
      if (computeSlotsSinceEpochStart(currentSlot) === 0) {
        this.updateCheckpoints(this.unrealizedJustified, this.unrealizedFinalized);
      }
    }
  }

  // --- checkpoints --------------------------------------------------------------------------

  updateCheckpoints(justified: CheckpointHex, finalized: CheckpointHex): void {
    if (justified.epoch > this.justified.epoch) {
      this.justified = justified;
      this.stale = true;
    }
    if (finalized.epoch > this.finalized.epoch) {
      this.finalized = finalized;
      this.protoArray.setFinalizedCheckpoint(computeStartSlotAtEpoch(finalized.epoch), finalized.root);
      this.stale = true;
    }
  }

  updateUnrealizedCheckpoints(justified: CheckpointHex, finalized: CheckpointHex): void {
    if (justified.epoch > this.unrealizedJustified.epoch) this.unrealizedJustified = justified;
    if (finalized.epoch > this.unrealizedFinalized.epoch) this.unrealizedFinalized = finalized;
  }

  // --- ancestry -----------------------------------------------------------------------------

  /** get_ancestor: null when the chain of `root` leaves the known tree before `slot`. */
  getAncestor(root: RootHex, slot: number): RootHex | null {
    const i = this.protoArray.ancestorAtSlot(this.requireIndex(root), slot);
    return i < 0 ? null : this.protoArray.blockAt(i).blockRoot;
  }

  isAncestor(root: RootHex, ancestor: RootHex): boolean {
    return this.protoArray.isAncestor(this.requireIndex(root), this.requireIndex(ancestor));
  }

  getCheckpointBlock(root: RootHex, epoch: number): RootHex | null {
    return this.getAncestor(root, computeStartSlotAtEpoch(epoch));
  }

  getShufflingDependentRoot(root: RootHex, epoch: number): RootHex | null {
    return this.getAncestor(root, computeShufflingDependentSlot(epoch));
  }

  /** get_voting_source. */
  getVotingSource(root: RootHex): CheckpointHex {
    const b = this.requireBlock(root);
    if (this.getCurrentStoreEpoch() > computeEpochAtSlot(b.slot)) {
      return {epoch: b.unrealizedJustifiedEpoch, root: b.unrealizedJustifiedRoot};
    }
    return {epoch: b.justifiedEpoch, root: b.justifiedRoot};
  }

  // --- LMD-GHOST ----------------------------------------------------------------------------

  /** get_head. */
  getHead(): ProtoBlock {
    this.update();
    return this.protoArray.blockAt(this.headIndex);
  }

  /** get_weight, Gwei: attestation score plus proposer score on the boosted chain. */
  getWeight(root: RootHex): bigint {
    this.update();
    const i = this.requireIndex(root);
    return weightToGwei(this.protoArray.weightAt(i), this.protoArray.boostAt(i), EFFECTIVE_BALANCE_INCREMENT);
  }

  /** get_attestation_score against the justified checkpoint state, Gwei. */
  getAttestationScore(root: RootHex): bigint {
    this.update();
    const i = this.requireIndex(root);
    return weightToGwei(this.protoArray.weightAt(i), 0, EFFECTIVE_BALANCE_INCREMENT);
  }

  /** get_proposer_score. */
  getProposerScore(): bigint {
    return computeProposerScore(this.config, this.loadBalances().totalActiveBalance);
  }

  /** Every block of get_filtered_block_tree(store). */
  getFilteredBlockTree(): ProtoBlock[] {
    this.update();
    const j = this.requireIndex(this.justified.root);
    const out: ProtoBlock[] = [];
    if (!this.protoArray.isViableAt(j)) return out;
    const inTree = new Set<number>([j]);
    out.push(this.protoArray.blockAt(j));
    for (let i = j + 1; i < this.protoArray.length; i++) {
      if (inTree.has(this.protoArray.parentOf(i)) && this.protoArray.isViableAt(i)) {
        inTree.add(i);
        out.push(this.protoArray.blockAt(i));
      }
    }
    return out;
  }

  /** The leaves of the filtered block tree with get_weight of each (the vectors' check). */
  getViableForHeadRootsAndWeights(): Array<{root: RootHex; weight: bigint}> {
    this.update();
    return this.protoArray.viableLeaves(this.justified.root).map((i) => ({
      root: this.protoArray.blockAt(i).blockRoot,
      weight: weightToGwei(this.protoArray.weightAt(i), this.protoArray.boostAt(i), EFFECTIVE_BALANCE_INCREMENT),
    }));
  }

  /** Brings weights, viability and best descendants up to date with the store. */
  private update(): void {
    const ctx: ViabilityContext = {
      currentEpoch: this.getCurrentStoreEpoch(),
      justifiedEpoch: this.justified.epoch,
      finalizedEpoch: this.finalized.epoch,
    };
    const balancesChanged = this.balancesCheckpoint === null || !sameCheckpoint(this.balancesCheckpoint, this.justified);
    if (!this.stale && !balancesChanged && !this.votes.hasPendingChanges && sameContext(ctx, this.lastContext)) return;

    const balances = this.loadBalances();
    this.maybePrune();
    if (this.votes.appliedSource !== balances.balances) this.votes.setBalances(balances.balances);
    const n = this.protoArray.length;
    this.votes.ensureNodeCapacity(n);
    if (this.boostDeltas.length < n) this.boostDeltas = new Float64Array(Math.max(n, this.boostDeltas.length * 2));

    const boostIndex = this.boostRoot === null ? -1 : (this.protoArray.indexOf(this.boostRoot) ?? -1);
    const boostScore = boostIndex < 0 ? 0 : this.proposerScore;
    if (boostIndex !== this.appliedBoostIndex || boostScore !== this.appliedBoostScore) {
      if (this.appliedBoostIndex >= 0) this.boostDeltas[this.appliedBoostIndex] -= this.appliedBoostScore;
      if (boostIndex >= 0) this.boostDeltas[boostIndex] += boostScore;
      this.appliedBoostIndex = boostIndex;
      this.appliedBoostScore = boostScore;
    }

    this.protoArray.applyScoreChanges(this.votes.deltas, this.boostDeltas, ctx);
    this.votes.clearChanged();
    this.headIndex = this.protoArray.findHead(this.justified.root);
    this.lastContext = ctx;
    this.stale = false;
  }

  private loadBalances(): JustifiedBalances {
    if (this.justifiedBalances === null || this.balancesCheckpoint === null || !sameCheckpoint(this.balancesCheckpoint, this.justified)) {
      const cp = this.justified;
      const b = this.getJustifiedBalances(cp);
      this.justifiedBalances = b;
      this.balancesCheckpoint = cp;
      this.proposerScore = Number(computeProposerScore(this.config, b.totalActiveBalance));
    }
    return this.justifiedBalances;
  }

  /**
   * Drops the blocks before the finalized one once there are enough of them. Blocks that
   * checkpoints still name stay, so a later checkpoint update always finds its block.
   */
  private maybePrune(): void {
    let keepFrom = this.protoArray.indexOf(this.finalized.root);
    if (keepFrom === undefined || keepFrom < this.pruneThreshold) return;
    for (const cp of [this.justified, this.unrealizedJustified, this.unrealizedFinalized]) {
      const i = this.protoArray.indexOf(cp.root);
      if (i !== undefined && i < keepFrom) keepFrom = i;
    }
    if (keepFrom < this.pruneThreshold) return;
    const pruned: ProtoBlock[] = [];
    for (let i = 0; i < keepFrom; i++) pruned.push(this.protoArray.blockAt(i));
    const k = this.protoArray.pruneBefore(keepFrom);
    this.votes.shiftIndices(k);
    if (this.appliedBoostIndex >= 0) this.appliedBoostIndex = this.appliedBoostIndex < k ? -1 : this.appliedBoostIndex - k;
    this.stale = true;
    this.onPrune?.(pruned);
  }

  // --- on_block -----------------------------------------------------------------------------

  /** on_block's assertions that precede state_transition (parent, slot, finalized chain). */
  validateBlock(slot: number, parentRoot: RootHex): void {
    const parent = this.protoArray.indexOf(parentRoot);
    if (parent === undefined) {
      throw new ForkChoiceError(ForkChoiceErrorCode.UNKNOWN_PARENT, `parent block ${parentRoot} is unknown`);
    }
    const currentSlot = this.getCurrentSlot();
    if (currentSlot < slot) {
      throw new ForkChoiceError(ForkChoiceErrorCode.FUTURE_SLOT, `block slot ${slot} is after the current slot ${currentSlot}`);
    }
    const finalizedSlot = computeStartSlotAtEpoch(this.finalized.epoch);
    if (!(slot > finalizedSlot)) {
      throw new ForkChoiceError(
        ForkChoiceErrorCode.NOT_AFTER_FINALIZED_SLOT,
        `block slot ${slot} is not after the finalized slot ${finalizedSlot}`
      );
    }
    const ancestor = this.protoArray.ancestorAtSlot(parent, finalizedSlot);
    if (ancestor < 0 || this.protoArray.blockAt(ancestor).blockRoot !== this.finalized.root) {
      throw new ForkChoiceError(
        ForkChoiceErrorCode.NOT_DESCENDANT_OF_FINALIZED,
        `block does not descend from the finalized checkpoint ${this.finalized.epoch}/${this.finalized.root}`
      );
    }
  }

  /**
   * on_block after state_transition succeeded: the block joins the tree, its timeliness and the
   * proposer boost are recorded, and checkpoints (realized, then pulled-up) are updated.
   * The caller has run validateBlock and the state transition; nothing here can fail after the
   * first change to the store.
   */
  onBlock(block: BlockSummary): ProtoBlock {
    const known = this.protoArray.getBlock(block.blockRoot);
    if (known !== undefined) return known;
    const head = this.getHead();
    const node: ProtoBlock = {
      slot: block.slot,
      blockRoot: block.blockRoot,
      parentRoot: block.parentRoot,
      stateRoot: block.stateRoot,
      proposerIndex: block.proposerIndex,
      justifiedEpoch: block.justified.epoch,
      justifiedRoot: block.justified.root,
      finalizedEpoch: block.finalized.epoch,
      finalizedRoot: block.finalized.root,
      unrealizedJustifiedEpoch: block.unrealizedJustified.epoch,
      unrealizedJustifiedRoot: block.unrealizedJustified.root,
      unrealizedFinalizedEpoch: block.unrealizedFinalized.epoch,
      unrealizedFinalizedRoot: block.unrealizedFinalized.root,
      timely: null,
    };
    this.protoArray.onBlock(node, computeEpochAtSlot(block.slot));
    this.votes.ensureNodeCapacity(this.protoArray.length);
    this.stale = true;
    this.recordBlockTimeliness(block.blockRoot);
    this.updateProposerBoostRoot(head.blockRoot, block.blockRoot);
    this.updateCheckpoints(block.justified, block.finalized);
    this.computePulledUpTip(block.blockRoot);
    return node;
  }

  /** record_block_timeliness. */
  recordBlockTimeliness(root: RootHex): void {
    const block = this.requireBlock(root);
    block.timely = this.isTimely(block.slot);
  }

  /** record_block_timeliness's verdict for a block of `slot` arriving now. */
  isTimely(slot: number): boolean {
    const isBeforeAttestingInterval = millisecondsIntoSlot(this.config, this.time - this.genesisTime) < getAttestationDueMs(this.config);
    return this.getCurrentSlot() === slot && isBeforeAttestingInterval;
  }

  /**
   * compute_pulled_up_tip, given the pulled-up checkpoints recorded with the block (the state
   * part, process_justification_and_finalization on a copy, ran before the block came in).
   */
  computePulledUpTip(root: RootHex): void {
    const b = this.requireBlock(root);
    const justified = {epoch: b.unrealizedJustifiedEpoch, root: b.unrealizedJustifiedRoot};
    const finalized = {epoch: b.unrealizedFinalizedEpoch, root: b.unrealizedFinalizedRoot};
    this.updateUnrealizedCheckpoints(justified, finalized);
    // A block from a prior epoch: its pulled-up checkpoints are realized already.
    if (computeEpochAtSlot(b.slot) < this.getCurrentStoreEpoch()) this.updateCheckpoints(justified, finalized);
  }

  /** update_proposer_boost_root. */
  updateProposerBoostRoot(headRoot: RootHex, root: RootHex): void {
    const isFirstBlock = this.boostRoot === null;
    const isTimely = this.requireBlock(root).timely === true;
    const epoch = this.getCurrentStoreEpoch();
    const isSameDependentRoot = this.getShufflingDependentRoot(headRoot, epoch) === this.getShufflingDependentRoot(root, epoch);
    if (isTimely && isFirstBlock && isSameDependentRoot) {
      this.boostRoot = root;
      this.stale = true;
    }
  }

  // --- on_attestation -----------------------------------------------------------------------

  validateTargetEpochAgainstCurrentTime(targetEpoch: number): void {
    const currentEpoch = this.getCurrentStoreEpoch();
    const previousEpoch = currentEpoch > GENESIS_EPOCH ? currentEpoch - 1 : GENESIS_EPOCH;
    if (targetEpoch !== currentEpoch && targetEpoch !== previousEpoch) {
      throw new ForkChoiceError(
        ForkChoiceErrorCode.INVALID_ATTESTATION_TARGET_EPOCH_NOT_CURRENT_OR_PREVIOUS,
        `target epoch ${targetEpoch} is neither the current epoch ${currentEpoch} nor the previous`
      );
    }
  }

  /** validate_on_attestation, with roots as hex. */
  validateOnAttestation(
    data: {slot: number; beaconBlockRoot: RootHex; targetEpoch: number; targetRoot: RootHex},
    isFromBlock: boolean
  ): void {
    if (!isFromBlock) this.validateTargetEpochAgainstCurrentTime(data.targetEpoch);
    if (data.targetEpoch !== computeEpochAtSlot(data.slot)) {
      throw new ForkChoiceError(
        ForkChoiceErrorCode.INVALID_ATTESTATION_TARGET_EPOCH_SLOT_MISMATCH,
        `target epoch ${data.targetEpoch} is not the epoch of slot ${data.slot}`
      );
    }
    if (!this.protoArray.has(data.targetRoot)) {
      throw new ForkChoiceError(ForkChoiceErrorCode.INVALID_ATTESTATION_UNKNOWN_TARGET_ROOT, `target root ${data.targetRoot} is unknown`);
    }
    const blockIndex = this.protoArray.indexOf(data.beaconBlockRoot);
    if (blockIndex === undefined) {
      throw new ForkChoiceError(
        ForkChoiceErrorCode.INVALID_ATTESTATION_UNKNOWN_HEAD_BLOCK,
        `beacon block root ${data.beaconBlockRoot} is unknown`
      );
    }
    const blockSlot = this.protoArray.blockAt(blockIndex).slot;
    if (blockSlot > data.slot) {
      throw new ForkChoiceError(
        ForkChoiceErrorCode.INVALID_ATTESTATION_FUTURE_HEAD_BLOCK,
        `attested block slot ${blockSlot} is after the attestation slot ${data.slot}`
      );
    }
    const checkpointBlock = this.protoArray.ancestorAtSlot(blockIndex, computeStartSlotAtEpoch(data.targetEpoch));
    if (checkpointBlock < 0 || this.protoArray.blockAt(checkpointBlock).blockRoot !== data.targetRoot) {
      throw new ForkChoiceError(
        ForkChoiceErrorCode.INVALID_ATTESTATION_INCONSISTENT_TARGET,
        `target root ${data.targetRoot} is not the epoch ${data.targetEpoch} checkpoint block of ${data.beaconBlockRoot}`
      );
    }
    const currentSlot = this.getCurrentSlot();
    if (!(currentSlot >= data.slot + 1)) {
      throw new ForkChoiceError(
        ForkChoiceErrorCode.INVALID_ATTESTATION_FUTURE_SLOT,
        `attestation slot ${data.slot} is not before the current slot ${currentSlot}`
      );
    }
  }

  /** update_latest_messages; `beaconBlockRoot` must be known (validateOnAttestation). */
  updateLatestMessages(attestingIndices: ArrayLike<number>, targetEpoch: number, beaconBlockRoot: RootHex): void {
    const index = this.requireIndex(beaconBlockRoot);
    // Checked before the first vote, so that a refusal changes nothing.
    if (!(targetEpoch <= 0x7fffffff)) throw new RangeError(`target epoch ${targetEpoch} is beyond the vote tracker's range`);
    for (let k = 0; k < attestingIndices.length; k++) {
      this.votes.processVote(attestingIndices[k], index, targetEpoch);
    }
  }

  /** The latest message of a validator; root null if its block has since been pruned. */
  getLatestMessage(validatorIndex: number): {epoch: number; root: RootHex | null} | null {
    const m = this.votes.latestMessage(validatorIndex);
    if (m === null) return null;
    return {epoch: m.epoch, root: m.index < 0 ? null : this.protoArray.blockAt(m.index).blockRoot};
  }

  // --- on_attester_slashing -----------------------------------------------------------------

  /** The equivocation set grows; the validators' weight leaves the tree at the next get_head. */
  addEquivocatingIndices(indices: Iterable<number>): void {
    for (const i of indices) this.votes.addEquivocation(i);
  }

  /** calculate_committee_fraction of the justified checkpoint state, Gwei. */
  calculateCommitteeFraction(committeePercent: number): bigint {
    return calculateCommitteeFraction(this.loadBalances().totalActiveBalance, committeePercent);
  }

  // --- inspection ---------------------------------------------------------------------------

  snapshot(): ForkChoiceSnapshot {
    const blocks: ProtoBlock[] = [];
    for (let i = 0; i < this.protoArray.length; i++) blocks.push({...this.protoArray.blockAt(i)});
    const latestMessages: Array<[number, number, RootHex | null]> = [];
    for (let v = 0; v < this.votes.validatorCount; v++) {
      const m = this.getLatestMessage(v);
      if (m !== null) latestMessages.push([v, m.epoch, m.root]);
    }
    return {
      time: this.time,
      genesisTime: this.genesisTime,
      justifiedCheckpoint: {...this.justified},
      finalizedCheckpoint: {...this.finalized},
      unrealizedJustifiedCheckpoint: {...this.unrealizedJustified},
      unrealizedFinalizedCheckpoint: {...this.unrealizedFinalized},
      proposerBoostRoot: this.boostRoot,
      equivocatingIndices: [...this.votes.equivocatingIndices()],
      blocks,
      latestMessages,
    };
  }

  private requireIndex(root: RootHex): number {
    const i = this.protoArray.indexOf(root);
    if (i === undefined) throw new ForkChoiceError(ForkChoiceErrorCode.UNKNOWN_BLOCK, `block ${root} is not in fork choice`);
    return i;
  }

  /** The block of `root`; UNKNOWN_BLOCK if fork choice does not have it. */
  requireBlock(root: RootHex): ProtoBlock {
    return this.protoArray.blockAt(this.requireIndex(root));
  }
}

/** compute_proposer_score from get_total_active_balance. */
export function computeProposerScore(config: Pick<ChainConfig, "PROPOSER_SCORE_BOOST">, totalActiveBalance: bigint): bigint {
  return calculateCommitteeFraction(totalActiveBalance, config.PROPOSER_SCORE_BOOST);
}

/** calculate_committee_fraction from get_total_active_balance. */
export function calculateCommitteeFraction(totalActiveBalance: bigint, committeePercent: number): bigint {
  const committeeWeight = totalActiveBalance / BigInt(SLOTS_PER_EPOCH);
  return (committeeWeight * BigInt(committeePercent)) / 100n;
}

function sameCheckpoint(a: CheckpointHex, b: CheckpointHex): boolean {
  return a.epoch === b.epoch && a.root === b.root;
}

function sameContext(a: ViabilityContext, b: ViabilityContext | null): boolean {
  return b !== null && a.currentEpoch === b.currentEpoch && a.justifiedEpoch === b.justifiedEpoch && a.finalizedEpoch === b.finalizedEpoch;
}
