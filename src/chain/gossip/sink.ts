/**
 * The chain's GossipSink: routes each decoded gossip message to its validation and, on ACCEPT,
 * to its import step, through the processor. Blocks take the processor's first lane; attestations
 * and aggregates gather in bounded per-kind batch queues whose signatures are verified as one
 * multi-verification each; exits and slashings take the last lane. Every outcome is a verdict:
 * nothing a peer sends makes onGossip throw.
 */
import {blockRoot, computeStartSlotAtEpoch} from "../../state-transition/index.ts";
import {type SignedAggregateAndProof, type SignedBeaconBlock} from "../../types/index.ts";
import {fromHex, toHex} from "../../util/bytes.ts";
import {GnomonError} from "../../util/errors.ts";
import {importBlock} from "../blockImport.ts";
import type {BeaconChain} from "../chain.ts";
import {AttestationErrorCode, BlockErrorCode, BlockImportError} from "../errors.ts";
import {BatchQueue} from "../processor/batchQueue.ts";
import {ProcessorError, type Lane} from "../processor/processor.ts";
import {importAggregate, validateAggregateBatch} from "../validation/aggregateAndProof.ts";
import {importAttestation, validateAttestationBatch, type AttestationItem, type Outcome} from "../validation/attestation.ts";
import {validateGossipBlock} from "../validation/block.ts";
import {
  importAttesterSlashing,
  importProposerSlashing,
  importVoluntaryExit,
  validateAttesterSlashing,
  validateProposerSlashing,
  validateVoluntaryExit,
} from "../validation/operations.ts";
import {feedConflictingVotes, feedRepeatProposal, indexedAggregate, indexedVote} from "../slasherFeed.ts";
import {GossipAction, type GossipKind, type GossipMessage, type GossipSink, type GossipVerdict} from "./interface.ts";
import {PendingBlocks} from "./pendingBlocks.ts";
import {ACCEPT_VERDICT, verdict, verdictOfError} from "./verdict.ts";

export const QUEUE_FULL = "QUEUE_FULL";

export interface GossipSinkOptions {
  /** Attestations per batch (one multi-verification). */
  attestationBatchSize?: number;
  aggregateBatchSize?: number;
  /** Batches validated at once (one verifies on the pool while the next is prepared). */
  maxBatchesInFlight?: number;
  attestationQueueCapacity?: number;
  aggregateQueueCapacity?: number;
}

export interface GossipKindStats {
  queued: number;
  dropped: number;
  processed: number;
  accepted: number;
  ignored: number;
  rejected: number;
}

interface AggregateItem {
  signed: SignedAggregateAndProof;
  nowMs: number;
}

export class ChainGossipSink implements GossipSink {
  private readonly chain: BeaconChain;
  private readonly attestations: BatchQueue<AttestationItem, GossipVerdict>;
  private readonly aggregates: BatchQueue<AggregateItem, GossipVerdict>;
  readonly pendingBlocks = new PendingBlocks();
  private readonly counts = new Map<GossipKind, {accepted: number; ignored: number; rejected: number}>();
  /** Roots recently announced as unknown, so an attestation flood asks for a block once. */
  private readonly announced = new Set<string>();
  private readonly reportedDrops = new Map<GossipKind, number>();

  constructor(chain: BeaconChain, opts: GossipSinkOptions = {}) {
    this.chain = chain;
    const maxInFlight = opts.maxBatchesInFlight ?? 2;
    const dropped = (): GossipVerdict => verdict(GossipAction.IGNORE, QUEUE_FULL);
    const onError = (e: unknown) => chain.logger.error({err: e}, "gossip batch failed");
    this.attestations = new BatchQueue({
      capacity: opts.attestationQueueCapacity ?? 16384,
      batchSize: opts.attestationBatchSize ?? 64,
      maxInFlight,
      process: (items) => this.processAttestations(items),
      dropped,
      onError,
    });
    this.aggregates = new BatchQueue({
      capacity: opts.aggregateQueueCapacity ?? 4096,
      batchSize: opts.aggregateBatchSize ?? 16,
      maxInFlight,
      process: (items) => this.processAggregates(items),
      dropped,
      onError,
    });
    chain.events.on("block", ({block, slot}) => this.onBlockImported(toHex(block), slot));
  }

  async onGossip(message: GossipMessage, receivedAtMs: number, peerId?: string): Promise<GossipVerdict> {
    let v: GossipVerdict;
    try {
      v = await this.route(message, receivedAtMs, peerId);
    } catch (e) {
      v = verdictOfError(e);
      if (!(e instanceof GnomonError)) this.chain.logger.error({err: e, kind: message.kind}, "gossip validation failed unexpectedly");
    }
    this.count(message.kind, v);
    return v;
  }

  private route(message: GossipMessage, nowMs: number, peerId: string | undefined): Promise<GossipVerdict> {
    if (this.chain.isClosed) return Promise.resolve(verdict(GossipAction.IGNORE, "SHUTTING_DOWN"));
    const ctx = this.chain.validation;
    switch (message.kind) {
      case "beacon_block":
        return this.onBlock(message.value, nowMs, peerId);
      case "beacon_attestation":
        return this.attestations.push({attestation: message.value, subnet: message.subnet, nowMs});
      case "beacon_aggregate_and_proof":
        return this.aggregates.push({signed: message.value, nowMs});
      case "voluntary_exit": {
        const exit = message.value;
        return this.exclusive("operation", async () => {
          await validateVoluntaryExit(ctx, exit);
          importVoluntaryExit(this.chain, exit);
        });
      }
      case "proposer_slashing": {
        const slashing = message.value;
        return this.exclusive("operation", async () => {
          await validateProposerSlashing(ctx, slashing);
          importProposerSlashing(this.chain, slashing);
        });
      }
      case "attester_slashing": {
        const slashing = message.value;
        return this.exclusive("operation", async () => importAttesterSlashing(this.chain, await validateAttesterSlashing(ctx, slashing)));
      }
    }
  }

  /** Validation and import as one exclusive job; a typed failure becomes its verdict. */
  private async exclusive(lane: Lane, task: () => Promise<void>): Promise<GossipVerdict> {
    try {
      await this.chain.processor.run(task, lane);
      return ACCEPT_VERDICT;
    } catch (e) {
      if (e instanceof ProcessorError) return verdict(GossipAction.IGNORE, QUEUE_FULL);
      throw e;
    }
  }

  private async onBlock(signed: SignedBeaconBlock, nowMs: number, peerId: string | undefined): Promise<GossipVerdict> {
    const chain = this.chain;
    // Early within the clock disparity allowance: wait for the slot outside the exclusive lane
    // (fork choice takes a block only once its slot has begun).
    const early = chain.clock.slotStartMs(signed.message.slot) - chain.clock.nowMs();
    if (early > 0 && early <= chain.config.MAXIMUM_GOSSIP_CLOCK_DISPARITY) await chain.sleep(early);
    try {
      return await chain.processor.run(async () => {
        // A block this node already has (from sync or REST): nothing to check or forward.
        const rootHex = toHex(blockRoot(signed.message));
        if (chain.forkChoice.hasBlock(rootHex)) {
          throw new BlockImportError(BlockErrorCode.ALREADY_KNOWN, `block ${rootHex} at slot ${signed.message.slot} is already known`);
        }
        const v = await validateGossipBlock(chain.validation, signed, nowMs);
        chain.seen.blockProposers.add(signed.message.slot, signed.message.proposer_index);
        try {
          await importBlock(chain, signed, {source: "gossip", proposerVerified: true});
        } catch (e) {
          if (e instanceof GnomonError && e.code === BlockErrorCode.INVALID) {
            // The proposer signed this very body: its root names an invalid block for good.
            chain.seen.invalidBlocks.add(v.rootHex);
          }
          throw e;
        }
        return ACCEPT_VERDICT;
      }, "block");
    } catch (e) {
      if (e instanceof ProcessorError) return verdict(GossipAction.IGNORE, QUEUE_FULL);
      // Outside the exclusive lane: a repeated proposal's signature check never holds a block back.
      await feedRepeatProposal(chain.slasherInput, chain.validation, signed, e);
      if (e instanceof GnomonError && e.code === BlockErrorCode.PARENT_UNKNOWN) {
        const parentHex = toHex(signed.message.parent_root);
        this.pendingBlocks.add(parentHex, {signed, peerId});
        this.announceUnknown(parentHex, signed.message.slot, peerId);
      }
      throw e;
    }
  }

  private onBlockImported(rootHex: string, _slot: number): void {
    this.announced.delete(rootHex);
    const children = this.pendingBlocks.takeChildren(rootHex);
    for (const child of children) {
      void this.onGossip({kind: "beacon_block", value: child.signed}, this.chain.clock.nowMs(), child.peerId);
    }
    const finalized = this.chain.forkChoice.finalizedCheckpoint;
    this.pendingBlocks.pruneUpTo(computeStartSlotAtEpoch(finalized.epoch));
  }

  private announceUnknown(rootHex: string, slot: number | undefined, peerId: string | undefined): void {
    if (this.announced.has(rootHex)) return;
    this.announced.add(rootHex);
    if (this.announced.size > 256) this.announced.delete(this.announced.values().next().value as string);
    this.chain.events.emit("unknown_block_root", {root: fromHex(rootHex), slot, peerId});
  }

  private async processAttestations(items: AttestationItem[]): Promise<GossipVerdict[]> {
    const chain = this.chain;
    const outcomes = await validateAttestationBatch(chain.validation, items);
    // Verified on the BLS pool beside the import, outside the exclusive lane.
    const feeding = feedConflictingVotes(chain.slasherInput, chain.blsVerifier, outcomes);
    try {
      return await this.importBatch("attestation", items, outcomes, (value) => {
        const data = value.attestation.data;
        // Another batch may have imported this validator's vote while this one was verified.
        const prior = chain.seenAttesters.get(data.target.epoch, value.validatorIndex);
        if (prior !== undefined) {
          if (prior !== value.validated.dataRootHex) chain.slasherInput?.onValidatedAttestation(indexedVote(value));
          return verdict(GossipAction.IGNORE, AttestationErrorCode.PRIOR_ATTESTATION_KNOWN);
        }
        importAttestation(chain, value);
        return ACCEPT_VERDICT;
      }, (item) => item.attestation.data.beacon_block_root);
    } finally {
      await feeding;
    }
  }

  private async processAggregates(items: AggregateItem[]): Promise<GossipVerdict[]> {
    const chain = this.chain;
    const outcomes = await validateAggregateBatch(chain.validation, items);
    return this.importBatch("aggregate", items, outcomes, (value) => {
      const proof = value.signed.message;
      const data = proof.aggregate.data;
      if (chain.seenAggregators.has(data.target.epoch, proof.aggregator_index)) {
        // Its signatures verified: the votes it carries are evidence even though it is not imported.
        chain.slasherInput?.onValidatedAttestation(indexedAggregate(value));
        return verdict(GossipAction.IGNORE, AttestationErrorCode.AGGREGATOR_ALREADY_KNOWN);
      }
      if (chain.seenAggregates.isKnown(data.slot, value.validated.dataRootHex, proof.aggregate.aggregation_bits)) {
        return verdict(GossipAction.IGNORE, AttestationErrorCode.AGGREGATE_ALREADY_KNOWN);
      }
      importAggregate(chain, value);
      return ACCEPT_VERDICT;
    }, (item) => item.signed.message.aggregate.data.beacon_block_root);
  }

  /** The import step of a validated batch, as one job on the processor's lane for the kind. */
  private async importBatch<T, V>(
    lane: Lane,
    items: T[],
    outcomes: Outcome<V>[],
    importOne: (value: V) => GossipVerdict,
    votedRoot: (item: T) => Uint8Array
  ): Promise<GossipVerdict[]> {
    outcomes.forEach((o, i) => {
      if (!o.ok && o.error.code === AttestationErrorCode.UNKNOWN_BEACON_BLOCK_ROOT) this.announceUnknown(toHex(votedRoot(items[i])), undefined, undefined);
    });
    if (!outcomes.some((o) => o.ok)) return outcomes.map((o) => (o.ok ? ACCEPT_VERDICT : verdictOfError(o.error)));
    try {
      return await this.chain.processor.run(async () => outcomes.map((o) => (o.ok ? importOne(o.value) : verdictOfError(o.error))), lane);
    } catch (e) {
      if (e instanceof ProcessorError) return outcomes.map((o) => (o.ok ? verdict(GossipAction.IGNORE, QUEUE_FULL) : verdictOfError(o.error)));
      throw e;
    }
  }

  private count(kind: GossipKind, v: GossipVerdict): void {
    let c = this.counts.get(kind);
    if (c === undefined) {
      c = {accepted: 0, ignored: 0, rejected: 0};
      this.counts.set(kind, c);
    }
    if (v.action === GossipAction.ACCEPT) c.accepted++;
    else if (v.action === GossipAction.IGNORE) c.ignored++;
    else c.rejected++;
  }

  /**
   * Logs the drops since the last call, if any (the chain calls it at every slot start), so an
   * operator sees an overloaded node without polling the stats.
   */
  logDrops(): void {
    const stats = this.stats();
    const grown: Record<string, number> = {};
    for (const kind of Object.keys(stats) as GossipKind[]) {
      const before = this.reportedDrops.get(kind) ?? 0;
      if (stats[kind].dropped > before) grown[kind] = stats[kind].dropped - before;
      this.reportedDrops.set(kind, stats[kind].dropped);
    }
    if (Object.keys(grown).length > 0) this.chain.logger.warn({dropped: grown}, "gossip messages dropped: queue full");
  }

  /** Per kind: queue length, drops, and verdict counts (for metrics and logs). */
  stats(): Record<GossipKind, GossipKindStats> {
    const lanes = this.chain.processor.stats();
    const laneOf: Record<GossipKind, {queued: number; dropped: number; processed: number}> = {
      beacon_block: lanes.block,
      beacon_attestation: {queued: this.attestations.length, dropped: this.attestations.dropped, processed: this.attestations.processed},
      beacon_aggregate_and_proof: {queued: this.aggregates.length, dropped: this.aggregates.dropped, processed: this.aggregates.processed},
      voluntary_exit: lanes.operation,
      proposer_slashing: lanes.operation,
      attester_slashing: lanes.operation,
    };
    const out = {} as Record<GossipKind, GossipKindStats>;
    for (const kind of Object.keys(laneOf) as GossipKind[]) {
      const c = this.counts.get(kind) ?? {accepted: 0, ignored: 0, rejected: 0};
      out[kind] = {...laneOf[kind], ...c};
    }
    return out;
  }
}

