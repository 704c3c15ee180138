/**
 * fork-choice.md's Store with its beacon states: get_forkchoice_store and the four handlers
 * (on_tick, on_block, on_attestation, on_attester_slashing), get_head and get_proposer_head.
 * Block and attestation rules that need no state live in ForkChoice; this class adds the state
 * transition, the checkpoint states and the signature checks, and keeps each handler atomic:
 * every check runs before the first change, so a refused call leaves the store as it was.
 */
import {
  BlockProcessingError,
  StateTransitionError,
  cloneCachedBeaconState,
  computeEpochAtSlot,
  computeStartSlotAtEpoch,
  computeUnrealizedCheckpoints,
  getCurrentEpoch,
  getIndexedAttestation,
  isSlashableAttestationData,
  isValidIndexedAttestation,
  processSlots,
  stateTransition,
  type CachedBeaconState,
} from "../../state-transition/index.ts";
import {ssz, type Attestation, type AttesterSlashing, type BeaconBlock, type Checkpoint, type IndexedAttestation, type SignedBeaconBlock} from "../../types/index.ts";
import {bytesEqual, fromHex, toHex} from "../../util/bytes.ts";
import {ForkChoiceError, ForkChoiceErrorCode} from "../errors.ts";
import {ForkChoice, type CheckpointHex, type ForkChoiceSnapshot} from "../forkChoice.ts";
import type {ProtoBlock, RootHex} from "../protoArray/interface.ts";
import {getProposerHead} from "../proposerHead.ts";
import {CheckpointStateCache} from "./checkpointStateCache.ts";
import {computeJustifiedBalances} from "./justifiedBalances.ts";

export interface StoreOptions {
  /** Verify block and attestation signatures (default true). */
  verifySignatures?: boolean;
  /** How many checkpoint states to keep (default 16). */
  checkpointStateCacheSize?: number;
  /** Prune the tree once the finalized block sits at or above this index (default 256). */
  pruneThreshold?: number;
}

export interface HeadInfo {
  slot: number;
  root: Uint8Array;
}

/** get_forkchoice_store. */
export function getForkchoiceStore(anchorState: CachedBeaconState, anchorBlock: BeaconBlock, opts: StoreOptions = {}): Store {
  return new Store(anchorState, anchorBlock, opts);
}

export class Store {
  readonly forkChoice: ForkChoice;
  private readonly blockStates = new Map<RootHex, CachedBeaconState>();
  private readonly checkpointStates: CheckpointStateCache;
  private readonly verifySignatures: boolean;

  constructor(anchorState: CachedBeaconState, anchorBlock: BeaconBlock, opts: StoreOptions = {}) {
    const state = anchorState.state;
    const stateRoot = state.hashTreeRoot();
    if (!bytesEqual(anchorBlock.state_root, stateRoot)) {
      throw new ForkChoiceError(
        ForkChoiceErrorCode.INVALID_ANCHOR,
        `anchor block state_root ${toHex(anchorBlock.state_root)} is not the anchor state root ${toHex(stateRoot)}`
      );
    }
    this.verifySignatures = opts.verifySignatures !== false;
    this.checkpointStates = new CheckpointStateCache(opts.checkpointStateCacheSize ?? 16);
    const anchorRoot = toHex(ssz.BeaconBlock.hashTreeRoot(anchorBlock));
    const anchorEpoch = getCurrentEpoch(state);
    const {config} = anchorState.epochCtx;
    this.forkChoice = new ForkChoice({
      config,
      genesisTime: state.genesis_time,
      time: state.genesis_time + Math.floor((config.SLOT_DURATION_MS * state.slot) / 1000),
      anchorEpoch,
      anchor: {
        slot: anchorBlock.slot,
        blockRoot: anchorRoot,
        parentRoot: toHex(anchorBlock.parent_root),
        stateRoot: toHex(anchorBlock.state_root),
        proposerIndex: anchorBlock.proposer_index,
      },
      getJustifiedBalances: (cp) => computeJustifiedBalances(this.getCheckpointState(cp)),
      pruneThreshold: opts.pruneThreshold,
      onPrune: (blocks) => {
        for (const b of blocks) this.blockStates.delete(b.blockRoot);
      },
    });
    this.blockStates.set(anchorRoot, anchorState);
    this.checkpointStates.set({epoch: anchorEpoch, root: anchorRoot}, anchorState);
  }

  // --- store fields -------------------------------------------------------------------------

  get time(): number {
    return this.forkChoice.time;
  }
  get genesisTime(): number {
    return this.forkChoice.genesisTime;
  }
  get justifiedCheckpoint(): Checkpoint {
    return toCheckpoint(this.forkChoice.justifiedCheckpoint);
  }
  get finalizedCheckpoint(): Checkpoint {
    return toCheckpoint(this.forkChoice.finalizedCheckpoint);
  }
  get unrealizedJustifiedCheckpoint(): Checkpoint {
    return toCheckpoint(this.forkChoice.unrealizedJustifiedCheckpoint);
  }
  get unrealizedFinalizedCheckpoint(): Checkpoint {
    return toCheckpoint(this.forkChoice.unrealizedFinalizedCheckpoint);
  }
  /** store.proposer_boost_root: 32 zero bytes when unset, as in the spec. */
  get proposerBoostRoot(): Uint8Array {
    const r = this.forkChoice.proposerBoostRoot;
    return r === null ? new Uint8Array(32) : fromHex(r);
  }

  /** The post-state of a known block (do not mutate it). */
  getBlockState(root: Uint8Array | RootHex): CachedBeaconState | undefined {
    return this.blockStates.get(typeof root === "string" ? root : toHex(root));
  }

  getCurrentSlot(): number {
    return this.forkChoice.getCurrentSlot();
  }

  snapshot(): ForkChoiceSnapshot {
    return this.forkChoice.snapshot();
  }

  // --- handlers -----------------------------------------------------------------------------

  onTick(time: number): void {
    this.forkChoice.onTick(time);
  }

  /** on_block. Returns the block's fork-choice node (also when it was already known). */
  onBlock(signedBlock: SignedBeaconBlock): ProtoBlock {
    const block = signedBlock.message;
    const blockRoot = toHex(ssz.BeaconBlock.hashTreeRoot(block));
    const known = this.forkChoice.getBlock(blockRoot);
    if (known !== undefined) return known;

    const parentRoot = toHex(block.parent_root);
    const preState = this.blockStates.get(parentRoot);
    if (preState === undefined) {
      throw new ForkChoiceError(ForkChoiceErrorCode.UNKNOWN_PARENT, `no state for parent block ${parentRoot}`);
    }
    this.forkChoice.validateBlock(block.slot, parentRoot);

    let post: CachedBeaconState;
    let unrealized: {justified: Checkpoint; finalized: Checkpoint};
    try {
      post = stateTransition(preState, signedBlock, {
        verifyStateRoot: true,
        verifyProposer: this.verifySignatures,
        verifySignatures: this.verifySignatures,
      });
      unrealized = computeUnrealizedCheckpoints(post);
    } catch (e) {
      if (e instanceof BlockProcessingError || e instanceof StateTransitionError) {
        throw new ForkChoiceError(ForkChoiceErrorCode.INVALID_BLOCK, `block ${blockRoot} at slot ${block.slot}: ${e.message}`, {cause: e});
      }
      throw e;
    }

    const state = post.state;
    const node = this.forkChoice.onBlock({
      slot: block.slot,
      blockRoot,
      parentRoot,
      stateRoot: toHex(block.state_root),
      proposerIndex: block.proposer_index,
      justified: toCheckpointHex(state.current_justified_checkpoint),
      finalized: toCheckpointHex(state.finalized_checkpoint),
      unrealizedJustified: toCheckpointHex(unrealized.justified),
      unrealizedFinalized: toCheckpointHex(unrealized.finalized),
    });
    this.blockStates.set(blockRoot, post);
    return node;
  }

  /** on_attestation. */
  onAttestation(attestation: Attestation, isFromBlock = false): void {
    const data = attestation.data;
    const target = toCheckpointHex(data.target);
    const beaconBlockRoot = toHex(data.beacon_block_root);
    this.forkChoice.validateOnAttestation(
      {slot: data.slot, beaconBlockRoot, targetEpoch: target.epoch, targetRoot: target.root},
      isFromBlock
    );
    const targetState = this.storeTargetCheckpointState(target);
    let indexed: IndexedAttestation;
    try {
      // get_indexed_attestation as the spec computes it, not process_attestation's stricter checks.
      indexed = getIndexedAttestation(targetState, attestation);
    } catch (e) {
      if (e instanceof StateTransitionError) {
        throw new ForkChoiceError(ForkChoiceErrorCode.INVALID_ATTESTATION_COMMITTEE, e.message, {cause: e});
      }
      throw e;
    }
    if (!isValidIndexedAttestation(targetState, indexed, this.verifySignatures)) {
      throw new ForkChoiceError(
        ForkChoiceErrorCode.INVALID_ATTESTATION_INDEXED,
        `attestation of slot ${data.slot} is not a valid indexed attestation`
      );
    }
    this.forkChoice.updateLatestMessages(indexed.attesting_indices, target.epoch, beaconBlockRoot);
  }

  /** on_attester_slashing. */
  onAttesterSlashing(attesterSlashing: AttesterSlashing): void {
    const a1 = attesterSlashing.attestation_1;
    const a2 = attesterSlashing.attestation_2;
    if (!isSlashableAttestationData(a1.data, a2.data)) {
      throw new ForkChoiceError(ForkChoiceErrorCode.INVALID_ATTESTER_SLASHING_NOT_SLASHABLE, "the two attestations are not slashable");
    }
    const state = this.requireBlockState(this.forkChoice.justifiedCheckpoint.root);
    if (!isValidIndexedAttestation(state, a1, this.verifySignatures)) {
      throw new ForkChoiceError(ForkChoiceErrorCode.INVALID_ATTESTER_SLASHING_INDEXED, "attestation_1 is not a valid indexed attestation");
    }
    if (!isValidIndexedAttestation(state, a2, this.verifySignatures)) {
      throw new ForkChoiceError(ForkChoiceErrorCode.INVALID_ATTESTER_SLASHING_INDEXED, "attestation_2 is not a valid indexed attestation");
    }
    const second = new Set(a2.attesting_indices);
    this.forkChoice.addEquivocatingIndices(a1.attesting_indices.filter((i) => second.has(i)));
  }

  // --- queries ------------------------------------------------------------------------------

  /** get_head. */
  getHead(): HeadInfo {
    const head = this.forkChoice.getHead();
    return {slot: head.slot, root: fromHex(head.blockRoot)};
  }

  /** get_proposer_head(store, head, slot). */
  getProposerHead(headRoot: Uint8Array | RootHex, slot: number): Uint8Array {
    const root = typeof headRoot === "string" ? headRoot : toHex(headRoot);
    return fromHex(getProposerHead(this.forkChoice, root, slot, (r) => this.equivocatingCommitteeBalance(r)));
  }

  /**
   * is_head_weak's extra term: effective balance, read from the justified checkpoint state, of
   * the head slot's committee members that are in the equivocation set.
   */
  equivocatingCommitteeBalance(headRoot: RootHex): bigint {
    if (this.forkChoice.votes.equivocatingSize === 0) return 0n;
    const headState = this.requireBlockState(headRoot);
    const justifiedState = this.getCheckpointState(this.forkChoice.justifiedCheckpoint).state;
    const slot = (this.forkChoice.getBlock(headRoot) as ProtoBlock).slot;
    const count = headState.epochCtx.getCommitteeCountPerSlot(computeEpochAtSlot(slot));
    const validatorCount = justifiedState.validators.length;
    let sum = 0n;
    for (let index = 0; index < count; index++) {
      for (const i of headState.epochCtx.getBeaconCommittee(slot, index)) {
        if (!this.forkChoice.isEquivocating(i)) continue;
        if (i >= validatorCount) {
          throw new ForkChoiceError(ForkChoiceErrorCode.MISSING_STATE, `validator ${i} is not in the justified checkpoint state`);
        }
        sum += BigInt(justifiedState.validators.getReadonly(i).effective_balance);
      }
    }
    return sum;
  }

  /** store_target_checkpoint_state, returning the state it stores. */
  storeTargetCheckpointState(target: CheckpointHex): CachedBeaconState {
    return this.getCheckpointState(target);
  }

  /**
   * store.checkpoint_states[cp]: the checkpoint block's state advanced to the checkpoint
   * epoch's first slot (store_target_checkpoint_state's rule). Cached; recomputed if evicted.
   */
  getCheckpointState(cp: CheckpointHex | Checkpoint): CachedBeaconState {
    const key: CheckpointHex = typeof cp.root === "string" ? (cp as CheckpointHex) : toCheckpointHex(cp as Checkpoint);
    const cached = this.checkpointStates.get(key);
    if (cached !== undefined) return cached;
    const base = this.requireBlockState(key.root);
    const startSlot = computeStartSlotAtEpoch(key.epoch);
    let state = base;
    if (base.state.slot < startSlot) {
      state = cloneCachedBeaconState(base, true);
      processSlots(state, startSlot);
    }
    this.checkpointStates.set(key, state);
    return state;
  }

  private requireBlockState(root: RootHex): CachedBeaconState {
    const s = this.blockStates.get(root);
    if (s === undefined) throw new ForkChoiceError(ForkChoiceErrorCode.MISSING_STATE, `no state for block ${root}`);
    return s;
  }
}

function toCheckpointHex(cp: Checkpoint): CheckpointHex {
  return {epoch: cp.epoch, root: toHex(cp.root)};
}

function toCheckpoint(cp: CheckpointHex): Checkpoint {
  return {epoch: cp.epoch, root: fromHex(cp.root)};
}

