/**
 * The beacon chain as the REST API (and any other front end) sees it. The API codes against this
 * interface only; `BeaconChain` in ./chain.ts implements it.
 *
 * Conventions:
 * - Roots are 32-byte Uint8Array; slots, epochs and indices are numbers.
 * - A returned CachedBeaconState is shared with the chain's caches: READ IT, NEVER MUTATE IT
 *   (clone it with cloneCachedBeaconState first if a computation needs to advance it).
 * - Lookups that find nothing return null; requests the chain cannot serve as asked throw a
 *   ChainRequestError (./errors.ts) whose code says why (OUT_OF_RANGE, NOT_FOUND, INVALID,
 *   NOT_READY). Imports throw BlockImportError / AttestationError / OperationError.
 * - executionOptimistic is always false (phase0 has no execution layer).
 */
import type {EventEmitter} from "node:events";
import type {ChainConfig} from "../params/index.ts";
import type {CachedBeaconState} from "../state-transition/index.ts";
import type {
  Attestation,
  AttestationData,
  AttesterDuty,
  AttesterSlashing,
  BeaconBlock,
  Checkpoint,
  HeadEvent,
  IndexedAttestation,
  ProposerDuty,
  ProposerSlashing,
  SignedAggregateAndProof,
  SignedBeaconBlock,
  SignedBeaconBlockHeader,
  SignedVoluntaryExit,
} from "../types/index.ts";

export type {AttesterDuty, HeadEvent, ProposerDuty};

/** A state id as the API parsed it: a named state, a slot, or a 32-byte state root. */
export type StateId = "head" | "genesis" | "finalized" | "justified" | number | Uint8Array;
/** A block id as the API parsed it: a named block, a slot, or a 32-byte block root. */
export type BlockId = "head" | "genesis" | "finalized" | "justified" | number | Uint8Array;

export interface GenesisInfo {
  genesisTime: number;
  genesisValidatorsRoot: Uint8Array;
  genesisForkVersion: Uint8Array;
  /** Root of the genesis block (the block whose state_root is the genesis state's root). */
  genesisBlockRoot: Uint8Array;
}

export interface HeadInfo {
  /** Head block root. */
  root: Uint8Array;
  slot: number;
  /** The head block's post-state root. */
  stateRoot: Uint8Array;
  /** The head block's post-state (not advanced through empty slots). Read only. */
  state: CachedBeaconState;
}

export interface StateResult {
  /** Read only. */
  state: CachedBeaconState;
  /** hash_tree_root(state). */
  stateRoot: Uint8Array;
  /** True when the state is at or before the finalized checkpoint on the canonical chain. */
  finalized: boolean;
  executionOptimistic: false;
}

export interface BlockResult {
  signedBlock: SignedBeaconBlock;
  root: Uint8Array;
  slot: number;
  /** On the chain of the current head. */
  canonical: boolean;
  finalized: boolean;
  executionOptimistic: false;
}

export interface HeaderResult {
  root: Uint8Array;
  canonical: boolean;
  finalized: boolean;
  header: SignedBeaconBlockHeader;
  executionOptimistic: false;
}

/** Where a block or message came from; used for logs and events only. */
export type ImportSource = "api" | "gossip" | "sync" | "produced";

export interface ImportedBlock {
  root: Uint8Array;
  slot: number;
  /** The head after the import (the block itself if it became head). */
  headRoot: Uint8Array;
}

/** One failed item of a batch submission (beacon-APIs `failures[]`). */
export interface ItemFailure {
  index: number;
  /** The typed error's code (e.g. ATTESTATION_INVALID_SIGNATURE). */
  code: string;
  message: string;
}

export interface PoolAttestationFilter {
  slot?: number;
  committeeIndex?: number;
}

export interface ProducedBlock {
  block: BeaconBlock;
  /**
   * The proposer's reward from this block, in Gwei: the phase0 proposer reward of every newly
   * included attester (base_reward / PROPOSER_REWARD_QUOTIENT, paid at the epoch boundary) plus
   * the whistleblower rewards of the included slashings.
   */
  consensusBlockValueGwei: bigint;
}

export interface ProduceBlockOptions {
  /** beacon-APIs skip_randao_verification: the reveal must then be the infinity signature. */
  skipRandaoVerification?: boolean;
}

export interface ProposerDuties {
  /** get_block_root_at_slot(state, compute_start_slot_at_epoch(epoch) - 1), genesis block root on underflow. */
  dependentRoot: Uint8Array;
  duties: ProposerDuty[];
}

export interface AttesterDuties {
  /** get_block_root_at_slot(state, compute_start_slot_at_epoch(epoch - 1) - 1), genesis block root on underflow. */
  dependentRoot: Uint8Array;
  duties: AttesterDuty[];
}

export interface Liveness {
  index: number;
  isLive: boolean;
}

export interface ForkChoiceNodeDump {
  slot: number;
  blockRoot: Uint8Array;
  /** Zero root for the anchor. */
  parentRoot: Uint8Array;
  stateRoot: Uint8Array;
  justifiedEpoch: number;
  finalizedEpoch: number;
  unrealizedJustifiedEpoch: number;
  unrealizedFinalizedEpoch: number;
  /** Gwei. */
  weight: number;
  validity: "valid";
  /** Zero hash: phase0 blocks carry no execution payload. */
  executionBlockHash: Uint8Array;
}

export interface ForkChoiceDump {
  justifiedCheckpoint: Checkpoint;
  finalizedCheckpoint: Checkpoint;
  nodes: ForkChoiceNodeDump[];
  /** Client-specific extras for the API's extra_data (head root, proposer boost root, time). */
  extraData: Record<string, string>;
}

export interface ChainHead {
  root: Uint8Array;
  slot: number;
}

export interface SyncStatus {
  headSlot: number;
  syncDistance: number;
  isSyncing: boolean;
  isOptimistic: false;
  /** The eth1 follower's endpoint fails (always false without one). */
  elOffline: boolean;
}

// ---- events: exactly the fields of the beacon-APIs eventstream, camelCased ----

export interface BlockEvent {
  slot: number;
  block: Uint8Array;
  executionOptimistic: false;
}

export interface FinalizedCheckpointEvent {
  block: Uint8Array;
  state: Uint8Array;
  epoch: number;
  executionOptimistic: false;
}

export interface ChainReorgEvent {
  slot: number;
  depth: number;
  oldHeadBlock: Uint8Array;
  newHeadBlock: Uint8Array;
  oldHeadState: Uint8Array;
  newHeadState: Uint8Array;
  epoch: number;
  executionOptimistic: false;
}

export interface ChainEvents {
  head: [HeadEvent];
  block: [BlockEvent];
  attestation: [Attestation];
  voluntary_exit: [SignedVoluntaryExit];
  finalized_checkpoint: [FinalizedCheckpointEvent];
  chain_reorg: [ChainReorgEvent];
  /** A block the chain needs but does not know: the parent of a gossip block, or a block attestations vote for (sync fetches it by root). */
  unknown_block_root: [UnknownBlockRootEvent];
  attester_slashing: [AttesterSlashing];
  proposer_slashing: [ProposerSlashing];
}

export interface UnknownBlockRootEvent {
  root: Uint8Array;
  /** The slot of the child block that needs it, when a block asked. */
  slot?: number;
  /** The peer that sent the message that needs it (a peer likely to have it). */
  peerId?: string;
}

/** The blocks a node stores: from the oldest (genesis, or a checkpoint anchor until backfilled) to the head. */
export interface BlockRange {
  oldestSlot: number;
  oldestRoot: Uint8Array;
  headSlot: number;
  headRoot: Uint8Array;
  /** The oldest block is the genesis block: nothing is missing below it. */
  fromGenesis: boolean;
}

/**
 * What a slasher needs from the chain: every attestation and block header the node validated
 * (signatures verified), from any source (API, blocks' contents, gossip), including those that
 * lose fork choice or conflict with what the node already accepted. Called synchronously; an
 * implementation only queues.
 */
export interface SlasherInput {
  onValidatedAttestation(attestation: IndexedAttestation): void;
  onValidatedBlockHeader(header: SignedBeaconBlockHeader): void;
}

export interface IBeaconChain {
  readonly events: EventEmitter<ChainEvents>;
  readonly genesis: GenesisInfo;
  /** The chain config this chain was built with (another chain in the same process may have another). */
  readonly config: ChainConfig;

  /** The clock's current slot (0 before genesis). */
  currentSlot(): number;
  getHead(): HeadInfo;
  getFinalizedCheckpoint(): Checkpoint;
  getJustifiedCheckpoint(): Checkpoint;
  getSyncStatus(): SyncStatus;
  /** Which blocks the node holds (optional: chains without a database need not say). */
  getBlockRange?(): Promise<BlockRange>;

  // ---- reads ----

  /**
   * A state by id. Slots resolve on the canonical chain, through empty slots, up to the clock's
   * current slot (later slots: null). Roots resolve for post-states of known blocks and for
   * canonical states within the head state's state_roots window.
   */
  getStateById(id: StateId): Promise<StateResult | null>;
  /** A block by id. A slot resolves to the canonical block at exactly that slot (empty slot: null). */
  getBlockById(id: BlockId): Promise<BlockResult | null>;
  /**
   * Block headers (beacon-APIs /headers): with no filter, the head's; with `slot`, every known
   * block at that slot (canonical first); with `parentRoot`, every known child of that block.
   */
  getHeaders(filter: {slot?: number; parentRoot?: Uint8Array}): Promise<HeaderResult[]>;
  getHeaderById(id: BlockId): Promise<HeaderResult | null>;

  // ---- imports ----

  /** The import pipeline. Throws BlockImportError (ALREADY_KNOWN, PARENT_UNKNOWN, INVALID...). */
  processBlock(signedBlock: SignedBeaconBlock, source: ImportSource): Promise<ImportedBlock>;
  /** Unaggregated attestations, validated as gossip beacon_attestation; per-item failures. */
  submitAttestations(attestations: Attestation[]): Promise<ItemFailure[]>;
  /** Validated as gossip beacon_aggregate_and_proof; per-item failures. */
  submitAggregateAndProofs(aggregates: SignedAggregateAndProof[]): Promise<ItemFailure[]>;
  /** Validated against the head state; throws OperationError. */
  submitAttesterSlashing(slashing: AttesterSlashing): Promise<void>;
  submitProposerSlashing(slashing: ProposerSlashing): Promise<void>;
  submitVoluntaryExit(exit: SignedVoluntaryExit): Promise<void>;

  // ---- pools ----

  getPoolAttestations(filter?: PoolAttestationFilter): Attestation[];
  getPoolAttesterSlashings(): AttesterSlashing[];
  getPoolProposerSlashings(): ProposerSlashing[];
  getPoolVoluntaryExits(): SignedVoluntaryExit[];

  // ---- validator duties and production ----

  /** An unsigned block for `slot` on the current head. Throws ChainRequestError. */
  produceBlock(slot: number, randaoReveal: Uint8Array, graffiti: Uint8Array, opts?: ProduceBlockOptions): Promise<ProducedBlock>;
  /** Attestation data for the head at `slot` (slot <= current slot + disparity). */
  produceAttestationData(slot: number, committeeIndex: number): Promise<AttestationData>;
  /** The best aggregate the pool holds for this data root at this slot, or null. */
  getAggregateAttestation(slot: number, attestationDataRoot: Uint8Array): Attestation | null;
  /** Epochs up to current + 1. */
  getProposerDuties(epoch: number): Promise<ProposerDuties>;
  /** Epochs up to current + 1; unknown indices are skipped (as beacon-APIs allows). */
  getAttesterDuties(epoch: number, validatorIndices: number[]): Promise<AttesterDuties>;
  /** Seen attesting (gossip/API or in a block) or proposing in `epoch`; current and previous epoch at least. */
  getLiveness(epoch: number, validatorIndices: number[]): Liveness[];

  // ---- debug ----

  getForkChoiceDump(): ForkChoiceDump;
  /** Leaves of the fork-choice tree. */
  getHeads(): ChainHead[];
}
