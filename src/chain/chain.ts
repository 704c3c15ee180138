/**
 * BeaconChain: fork choice, the state caches, the operation pools and the database, put together
 * behind IBeaconChain. The modules next to this file do the work (blockImport, validation/*,
 * production/*, duties, lookup, finalization); this class owns the shared state, the processor
 * (the exclusive, prioritised lanes everything that changes fork choice runs on), the gossip sink,
 * the head and the clock's hooks.
 */
import {EventEmitter} from "node:events";
import {callingThreadVerifier, type AsyncSignatureVerifier} from "../crypto/index.ts";
import type {BeaconDb} from "../db/index.ts";
import {ForkChoice} from "../fork-choice/forkChoice.ts";
import {SLOTS_PER_EPOCH, type ChainConfig} from "../params/index.ts";
import {SlotClock, sleep, systemTime, type TimeSource} from "../clock/index.ts";
import {
  blockRoot,
  computeEpochAtSlot,
  computeStartSlotAtEpoch,
  createCachedBeaconState,
  type CachedBeaconState,
} from "../state-transition/index.ts";
import {
  ssz,
  type Attestation,
  type AttestationData,
  type AttesterSlashing,
  type Checkpoint,
  type ProposerSlashing,
  type SignedAggregateAndProof,
  type SignedBeaconBlock,
  type SignedVoluntaryExit,
} from "../types/index.ts";
import {fromHex, toHex} from "../util/bytes.ts";
import {silentLogger, type Logger} from "../util/logger.ts";
import {importBlock} from "./blockImport.ts";
import {getAttesterDuties, getProposerDuties} from "./duties.ts";
import {BlockErrorCode, BlockImportError, ChainRequestError, ChainRequestErrorCode} from "./errors.ts";
import {persistFinalized} from "./finalization.ts";
import {getForkChoiceDump, getHeads} from "./debug.ts";
import type {
  AttesterDuties,
  BlockId,
  BlockResult,
  ChainEvents,
  ChainHead,
  ForkChoiceDump,
  GenesisInfo,
  HeaderResult,
  HeadInfo,
  IBeaconChain,
  ImportedBlock,
  ImportSource,
  ItemFailure,
  Liveness,
  PoolAttestationFilter,
  ProduceBlockOptions,
  SlasherInput,
  ProducedBlock,
  ProposerDuties,
  StateId,
  StateResult,
  SyncStatus,
  BlockRange,
} from "./interface.ts";
import {getBlockById, getHeaderById, getHeaders, getStateById} from "./lookup.ts";
import {AttestationPool} from "./opPools/attestationPool.ts";
import {KnownAggregates} from "./opPools/knownAggregates.ts";
import {OperationPool} from "./opPools/operationPool.ts";
import {produceAttestationData} from "./production/attestationData.ts";
import {produceBlock} from "./production/produceBlock.ts";
import type {Eth1ForProduction} from "./production/eth1Vote.ts";
import {LivenessTracker} from "./seen/liveness.ts";
import {SeenAggregates} from "./seen/seenAggregates.ts";
import {SeenAggregators, SeenAttesters} from "./seen/seenAttesters.ts";
import {computeJustifiedBalances} from "./stateCache/justifiedBalances.ts";
import {StateRegen} from "./stateCache/stateRegen.ts";
import {ChainGossipSink, type GossipSinkOptions} from "./gossip/sink.ts";
import {ChainProcessor, type Lane} from "./processor/processor.ts";
import {InvalidBlocks} from "./seen/invalidBlocks.ts";
import {SeenBlockProposers} from "./seen/seenBlockProposers.ts";
import {SeenValidators} from "./seen/seenValidators.ts";
import {validateGossipBlock} from "./validation/block.ts";
import {feedRepeatProposal} from "./slasherFeed.ts";
import type {SeenCaches, ValidationContext} from "./validation/context.ts";
import {submitAggregateAndProofs} from "./validation/aggregateAndProof.ts";
import {submitAttestations} from "./validation/attestation.ts";
import {submitAttesterSlashing, submitProposerSlashing, submitVoluntaryExit} from "./validation/operations.ts";
import {applyPendingForkChoiceAttestations, PendingForkChoiceAttestations} from "./validation/pendingForkChoice.ts";
import type {StoredAnchor} from "./persist.ts";
import {readOldestBlock} from "./persist.ts";
import type {BeaconMetrics} from "../metrics/index.ts";

export interface BeaconChainOptions {
  /** The chain config: everything the chain, its states and its fork choice read comes from here. */
  config: ChainConfig;
  db: BeaconDb;
  anchor: StoredAnchor;
  logger?: Logger;
  /** Wall time for the clock (tests inject FakeTime). */
  time?: TimeSource;
  maxBlockStates?: number;
  maxCheckpointStates?: number;
  /** Where block and API batch signatures are verified (a node passes its BLS worker pool; default: the calling thread). */
  blsVerifier?: AsyncSignatureVerifier;
  /** Batch sizes and queue bounds of the gossip sink. */
  gossip?: GossipSinkOptions;
  /** Bounds of the processor's lanes. */
  processorCapacity?: Partial<Record<Lane, number>>;
  /** Block import times go here when the node keeps metrics. */
  metrics?: Pick<BeaconMetrics, "blockImportSeconds">;
}

export class BeaconChain implements IBeaconChain {
  readonly events = new EventEmitter<ChainEvents>();
  readonly genesis: GenesisInfo;
  readonly config: ChainConfig;
  readonly db: BeaconDb;
  readonly clock: SlotClock;
  readonly logger: Logger;
  readonly blsVerifier: AsyncSignatureVerifier;
  readonly metrics: Pick<BeaconMetrics, "blockImportSeconds"> | undefined;
  readonly forkChoice: ForkChoice;
  readonly regen: StateRegen;
  /** Blocks fork choice knows (unfinalized, plus the anchor), by root hex. */
  readonly blocks = new Map<string, SignedBeaconBlock>();
  readonly knownAggregates = new KnownAggregates();
  readonly attestationPool = new AttestationPool(this.knownAggregates);
  readonly opPool = new OperationPool();
  readonly seenAttesters = new SeenAttesters();
  readonly seenAggregators = new SeenAggregators();
  readonly seenAggregates = new SeenAggregates();
  readonly liveness = new LivenessTracker();
  readonly pendingForkChoice = new PendingForkChoiceAttestations();
  readonly seen: SeenCaches = {
    attesters: this.seenAttesters,
    aggregators: this.seenAggregators,
    aggregates: this.seenAggregates,
    blockProposers: new SeenBlockProposers(),
    voluntaryExits: new SeenValidators(),
    proposerSlashings: new SeenValidators(),
    attesterSlashings: new SeenValidators(),
    invalidBlocks: new InvalidBlocks(),
  };
  /** Runs everything that changes fork choice, the pools or the database's anchor, one job at a time, blocks first. */
  readonly processor: ChainProcessor;
  /** What the gossip validation functions read. */
  readonly validation: ValidationContext;
  /** Where the network hands decoded gossip messages. */
  readonly gossip: ChainGossipSink;
  /** The eth1 follower that produced blocks take their eth1 vote and deposits from (null: re-vote, no deposits). */
  eth1: Eth1ForProduction | null = null;
  /** Receives what the node validated when a slasher runs (set by the node before start). */
  slasherInput: SlasherInput | null = null;
  /** Whether the node is catching up with peers (the node's sync sets it; without networking, never). */
  isSyncing: () => boolean = () => false;

  /** The anchor: the finalized block whose post-state is stored, and the finalized checkpoint as persisted. */
  anchorBlockRoot: string;
  anchorSlot: number;
  persistedFinalized: Checkpoint;
  private head: {root: string; slot: number; stateRoot: string; state: CachedBeaconState};
  private readonly time: TimeSource;
  private started = false;
  private closed = false;
  /** Aborted at stop: every sleep ends then. */
  private readonly stopping = new AbortController();

  constructor(opts: BeaconChainOptions) {
    const config = opts.config;
    this.config = config;
    this.db = opts.db;
    this.logger = opts.logger ?? silentLogger;
    this.time = opts.time ?? systemTime;
    this.blsVerifier = opts.blsVerifier ?? callingThreadVerifier;
    this.metrics = opts.metrics;
    const anchorState = createCachedBeaconState(ssz.BeaconState.deserializeToViewDU(opts.anchor.stateBytes), config);
    const state = anchorState.state;
    this.clock = new SlotClock({
      genesisTime: state.genesis_time,
      slotDurationMs: config.SLOT_DURATION_MS,
      slotsPerEpoch: SLOTS_PER_EPOCH,
      attestationDueBps: config.ATTESTATION_DUE_BPS,
      aggregateDueBps: config.AGGREGATE_DUE_BPS,
      time: opts.time,
    });
    this.genesis = {
      genesisTime: state.genesis_time,
      genesisValidatorsRoot: state.genesis_validators_root,
      genesisForkVersion: config.GENESIS_FORK_VERSION,
      genesisBlockRoot: opts.anchor.genesisBlockRoot,
    };
    const anchorRootHex = toHex(opts.anchor.blockRoot);
    const stateRootHex = toHex(state.hashTreeRoot());
    this.anchorBlockRoot = anchorRootHex;
    this.anchorSlot = state.slot;
    this.persistedFinalized = opts.anchor.finalizedCheckpoint;

    this.regen = new StateRegen(
      {getNode: (root) => this.forkChoice.getBlock(root), getBlock: (root) => this.blocks.get(root)},
      {maxBlockStates: opts.maxBlockStates, maxCheckpointStates: opts.maxCheckpointStates}
    );
    this.regen.pin("anchor", stateRootHex, anchorState);

    const header = state.latest_block_header;
    this.forkChoice = new ForkChoice({
      config,
      genesisTime: state.genesis_time,
      anchor: {
        slot: state.slot,
        blockRoot: anchorRootHex,
        parentRoot: toHex(header.parent_root),
        stateRoot: stateRootHex,
        proposerIndex: header.proposer_index,
      },
      // The persisted finalized checkpoint, not the anchor state's epoch: a restart must not
      // report an earlier finalized epoch than the one the node had reached.
      anchorEpoch: opts.anchor.finalizedCheckpoint.epoch,
      time: state.genesis_time + Math.floor((state.slot * config.SLOT_DURATION_MS) / 1000),
      getJustifiedBalances: (cp) => computeJustifiedBalances(this.regen.getCheckpointState(cp.epoch, cp.root)),
    });
    this.head = {root: anchorRootHex, slot: state.slot, stateRoot: stateRootHex, state: anchorState};
    this.processor = new ChainProcessor(opts.processorCapacity);
    this.validation = {
      config,
      forkChoice: this.forkChoice,
      regen: this.regen,
      clock: this.clock,
      blsVerifier: this.blsVerifier,
      seen: this.seen,
      finalizedCheckpoint: () => this.forkChoice.finalizedCheckpoint,
      headState: () => this.head.state,
    };
    this.gossip = new ChainGossipSink(this, opts.gossip);
  }

  /** Waits for the jobs queued so far to run (as a call through the former import lock did). */
  get lock(): {run<T>(task: () => Promise<T>): Promise<T>} {
    return {run: (task) => this.processor.run(task, "chain")};
  }

  // ---- life cycle ----

  /**
   * Replays the blocks stored after the anchor into fork choice (start-up after a restart),
   * then catches fork choice up with the clock.
   */
  async replayStoredBlocks(): Promise<number> {
    const anchorBlock = await this.db.getBlock(fromHex(this.anchorBlockRoot));
    if (anchorBlock !== undefined) this.blocks.set(this.anchorBlockRoot, ssz.SignedBeaconBlock.deserialize(anchorBlock));
    const stored = await this.db.blockRootsBySlotRange(this.anchorSlot + 1, Number.MAX_SAFE_INTEGER);
    let replayed = 0;
    for (const {root} of stored) {
      const bytes = await this.db.getBlock(root);
      if (bytes === undefined) continue;
      const signed = ssz.SignedBeaconBlock.deserialize(bytes);
      if (!this.forkChoice.hasBlock(toHex(signed.message.parent_root))) continue; // an orphan of a pruned fork
      try {
        await this.processor.run(() => importBlock(this, signed, {source: "sync", replay: true}), "block");
        replayed++;
      } catch (e) {
        this.logger.warn({slot: signed.message.slot, root: toHex(root), err: (e as Error).message}, "stored block not replayed");
      }
    }
    await this.processor.run(async () => {
      if (!this.clock.isBeforeGenesis()) this.tickForkChoice();
      await this.afterForkChoiceChange({emitEvents: false});
    });
    return replayed;
  }

  /** Starts the clock: fork choice ticks at every slot start and duty point. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.clock.on("slot", (slot) => this.onClockPoint(slot, "slot"));
    this.clock.on("attestation", (slot) => this.onClockPoint(slot, "attestation"));
    this.clock.on("aggregate", (slot) => this.onClockPoint(slot, "aggregate"));
    this.clock.start();
  }

  /** Stops the clock and waits for the import in progress (if any) to finish. */
  async stop(): Promise<void> {
    this.closed = true;
    this.clock.stop();
    this.clock.removeAllListeners();
    this.stopping.abort();
    await this.processor.drain();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private onClockPoint(slot: number, point: "slot" | "attestation" | "aggregate"): void {
    this.processor
      .run(async () => {
        if (this.closed) return;
        this.tickForkChoice();
        if (point === "slot") {
          applyPendingForkChoiceAttestations(this, slot);
          this.pruneSeen(slot);
          this.gossip.logDrops();
        }
        await this.afterForkChoiceChange({emitEvents: true});
        if (point === "aggregate" && (slot + 1) % SLOTS_PER_EPOCH === 0) this.precomputeNextEpoch(slot + 1);
      })
      .catch((e) => this.logger.error({err: e, slot, point}, "clock tick failed"));
  }

  /**
   * Near the end of an epoch, computes the head's checkpoint state of the next epoch, so the
   * first block of the epoch (produced or received) does not wait for the epoch transition.
   */
  private precomputeNextEpoch(nextSlot: number): void {
    try {
      this.regen.getCheckpointState(computeEpochAtSlot(nextSlot), this.head.root);
    } catch (e) {
      this.logger.warn({err: (e as Error).message}, "epoch transition precompute failed");
    }
  }

  private pruneSeen(slot: number): void {
    const epoch = computeEpochAtSlot(slot);
    this.seenAttesters.pruneBefore(epoch - 1);
    this.seenAggregators.pruneBefore(epoch - 1);
    this.seenAggregates.pruneBefore(slot - SLOTS_PER_EPOCH);
    this.attestationPool.pruneBefore(slot - SLOTS_PER_EPOCH);
    this.knownAggregates.pruneBefore(slot - SLOTS_PER_EPOCH);
    this.seen.blockProposers.pruneBefore(computeStartSlotAtEpoch(this.forkChoice.finalizedCheckpoint.epoch));
  }

  /** Resolves after `ms` (or at once when the chain stops). */
  sleep(ms: number): Promise<void> {
    return sleep(this.time, ms, this.stopping.signal);
  }

  // ---- fork choice time, head and finalization ----

  /** on_tick with the clock's current time (Store.time is in seconds). */
  tickForkChoice(): void {
    this.tickForkChoiceTo(this.clock.nowMs());
  }

  tickForkChoiceTo(ms: number): void {
    const seconds = Math.floor(ms / 1000);
    if (seconds > this.forkChoice.time && seconds >= this.genesis.genesisTime) this.forkChoice.onTick(seconds);
  }

  /** After anything that may move the head or the checkpoints: persist finality, update head, emit events. */
  async afterForkChoiceChange(opts: {emitEvents: boolean}): Promise<void> {
    const finalized = this.forkChoice.finalizedCheckpoint;
    if (finalized.epoch > this.persistedFinalized.epoch) {
      await persistFinalized(this, {epoch: finalized.epoch, root: fromHex(finalized.root)});
      if (opts.emitEvents) {
        const state = this.regen.getCheckpointState(finalized.epoch, finalized.root);
        this.events.emit("finalized_checkpoint", {
          block: fromHex(finalized.root),
          state: state.state.hashTreeRoot(),
          epoch: finalized.epoch,
          executionOptimistic: false,
        });
      }
    }
    this.updateHead(opts.emitEvents);
  }

  private updateHead(emitEvents: boolean): void {
    const head = this.forkChoice.getHead();
    if (head.blockRoot === this.head.root) return;
    const old = this.head;
    const state = this.regen.getBlockState(head.blockRoot);
    this.head = {root: head.blockRoot, slot: head.slot, stateRoot: head.stateRoot, state};
    this.regen.pin("head", head.stateRoot, state);
    if (!emitEvents) return;

    const epoch = computeEpochAtSlot(head.slot);
    this.events.emit("head", {
      slot: head.slot,
      block: fromHex(head.blockRoot),
      state: fromHex(head.stateRoot),
      epochTransition: computeStartSlotAtEpoch(epoch) === head.slot,
      previousDutyDependentRoot: this.dependentRootAt(computeStartSlotAtEpoch(epoch - 1) - 1),
      currentDutyDependentRoot: this.dependentRootAt(computeStartSlotAtEpoch(epoch) - 1),
      executionOptimistic: false,
    });
    if (this.forkChoice.hasBlock(old.root) && !this.forkChoice.isAncestor(head.blockRoot, old.root)) {
      let common = this.forkChoice.getBlock(old.root);
      while (common !== undefined && !this.forkChoice.isAncestor(head.blockRoot, common.blockRoot)) {
        common = this.forkChoice.getBlock(common.parentRoot);
      }
      const depth = old.slot - (common?.slot ?? this.anchorSlot);
      this.logger.info({depth, oldHead: old.root, newHead: head.blockRoot}, "chain reorg");
      this.events.emit("chain_reorg", {
        slot: head.slot,
        depth,
        oldHeadBlock: fromHex(old.root),
        newHeadBlock: fromHex(head.blockRoot),
        oldHeadState: fromHex(old.stateRoot),
        newHeadState: fromHex(head.stateRoot),
        epoch,
        executionOptimistic: false,
      });
    }
  }

  /**
   * The canonical block root at a slot (the block at or before it), as duties' dependent roots
   * define it: the genesis block root for a negative slot, the head for a slot at or after it.
   */
  dependentRootAt(slot: number): Uint8Array {
    if (slot < 0) return this.genesis.genesisBlockRoot;
    if (slot >= this.head.slot) return fromHex(this.head.root);
    const ancestor = this.forkChoice.getAncestor(this.head.root, slot);
    if (ancestor !== null) return fromHex(ancestor);
    const state = this.head.state.state;
    return state.block_roots.get(slot % state.block_roots.length);
  }

  // ---- IBeaconChain: reads ----

  currentSlot(): number {
    return this.clock.currentSlot;
  }

  getHead(): HeadInfo {
    return {root: fromHex(this.head.root), slot: this.head.slot, stateRoot: fromHex(this.head.stateRoot), state: this.head.state};
  }

  /** The head's root hex (internal). */
  get headRoot(): string {
    return this.head.root;
  }

  getFinalizedCheckpoint(): Checkpoint {
    const cp = this.forkChoice.finalizedCheckpoint;
    return {epoch: cp.epoch, root: fromHex(cp.root)};
  }

  getJustifiedCheckpoint(): Checkpoint {
    const cp = this.forkChoice.justifiedCheckpoint;
    return {epoch: cp.epoch, root: fromHex(cp.root)};
  }

  getSyncStatus(): SyncStatus {
    const current = this.clock.currentSlot;
    return {
      headSlot: this.head.slot,
      syncDistance: Math.max(0, current - this.head.slot),
      isSyncing: this.isSyncing(),
      isOptimistic: false,
      elOffline: this.eth1?.isOffline() ?? false,
    };
  }

  async getBlockRange(): Promise<BlockRange> {
    const oldest = await readOldestBlock(this.db);
    const head = this.getHead();
    const oldestSlot = oldest?.slot ?? 0;
    return {
      oldestSlot,
      oldestRoot: oldest?.root ?? this.genesis.genesisBlockRoot,
      headSlot: head.slot,
      headRoot: head.root,
      fromGenesis: oldestSlot === 0,
    };
  }

  getStateById(id: StateId): Promise<StateResult | null> {
    return getStateById(this, id);
  }

  getBlockById(id: BlockId): Promise<BlockResult | null> {
    return getBlockById(this, id);
  }

  getHeaders(filter: {slot?: number; parentRoot?: Uint8Array}): Promise<HeaderResult[]> {
    return getHeaders(this, filter);
  }

  getHeaderById(id: BlockId): Promise<HeaderResult | null> {
    return getHeaderById(this, id);
  }

  // ---- IBeaconChain: imports ----

  processBlock(signedBlock: SignedBeaconBlock, source: ImportSource): Promise<ImportedBlock> {
    if (this.closed) return Promise.reject(new ChainRequestError(ChainRequestErrorCode.NOT_READY, "the node is shutting down"));
    if (source !== "api") return this.processor.run(() => importBlock(this, signedBlock, {source}), "block");
    // Published through REST: the gossip conditions first (broadcast_validation=gossip), as a peer would check them.
    return this.processor.run(async () => {
      const root = toHex(blockRoot(signedBlock.message));
      if (this.forkChoice.hasBlock(root)) {
        throw new BlockImportError(BlockErrorCode.ALREADY_KNOWN, `block ${root} at slot ${signedBlock.message.slot} is already known`);
      }
      await validateGossipBlock(this.validation, signedBlock, this.clock.nowMs());
      const imported = await importBlock(this, signedBlock, {source, proposerVerified: true});
      // Only once imported: a publisher whose block failed may publish a corrected one.
      this.seen.blockProposers.add(signedBlock.message.slot, signedBlock.message.proposer_index);
      return imported;
    }, "block").catch(async (e: unknown) => {
      // A second block for a proposer and slot is refused, but once its signature verifies (outside the lane) the slasher gets its header.
      await feedRepeatProposal(this.slasherInput, this.validation, signedBlock, e);
      throw e;
    });
  }

  submitAttestations(attestations: Attestation[]): Promise<ItemFailure[]> {
    return this.processor.run(() => submitAttestations(this, attestations));
  }

  submitAggregateAndProofs(aggregates: SignedAggregateAndProof[]): Promise<ItemFailure[]> {
    return this.processor.run(() => submitAggregateAndProofs(this, aggregates));
  }

  submitAttesterSlashing(slashing: AttesterSlashing): Promise<void> {
    return this.processor.run(async () => submitAttesterSlashing(this, slashing));
  }

  submitProposerSlashing(slashing: ProposerSlashing): Promise<void> {
    return this.processor.run(async () => submitProposerSlashing(this, slashing));
  }

  submitVoluntaryExit(exit: SignedVoluntaryExit): Promise<void> {
    return this.processor.run(async () => submitVoluntaryExit(this, exit));
  }

  // ---- IBeaconChain: pools ----

  getPoolAttestations(filter?: PoolAttestationFilter): Attestation[] {
    return this.attestationPool.getAll(filter);
  }

  getPoolAttesterSlashings(): AttesterSlashing[] {
    return this.opPool.getAttesterSlashings();
  }

  getPoolProposerSlashings(): ProposerSlashing[] {
    return this.opPool.getProposerSlashings();
  }

  getPoolVoluntaryExits(): SignedVoluntaryExit[] {
    return this.opPool.getVoluntaryExits();
  }

  // ---- IBeaconChain: duties and production ----

  produceBlock(slot: number, randaoReveal: Uint8Array, graffiti: Uint8Array, opts?: ProduceBlockOptions): Promise<ProducedBlock> {
    return this.processor.run(async () => produceBlock(this, slot, randaoReveal, graffiti, opts ?? {}));
  }

  produceAttestationData(slot: number, committeeIndex: number): Promise<AttestationData> {
    return this.processor.run(async () => produceAttestationData(this, slot, committeeIndex));
  }

  getAggregateAttestation(slot: number, attestationDataRoot: Uint8Array): Attestation | null {
    return this.attestationPool.getAggregate(slot, attestationDataRoot);
  }

  getProposerDuties(epoch: number): Promise<ProposerDuties> {
    return this.processor.run(async () => getProposerDuties(this, epoch));
  }

  getAttesterDuties(epoch: number, validatorIndices: number[]): Promise<AttesterDuties> {
    return this.processor.run(async () => getAttesterDuties(this, epoch, validatorIndices));
  }

  getLiveness(epoch: number, validatorIndices: number[]): Liveness[] {
    const current = this.clock.currentEpoch;
    if (epoch > current) {
      throw new ChainRequestError(ChainRequestErrorCode.OUT_OF_RANGE, `epoch ${epoch} is after the current epoch ${current}`);
    }
    // Older epochs are forgotten: "not live" there would be a guess, not an observation.
    const oldest = Math.max(0, current - this.liveness.keepEpochs + 1);
    if (epoch < oldest) {
      throw new ChainRequestError(ChainRequestErrorCode.OUT_OF_RANGE, `epoch ${epoch} is before epoch ${oldest}, the oldest this node tracks liveness for`);
    }
    return validatorIndices.map((index) => ({index, isLive: this.liveness.isLive(epoch, index)}));
  }

  // ---- IBeaconChain: debug ----

  getForkChoiceDump(): ForkChoiceDump {
    return getForkChoiceDump(this);
  }

  getHeads(): ChainHead[] {
    return getHeads(this);
  }
}
