/**
 * The slasher: finds proposer double votes, attester double votes and surround votes (both
 * ways) in everything the node validated, with the min-max span design.
 *
 * For each validator v and epoch e it keeps, over the attestations v signed:
 *   minTarget[v][e] = min { B.target : B.source > e }   (A = (s, t) surrounds some B iff minTarget[v][s] < t)
 *   maxTarget[v][e] = max { B.target : B.source < e }   (some B surrounds A          iff maxTarget[v][s] > t)
 * stored as u16 distances from e in chunks of `validatorChunkSize` validators x `epochChunkSize`
 * epochs, and per (target epoch, validator) the number of the first attestation seen, whose
 * evidence (compact IndexedAttestation) is kept once per attestation, not per validator.
 *
 * Inputs are queued (and persisted at once, so a kill -9 loses nothing) and processed in batches.
 * Chunks and records are written back every `checkpointBatches` batches in one atomic write
 * together with the removal of the inputs they cover; after a crash the inputs since the last
 * checkpoint are processed again, which rebuilds the same state. Found slashings are persisted
 * as soon as their batch ends and are reported once (the same evidence again is recognised).
 */
import {DEFAULT_HISTORY_EPOCHS, MAX_HISTORY_EPOCHS} from "./limits.ts";
import {digest} from "../crypto/sha256.ts";
import {readU64BE} from "../db/index.ts";
import {SLOTS_PER_EPOCH} from "../params/index.ts";
import {
  ssz,
  type AttesterSlashing,
  type IndexedAttestation,
  type ProposerSlashing,
  type SignedBeaconBlockHeader,
} from "../types/index.ts";
import {fromHex, toHex} from "../util/bytes.ts";
import {silentLogger, type Logger} from "../util/logger.ts";
import {GnomonError} from "../util/errors.ts";
import {ChunkCache, type Chunk} from "./chunks.ts";
import {decodeIndexedAttestation, encodeIndexedAttestation} from "./codec.ts";
import {key, prefixRange, Prefix, readU32} from "./keys.ts";
import type {SlasherStore, StoreOp} from "./store.ts";

export class SlasherError extends GnomonError {}

export interface SlasherOptions {
  /** Epochs of history kept (older data is pruned). */
  historyEpochs: number;
  validatorChunkSize?: number;
  epochChunkSize?: number;
  /** Batches between two checkpoints (writes of the arrays). */
  checkpointBatches?: number;
  /** Byte budget of the chunk cache (clean chunks beyond it are dropped). */
  cacheBytes?: number;
  logger?: Logger;
}

export {DEFAULT_HISTORY_EPOCHS, MAX_HISTORY_EPOCHS};
/** Chunk ids pack the validator chunk into 16 bits. */
const MAX_VALIDATOR_CHUNKS = 0x10000;

const MIN_NONE = 0xffff;
/** Longest stretch of batch work between two returns to the event loop. */
const SLICE_MS = 10;
/** How far before its first batch a new slasher maintains spans (see recordStart). */
const START_MARGIN_EPOCHS = 64;
const KIND_MIN = 0;
const KIND_MAX = 1;
const KIND_ATTESTER = 2;

const INPUT_ATTESTATION = 1;
const INPUT_HEADER = 2;
const SLASHING_PROPOSER = 1;
const SLASHING_ATTESTER = 2;

export type Detection =
  | {kind: "proposer_double_vote"; validator: number; slot: number; root1: Uint8Array; root2: Uint8Array}
  | {kind: "attester_double_vote" | "surrounds_existing" | "surrounded_by_existing"; validator: number; root1: Uint8Array; root2: Uint8Array};

export interface BatchResult {
  attesterSlashings: AttesterSlashing[];
  proposerSlashings: ProposerSlashing[];
  detections: Detection[];
  attestations: number;
  headers: number;
  /** Sum of attesting indices over the batch's attestations. */
  validatorVotes: number;
  /** Inputs set aside: target beyond the next epoch, source before the history, malformed. */
  dropped: number;
  checkpointed: boolean;
  ms: number;
}

type Input = {seq: number; kind: typeof INPUT_ATTESTATION; att: IndexedAttestation} | {seq: number; kind: typeof INPUT_HEADER; header: SignedBeaconBlockHeader};

interface EpochAttestations {
  next: number;
  /** Data root (hex) of each attestation number seen or loaded. */
  roots: Map<number, string>;
  /** Decoded evidence, for attestations stored since the last checkpoint and ones loaded. */
  atts: Map<number, IndexedAttestation>;
  /** Numbers stored since the last checkpoint, with their encoding. */
  unwritten: Map<number, Uint8Array>;
  countDirty: boolean;
  used: number;
}

const META_LAYOUT = "layout";
const META_PRUNED = "prunedBelow";
const META_START = "startEpoch";
const utf8 = new TextEncoder();
const metaKey = (name: string): Uint8Array => key(Prefix.meta, utf8.encode(name));

export class Slasher {
  readonly historyEpochs: number;
  readonly validatorChunkSize: number;
  readonly epochChunkSize: number;
  readonly checkpointBatches: number;
  private readonly cacheBytes: number;
  private readonly store: SlasherStore;
  private readonly logger: Logger;
  private readonly cache = new ChunkCache();
  private readonly epochs = new Map<number, EpochAttestations>();
  private rootStrings = new Map<string, string>();
  private pending: Input[] = [];
  /** Queue keys of inputs processed since the last checkpoint (deleted by the next one). */
  private processedSinceCheckpoint: Uint8Array[] = [];
  private nextQueueSeq: number;
  private queueWrites: StoreOp[] = [];
  private queueFlush: Promise<void> | null = null;
  private batches = 0;
  private batchesSinceCheckpoint = 0;
  private prunedBelow: number;
  /** The first epoch this slasher watched: spans are not maintained before it. -1: not yet started. */
  private startEpoch: number;
  private closed = false;

  private constructor(store: SlasherStore, opts: Required<Omit<SlasherOptions, "logger">> & {logger: Logger}, state: {nextQueueSeq: number; pending: Input[]; prunedBelow: number; startEpoch: number}) {
    this.store = store;
    this.historyEpochs = opts.historyEpochs;
    this.validatorChunkSize = opts.validatorChunkSize;
    this.epochChunkSize = opts.epochChunkSize;
    this.checkpointBatches = opts.checkpointBatches;
    this.cacheBytes = opts.cacheBytes;
    this.logger = opts.logger;
    this.nextQueueSeq = state.nextQueueSeq;
    this.pending = state.pending;
    this.prunedBelow = state.prunedBelow;
    this.startEpoch = state.startEpoch;
  }

  /** Like `open`, but the slasher owns the store: if opening fails, the store is closed before the error is rethrown. */
  static async openOn(store: SlasherStore, opts: SlasherOptions): Promise<Slasher> {
    try {
      return await Slasher.open(store, opts);
    } catch (e) {
      await store.close();
      throw e;
    }
  }

  /** Opens the slasher on its store: checks the layout, reloads the inputs not yet checkpointed. */
  static async open(store: SlasherStore, opts: SlasherOptions): Promise<Slasher> {
    const full = {
      historyEpochs: opts.historyEpochs,
      validatorChunkSize: opts.validatorChunkSize ?? 256,
      epochChunkSize: opts.epochChunkSize ?? 4,
      checkpointBatches: opts.checkpointBatches ?? SLOTS_PER_EPOCH,
      cacheBytes: opts.cacheBytes ?? 64 * 2 ** 20,
      logger: opts.logger ?? silentLogger,
    };
    if (!Number.isInteger(full.historyEpochs) || full.historyEpochs < 2 || full.historyEpochs > MAX_HISTORY_EPOCHS) {
      throw new SlasherError("SLASHER_BAD_OPTION", `the slasher history must be 2..${MAX_HISTORY_EPOCHS} epochs, got ${full.historyEpochs}`);
    }
    const layout = utf8.encode(`${full.validatorChunkSize}x${full.epochChunkSize}`);
    const stored = await store.get(metaKey(META_LAYOUT));
    if (stored === undefined) {
      await store.batch([{type: "put", key: metaKey(META_LAYOUT), value: layout}]);
    } else if (toHex(stored) !== toHex(layout)) {
      throw new SlasherError("SLASHER_LAYOUT_MISMATCH", `the slasher database uses chunks of ${new TextDecoder().decode(stored)}, not ${new TextDecoder().decode(layout)}`);
    }
    const prunedBytes = await store.get(metaKey(META_PRUNED));
    const prunedBelow = prunedBytes === undefined ? 0 : readU32(prunedBytes, 0);

    const pending: Input[] = [];
    let nextQueueSeq = 0;
    let unreadable = 0;
    const {gte, lt} = prefixRange(Prefix.queue);
    for await (const [k, v] of store.entries(gte, lt)) {
      const seq = readU64BE(k, 1);
      nextQueueSeq = seq + 1;
      try {
        if (v[0] === INPUT_ATTESTATION) pending.push({seq, kind: INPUT_ATTESTATION, att: ssz.IndexedAttestation.deserialize(v.subarray(1))});
        else if (v[0] === INPUT_HEADER) pending.push({seq, kind: INPUT_HEADER, header: ssz.SignedBeaconBlockHeader.deserialize(v.subarray(1))});
        else unreadable++;
      } catch {
        unreadable++;
      }
    }
    const startBytes = await store.get(metaKey(META_START));
    const startEpoch = startBytes === undefined ? -1 : readU32(startBytes, 0);
    const slasher = new Slasher(store, full, {nextQueueSeq, pending, prunedBelow, startEpoch});
    if (unreadable > 0) full.logger.warn({unreadable}, "slasher: unreadable queued inputs skipped");
    if (pending.length > 0) full.logger.info({inputs: pending.length}, "slasher: inputs since the last checkpoint will be processed again");
    return slasher;
  }

  get queuedInputs(): number {
    return this.pending.length;
  }

  get cacheByteSize(): number {
    return this.cache.byteSize;
  }

  // ---- input ----

  /** An attestation the node validated (signature checked). Malformed ones are refused here. */
  onAttestation(att: IndexedAttestation): boolean {
    if (this.closed || !isWellFormed(att, this.validatorChunkSize * MAX_VALIDATOR_CHUNKS)) return false;
    this.enqueue({seq: this.nextQueueSeq++, kind: INPUT_ATTESTATION, att}, ssz.IndexedAttestation.serialize(att));
    return true;
  }

  /** A block header whose proposer signature the node verified. */
  onBlockHeader(header: SignedBeaconBlockHeader): boolean {
    if (this.closed) return false;
    this.enqueue({seq: this.nextQueueSeq++, kind: INPUT_HEADER, header}, ssz.SignedBeaconBlockHeader.serialize(header));
    return true;
  }

  private enqueue(input: Input, bytes: Uint8Array): void {
    this.pending.push(input);
    const value = new Uint8Array(bytes.length + 1);
    value[0] = input.kind;
    value.set(bytes, 1);
    this.queueWrites.push({type: "put", key: key(Prefix.queue, ["u64", input.seq]), value});
    // Inputs of one tick go to the disk in one write, right after the caller's synchronous work.
    this.queueFlush ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.flushQueueWrites());
  }

  private async flushQueueWrites(): Promise<void> {
    const ops = this.queueWrites;
    this.queueWrites = [];
    this.queueFlush = null;
    try {
      await this.store.batch(ops);
    } catch (e) {
      this.logger.error({err: e, inputs: ops.length}, "slasher: cannot persist queued inputs");
    }
  }

  // ---- batch ----

  /**
   * Processes every queued input. `currentEpoch` bounds what is accepted (targets up to the next
   * epoch) and drives pruning. Never runs concurrently with itself (the caller awaits it).
   */
  async processBatch(currentEpoch: number): Promise<BatchResult> {
    const started = performance.now();
    if (this.queueFlush !== null) await this.queueFlush;
    const batchNo = ++this.batches;
    if (this.startEpoch < 0) await this.recordStart(currentEpoch);
    const pruneFloor = Math.max(0, currentEpoch - this.historyEpochs + 1, this.prunedBelow);
    const floor = Math.max(pruneFloor, this.startEpoch);
    const inputs = this.pending;
    this.pending = [];
    const result: BatchResult = {
      attesterSlashings: [],
      proposerSlashings: [],
      detections: [],
      attestations: 0,
      headers: 0,
      validatorVotes: 0,
      dropped: 0,
      checkpointed: false,
      ms: 0,
    };
    const atts: IndexedAttestation[] = [];
    const proposals: StoreOp[] = [];
    const proposalsInBatch = new Map<string, SignedBeaconBlockHeader>();
    for (const input of inputs) {
      this.processedSinceCheckpoint.push(key(Prefix.queue, ["u64", input.seq]));
      if (input.kind === INPUT_HEADER) {
        result.headers++;
        await this.checkProposal(input.header, pruneFloor, proposals, proposalsInBatch, result);
        continue;
      }
      const {source, target} = input.att.data;
      if (target.epoch > currentEpoch + 1 || target.epoch < pruneFloor || source.epoch > target.epoch) {
        result.dropped++;
        continue;
      }
      atts.push(input.att);
    }

    await this.prefetch(atts);
    let sliceStart = performance.now();
    for (const att of atts) {
      result.attestations++;
      result.validatorVotes += att.attesting_indices.length;
      await this.checkAttestation(att, floor, batchNo, result);
      // A large batch gives the event loop back every few milliseconds, so a block import or an
      // API request that arrives meanwhile waits for one slice, not for the whole batch.
      if (performance.now() - sliceStart > SLICE_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }

    const slashingOps = await this.newSlashingOps(result, currentEpoch);
    await this.store.batch([...proposals, ...slashingOps]);

    this.batchesSinceCheckpoint++;
    if (this.batchesSinceCheckpoint >= this.checkpointBatches) {
      await this.checkpoint(pruneFloor);
      result.checkpointed = true;
    }
    result.ms = performance.now() - started;
    return result;
  }

  /**
   * A slasher started long after genesis would otherwise walk every validator's first vote down
   * through the whole history; it watches from START_MARGIN_EPOCHS before its start instead
   * (a surround vote whose source is older than that is missed, the price of a late start).
   */
  private async recordStart(currentEpoch: number): Promise<void> {
    this.startEpoch = Math.max(0, currentEpoch - START_MARGIN_EPOCHS);
    await this.store.batch([{type: "put", key: metaKey(META_START), value: u32Bytes(this.startEpoch)}]);
  }

  /** Writes the changed chunks, records and attestations and forgets the inputs they cover, atomically; then prunes. */
  async checkpoint(floor?: number): Promise<void> {
    if (this.queueFlush !== null) await this.queueFlush;
    const {ops, chunks} = this.cache.takeDirty();
    for (const [epoch, e] of this.epochs) {
      for (const [n, bytes] of e.unwritten) ops.push({type: "put", key: key(Prefix.attestation, ["u32", epoch], ["u32", n]), value: bytes});
      if (e.countDirty) ops.push({type: "put", key: key(Prefix.attestationCount, ["u32", epoch]), value: u32Bytes(e.next)});
    }
    for (const k of this.processedSinceCheckpoint) ops.push({type: "del", key: k});
    await this.store.batch(ops);
    for (const c of chunks) c.dirty = false;
    for (const e of this.epochs.values()) {
      e.unwritten.clear();
      // Written evidence is read back only for a detection; the roots stay for the double-vote checks.
      e.atts.clear();
      e.countDirty = false;
    }
    this.processedSinceCheckpoint = [];
    this.batchesSinceCheckpoint = 0;
    if (floor !== undefined && floor > this.prunedBelow) await this.prune(floor);
    this.cache.evict(this.cacheBytes);
    // Evidence of epochs no batch touched lately is read back from the store when needed.
    for (const [epoch, e] of this.epochs) if (e.used < this.batches - 2 * this.checkpointBatches) this.epochs.delete(epoch);
    this.rootStrings = new Map();
  }

  /** Deletes everything about epochs before `floor` (the history kept is [floor, current]). */
  private async prune(floor: number): Promise<void> {
    const K = this.epochChunkSize;
    const floorChunk = Math.floor(floor / K);
    await this.store.clear(...rangeOf(prefixRange(Prefix.minSpan, ["u32", floorChunk])));
    await this.store.clear(...rangeOf(prefixRange(Prefix.maxSpan, ["u32", floorChunk])));
    await this.store.clear(...rangeOf(prefixRange(Prefix.attester, ["u32", floor])));
    await this.store.clear(...rangeOf(prefixRange(Prefix.attestation, ["u32", floor])));
    await this.store.clear(...rangeOf(prefixRange(Prefix.attestationCount, ["u32", floor])));
    await this.store.clear(...rangeOf(prefixRange(Prefix.proposal, ["u64", floor * SLOTS_PER_EPOCH])));
    await this.store.clear(...rangeOf(prefixRange(Prefix.slashing, ["u64", floor])));
    await this.store.batch([{type: "put", key: metaKey(META_PRUNED), value: u32Bytes(floor)}]);
    this.cache.dropWhere((id) => {
      const kind = id % 4;
      const major = Math.floor(id / 4 / MAX_VALIDATOR_CHUNKS);
      return kind === KIND_ATTESTER ? major < floor : major < floorChunk;
    });
    for (const epoch of this.epochs.keys()) if (epoch < floor) this.epochs.delete(epoch);
    this.prunedBelow = floor;
  }

  /** Every slashing found and kept (the history's), to hand to the chain again after a restart. */
  async storedSlashings(): Promise<{attester: AttesterSlashing[]; proposer: ProposerSlashing[]}> {
    const out = {attester: [] as AttesterSlashing[], proposer: [] as ProposerSlashing[]};
    const {gte, lt} = prefixRange(Prefix.slashing);
    for await (const [, v] of this.store.entries(gte, lt)) {
      try {
        if (v[0] === SLASHING_ATTESTER) out.attester.push(ssz.AttesterSlashing.deserialize(v.subarray(1)));
        else if (v[0] === SLASHING_PROPOSER) out.proposer.push(ssz.ProposerSlashing.deserialize(v.subarray(1)));
      } catch (e) {
        this.logger.warn({err: (e as Error).message}, "slasher: unreadable stored slashing skipped");
      }
    }
    return out;
  }

  /** Checkpoints what is in memory (a clean stop replays nothing) and closes the store. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.queueFlush !== null) await this.queueFlush;
    await this.checkpoint();
    await this.store.close();
  }

  // ---- proposals ----

  private async checkProposal(
    header: SignedBeaconBlockHeader,
    pruneFloor: number,
    ops: StoreOp[],
    inBatch: Map<string, SignedBeaconBlockHeader>,
    result: BatchResult
  ): Promise<void> {
    const {slot, proposer_index: proposer} = header.message;
    if (Math.floor(slot / SLOTS_PER_EPOCH) < pruneFloor || proposer >= 2 ** 32) {
      result.dropped++;
      return;
    }
    const k = key(Prefix.proposal, ["u64", slot], ["u32", proposer]);
    const id = toHex(k);
    let existing = inBatch.get(id);
    if (existing === undefined) {
      const bytes = await this.store.get(k);
      if (bytes !== undefined) existing = ssz.SignedBeaconBlockHeader.deserialize(bytes);
    }
    if (existing === undefined) {
      inBatch.set(id, header);
      ops.push({type: "put", key: k, value: ssz.SignedBeaconBlockHeader.serialize(header)});
      return;
    }
    const root1 = ssz.BeaconBlockHeader.hashTreeRoot(existing.message);
    const root2 = ssz.BeaconBlockHeader.hashTreeRoot(header.message);
    if (toHex(root1) === toHex(root2)) return;
    // The same second header twice in a batch (refused on gossip, then imported from sync): one detection.
    const pair = `${id}:${toHex(root2)}`;
    if (inBatch.has(pair)) return;
    inBatch.set(pair, header);
    result.proposerSlashings.push({signed_header_1: existing, signed_header_2: header});
    result.detections.push({kind: "proposer_double_vote", validator: proposer, slot, root1, root2});
  }

  // ---- attestations ----

  /** One string per distinct data root: thousands of single votes share a committee's data. */
  private intern(root: string): string {
    const known = this.rootStrings.get(root);
    if (known !== undefined) return known;
    this.rootStrings.set(root, root);
    return root;
  }

  private epochOf(target: number, batchNo: number): EpochAttestations {
    let e = this.epochs.get(target);
    if (e === undefined) {
      e = {next: -1, roots: new Map(), atts: new Map(), unwritten: new Map(), countDirty: false, used: batchNo};
      this.epochs.set(target, e);
    }
    e.used = batchNo;
    return e;
  }

  /** Loads, in one read each, the chunks and counters the batch's attestations will need first. */
  private async prefetch(atts: IndexedAttestation[]): Promise<void> {
    const K = this.epochChunkSize;
    const C = this.validatorChunkSize;
    const wanted = new Map<number, {kind: number; major: number; vchunk: number}>();
    const want = (kind: number, major: number, vchunk: number): void => {
      const id = chunkId(kind, major, vchunk);
      if (!this.cache.has(id) && !wanted.has(id)) wanted.set(id, {kind, major, vchunk});
    };
    const counters = new Set<number>();
    for (const att of atts) {
      const s = att.data.source.epoch;
      const t = att.data.target.epoch;
      if ((this.epochs.get(t)?.next ?? -1) < 0) counters.add(t);
      let lastVchunk = -1;
      for (const v of att.attesting_indices) {
        const vchunk = Math.floor(v / C);
        if (vchunk === lastVchunk) continue;
        lastVchunk = vchunk;
        want(KIND_ATTESTER, t, vchunk);
        want(KIND_MIN, Math.floor(s / K), vchunk);
        if (s > 0) want(KIND_MIN, Math.floor((s - 1) / K), vchunk);
        want(KIND_MAX, Math.floor(s / K), vchunk);
      }
    }
    const entries = [...wanted.entries()];
    const keys = entries.map(([, w]) => this.chunkKey(w.kind, w.major, w.vchunk));
    const values = await this.store.getMany(keys);
    entries.forEach(([id, w], i) => this.cache.add(id, this.makeChunk(w.kind, keys[i], values[i])));
    const epochs = [...counters];
    const counts = await this.store.getMany(epochs.map((t) => key(Prefix.attestationCount, ["u32", t])));
    epochs.forEach((t, i) => {
      const e = this.epochOf(t, this.batches);
      if (e.next < 0) e.next = counts[i] === undefined ? 0 : readU32(counts[i]!, 0);
    });
  }

  private chunkKey(kind: number, major: number, vchunk: number): Uint8Array {
    const prefix = kind === KIND_MIN ? Prefix.minSpan : kind === KIND_MAX ? Prefix.maxSpan : Prefix.attester;
    return key(prefix, ["u32", major], ["u32", vchunk]);
  }

  private makeChunk(kind: number, k: Uint8Array, stored: Uint8Array | undefined): Chunk {
    const C = this.validatorChunkSize;
    const length = kind === KIND_ATTESTER ? C : C * this.epochChunkSize;
    const bytesPer = kind === KIND_ATTESTER ? 4 : 2;
    const buf = new ArrayBuffer(length * bytesPer);
    if (stored !== undefined && stored.length === length * bytesPer) new Uint8Array(buf).set(stored);
    else if (stored !== undefined) this.logger.warn({key: toHex(k), bytes: stored.length}, "slasher: chunk of the wrong size reset");
    const data = kind === KIND_ATTESTER ? new Uint32Array(buf) : new Uint16Array(buf);
    if (stored === undefined && kind === KIND_MIN) data.fill(MIN_NONE);
    return {key: k, data, dirty: false, used: this.batches};
  }

  /** The chunk if cached (the common case, without a promise per access). */
  private cached(kind: number, major: number, vchunk: number): Chunk | undefined {
    const c = this.cache.get(chunkId(kind, major, vchunk));
    if (c !== undefined) c.used = this.batches;
    return c;
  }

  private async chunk(kind: number, major: number, vchunk: number): Promise<Chunk> {
    const id = chunkId(kind, major, vchunk);
    let c = this.cache.get(id);
    if (c === undefined) {
      const k = this.chunkKey(kind, major, vchunk);
      c = this.makeChunk(kind, k, await this.store.get(k));
      this.cache.add(id, c);
    }
    c.used = this.batches;
    return c;
  }

  private async attestationCount(e: EpochAttestations, target: number): Promise<void> {
    if (e.next >= 0) return;
    const stored = await this.store.get(key(Prefix.attestationCount, ["u32", target]));
    if (e.next < 0) e.next = stored === undefined ? 0 : readU32(stored, 0);
  }

  /** The evidence stored as attestation `n` of `target`, with its data root; null if pruned or unreadable. */
  private async storedAttestation(target: number, n: number, batchNo: number): Promise<{att: IndexedAttestation; root: string} | null> {
    const e = this.epochOf(target, batchNo);
    let att = e.atts.get(n);
    if (att === undefined) {
      const bytes = e.unwritten.get(n) ?? (await this.store.get(key(Prefix.attestation, ["u32", target], ["u32", n])));
      if (bytes === undefined) return null;
      try {
        att = decodeIndexedAttestation(bytes);
      } catch (err) {
        this.logger.warn({target, n, err: (err as Error).message}, "slasher: unreadable attestation record");
        return null;
      }
      e.atts.set(n, att);
    }
    let root = e.roots.get(n);
    if (root === undefined) {
      root = toHex(ssz.AttestationData.hashTreeRoot(att.data));
      e.roots.set(n, this.intern(root));
    }
    return {att, root};
  }

  private async checkAttestation(att: IndexedAttestation, floor: number, batchNo: number, result: BatchResult): Promise<void> {
    const s = att.data.source.epoch;
    const t = att.data.target.epoch;
    const C = this.validatorChunkSize;
    const K = this.epochChunkSize;
    const rootBytes = ssz.AttestationData.hashTreeRoot(att.data);
    const root = toHex(rootBytes);
    const e = this.epochOf(t, batchNo);
    await this.attestationCount(e, t);
    /** This attestation's number once it proves new for some validator. */
    let n = -1;
    const slashed = new Set<number>();

    for (const v of att.attesting_indices) {
      const vchunk = Math.floor(v / C);
      const vi = v - vchunk * C;
      const records = (this.cached(KIND_ATTESTER, t, vchunk) ?? (await this.chunk(KIND_ATTESTER, t, vchunk))).data;
      const recorded = records[vi];
      if (recorded !== 0) {
        // The usual case, the same vote again (in an aggregate, a block): decided by the root alone.
        if (e.roots.get(recorded - 1) === root) continue;
        const prior = await this.storedAttestation(t, recorded - 1, batchNo);
        if (prior === null || prior.root === root) continue;
        this.reportAttester(prior.att, att, v, "attester_double_vote", fromHex(prior.root), rootBytes, result, slashed);
        continue;
      }

      // Surround checks before this vote enters the spans (maintained from `floor` on only).
      if (s >= floor) await this.checkSurround(att, v, vchunk, vi, rootBytes, batchNo, result, slashed);

      // minTarget[e] = min(minTarget[e], t) for e < s, down to the history's floor; stops where it already holds.
      for (let ep = s - 1; ep >= floor; ep--) {
        const c = this.cached(KIND_MIN, Math.floor(ep / K), vchunk) ?? (await this.chunk(KIND_MIN, Math.floor(ep / K), vchunk));
        const i = vi * K + (ep % K);
        const d = c.data[i];
        if (d !== MIN_NONE && ep + d <= t) break;
        c.data[i] = t - ep;
        c.dirty = true;
      }
      // maxTarget[e] = max(maxTarget[e], t) for s < e < t; stops where it already holds.
      for (let ep = Math.max(s + 1, floor); ep < t; ep++) {
        const c = this.cached(KIND_MAX, Math.floor(ep / K), vchunk) ?? (await this.chunk(KIND_MAX, Math.floor(ep / K), vchunk));
        const i = vi * K + (ep % K);
        const d = c.data[i];
        if (d !== 0 && ep + d >= t) break;
        c.data[i] = t - ep;
        c.dirty = true;
      }

      if (n < 0) {
        n = e.next++;
        e.countDirty = true;
        e.unwritten.set(n, encodeIndexedAttestation(att));
        e.atts.set(n, att);
        e.roots.set(n, this.intern(root));
      }
      const rc = this.cached(KIND_ATTESTER, t, vchunk) ?? (await this.chunk(KIND_ATTESTER, t, vchunk));
      rc.data[vi] = n + 1;
      rc.dirty = true;
    }
  }

  private async checkSurround(
    att: IndexedAttestation,
    v: number,
    vchunk: number,
    vi: number,
    rootBytes: Uint8Array,
    batchNo: number,
    result: BatchResult,
    slashed: Set<number>
  ): Promise<void> {
    const s = att.data.source.epoch;
    const t = att.data.target.epoch;
    const K = this.epochChunkSize;
    const minChunk = this.cached(KIND_MIN, Math.floor(s / K), vchunk) ?? (await this.chunk(KIND_MIN, Math.floor(s / K), vchunk));
    const minDist = minChunk.data[vi * K + (s % K)];
    if (minDist !== MIN_NONE && s + minDist < t) {
      const other = await this.recordedAt(s + minDist, v, batchNo);
      if (other !== null && surrounds(att, other.att)) this.reportAttester(att, other.att, v, "surrounds_existing", rootBytes, fromHex(other.root), result, slashed);
    }
    const maxChunk = this.cached(KIND_MAX, Math.floor(s / K), vchunk) ?? (await this.chunk(KIND_MAX, Math.floor(s / K), vchunk));
    const maxDist = maxChunk.data[vi * K + (s % K)];
    if (maxDist !== 0 && s + maxDist > t) {
      const other = await this.recordedAt(s + maxDist, v, batchNo);
      if (other !== null && surrounds(other.att, att)) this.reportAttester(other.att, att, v, "surrounded_by_existing", fromHex(other.root), rootBytes, result, slashed);
    }
  }

  private async recordedAt(target: number, v: number, batchNo: number): Promise<{att: IndexedAttestation; root: string} | null> {
    const C = this.validatorChunkSize;
    const vchunk = Math.floor(v / C);
    const recorded = (this.cached(KIND_ATTESTER, target, vchunk) ?? (await this.chunk(KIND_ATTESTER, target, vchunk))).data[v - vchunk * C];
    if (recorded === 0) return null;
    return this.storedAttestation(target, recorded - 1, batchNo);
  }

  /**
   * One slashing per pair of attestations: a second validator caught by the same pair is
   * already in the first slashing's intersection.
   */
  private reportAttester(
    att1: IndexedAttestation,
    att2: IndexedAttestation,
    validator: number,
    kind: "attester_double_vote" | "surrounds_existing" | "surrounded_by_existing",
    root1: Uint8Array,
    root2: Uint8Array,
    result: BatchResult,
    slashedByThis: Set<number>
  ): void {
    result.detections.push({kind, validator, root1, root2});
    if (slashedByThis.has(validator)) return;
    const slashing: AttesterSlashing = {attestation_1: att1, attestation_2: att2};
    const pair = new Set(att2.attesting_indices);
    for (const i of att1.attesting_indices) if (pair.has(i)) slashedByThis.add(i);
    const id = toHex(ssz.AttesterSlashing.hashTreeRoot(slashing));
    if (result.attesterSlashings.some((s) => toHex(ssz.AttesterSlashing.hashTreeRoot(s)) === id)) return;
    result.attesterSlashings.push(slashing);
  }

  /** Persist-once: slashings already stored (the same evidence again) are taken out of the result. */
  private async newSlashingOps(result: BatchResult, currentEpoch: number): Promise<StoreOp[]> {
    const ops: StoreOp[] = [];
    const keep = async <T>(list: T[], kind: number, bytesOf: (s: T) => Uint8Array, epochOf: (s: T) => number): Promise<T[]> => {
      const fresh: T[] = [];
      for (const s of list) {
        const ssz_ = bytesOf(s);
        const k = key(Prefix.slashing, ["u64", epochOf(s)], digest(ssz_));
        if ((await this.store.get(k)) !== undefined) continue;
        const value = new Uint8Array(ssz_.length + 1);
        value[0] = kind;
        value.set(ssz_, 1);
        ops.push({type: "put", key: k, value});
        fresh.push(s);
      }
      return fresh;
    };
    result.proposerSlashings = await keep(
      result.proposerSlashings,
      SLASHING_PROPOSER,
      (s) => ssz.ProposerSlashing.serialize(s),
      (s) => Math.min(currentEpoch, Math.floor(s.signed_header_2.message.slot / SLOTS_PER_EPOCH))
    );
    result.attesterSlashings = await keep(
      result.attesterSlashings,
      SLASHING_ATTESTER,
      (s) => ssz.AttesterSlashing.serialize(s),
      (s) => Math.min(currentEpoch, Math.max(s.attestation_1.data.target.epoch, s.attestation_2.data.target.epoch))
    );
    return ops;
  }
}

function chunkId(kind: number, major: number, vchunk: number): number {
  return (major * MAX_VALIDATOR_CHUNKS + vchunk) * 4 + kind;
}

function u32Bytes(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value);
  return out;
}

function rangeOf(r: {gte: Uint8Array; lt: Uint8Array}): [Uint8Array, Uint8Array] {
  return [r.gte, r.lt];
}

/** phase0 is_slashable_attestation_data's surround half: a.source < b.source and b.target < a.target. */
function surrounds(a: IndexedAttestation, b: IndexedAttestation): boolean {
  return a.data.source.epoch < b.data.source.epoch && b.data.target.epoch < a.data.target.epoch;
}

/** Sorted, unique, non-empty indices within the chunk-id range; epochs that fit 32 bits. */
function isWellFormed(att: IndexedAttestation, maxValidators: number): boolean {
  const idx = att.attesting_indices;
  if (idx.length === 0) return false;
  for (let i = 0; i < idx.length; i++) {
    if (!Number.isInteger(idx[i]) || idx[i] < 0 || idx[i] >= maxValidators) return false;
    if (i > 0 && idx[i] <= idx[i - 1]) return false;
  }
  return att.data.target.epoch < 2 ** 32 && att.data.source.epoch < 2 ** 32;
}
