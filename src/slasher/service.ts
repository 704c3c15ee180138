/**
 * The slasher as a node runs it: its own database under the data dir and (for a node) its own
 * thread, inputs queued as the chain validates them, one batch per slot (never two at once,
 * never as a job of the chain's processor: a block import never waits for it), and every slashing
 * found handed to a sink (the chain's pool submission, a short job on the processor's chain
 * lane, which verifies it like any other) and
 * logged. Slashings found before a restart are handed over again at start; the pool and the
 * state refuse what is already done.
 */
import type {AttesterSlashing, IndexedAttestation, ProposerSlashing, SignedBeaconBlockHeader} from "../types/index.ts";
import {SLOTS_PER_EPOCH, type PresetName} from "../params/index.ts";
import {toHex} from "../util/bytes.ts";
import {GnomonError} from "../util/errors.ts";
import type {Logger} from "../util/logger.ts";
import {Slasher, type BatchResult} from "./slasher.ts";
import {LevelSlasherStore, type SlasherStore} from "./store.ts";
import {WorkerSlasher, type SlasherBackend} from "./workerClient.ts";

export interface SlashingSink {
  submitAttesterSlashing(slashing: AttesterSlashing): Promise<void>;
  submitProposerSlashing(slashing: ProposerSlashing): Promise<void>;
}

export interface SlasherServiceOptions {
  /** The slasher's database directory. */
  dir: string;
  historyEpochs: number;
  /** Slots between batches (default 1). */
  batchSlots?: number;
  sink: SlashingSink;
  logger: Logger;
  /** Run the slasher on its own thread, which selects this network (the node's); absent: on the calling thread. */
  thread?: {preset: PresetName; configOverrides: Record<string, string>};
  /** On the calling thread, keep the slasher's data here instead of a level database in `dir`. */
  store?: SlasherStore;
}

export class SlasherService {
  readonly slasher: SlasherBackend;
  private readonly sink: SlashingSink;
  private readonly logger: Logger;
  private readonly batchSlots: number;
  private running: Promise<void> | null = null;
  private stopped = false;

  private constructor(slasher: SlasherBackend, opts: SlasherServiceOptions) {
    this.slasher = slasher;
    this.sink = opts.sink;
    this.logger = opts.logger;
    this.batchSlots = Math.max(1, opts.batchSlots ?? 1);
  }

  static async start(opts: SlasherServiceOptions): Promise<SlasherService> {
    let slasher: SlasherBackend;
    if (opts.thread !== undefined) {
      slasher = await WorkerSlasher.start({dir: opts.dir, historyEpochs: opts.historyEpochs, ...opts.thread}, opts.logger);
    } else {
      const store = opts.store ?? (await LevelSlasherStore.open(opts.dir));
      slasher = await Slasher.openOn(store, {historyEpochs: opts.historyEpochs, logger: opts.logger});
    }
    const service = new SlasherService(slasher, opts);
    const stored = await slasher.storedSlashings();
    for (const s of stored.proposer) await service.submit("proposer", s);
    for (const s of stored.attester) await service.submit("attester", s);
    opts.logger.info(
      {historyEpochs: opts.historyEpochs, thread: opts.thread !== undefined, storedSlashings: stored.proposer.length + stored.attester.length},
      "slasher started"
    );
    return service;
  }

  // ---- SlasherInput (the chain calls these synchronously) ----

  onValidatedAttestation(attestation: IndexedAttestation): void {
    this.slasher.onAttestation(attestation);
  }

  onValidatedBlockHeader(header: SignedBeaconBlockHeader): void {
    this.slasher.onBlockHeader(header);
  }

  /** The clock's slot hook: a batch every `batchSlots` slots, skipped while the previous one still runs. */
  onSlot(slot: number): void {
    if (this.stopped || this.running !== null || slot % this.batchSlots !== 0) return;
    this.running = this.runBatch(Math.floor(slot / SLOTS_PER_EPOCH)).finally(() => {
      this.running = null;
    });
  }

  private async runBatch(epoch: number): Promise<void> {
    let result: BatchResult;
    try {
      result = await this.slasher.processBatch(epoch);
    } catch (e) {
      this.logger.error({err: e, epoch}, "slasher batch failed");
      return;
    }
    for (const d of result.detections) {
      this.logger.warn(
        {validator: d.validator, kind: d.kind, root1: toHex(d.root1), root2: toHex(d.root2), ...("slot" in d ? {slot: d.slot} : {})},
        "slasher: slashable offence detected"
      );
    }
    for (const s of result.proposerSlashings) await this.submit("proposer", s);
    for (const s of result.attesterSlashings) await this.submit("attester", s);
    if (result.attestations + result.headers > 0) {
      this.logger.debug(
        {attestations: result.attestations, headers: result.headers, validatorVotes: result.validatorVotes, dropped: result.dropped, ms: Math.round(result.ms), checkpointed: result.checkpointed},
        "slasher batch"
      );
    }
  }

  private async submit(kind: "proposer", s: ProposerSlashing): Promise<void>;
  private async submit(kind: "attester", s: AttesterSlashing): Promise<void>;
  private async submit(kind: "proposer" | "attester", s: ProposerSlashing | AttesterSlashing): Promise<void> {
    try {
      if (kind === "proposer") await this.sink.submitProposerSlashing(s as ProposerSlashing);
      else await this.sink.submitAttesterSlashing(s as AttesterSlashing);
      this.logger.info({kind}, "slasher: slashing submitted to the pool");
    } catch (e) {
      // Already pooled, already on chain (the validator is slashed), or no longer slashable.
      if (!(e instanceof GnomonError)) throw e;
      this.logger.debug({kind, code: e.code, reason: e.message}, "slasher: slashing not pooled");
    }
  }

  /** Resolves once no batch is running (a run on virtual time moves on only then). */
  async settled(): Promise<void> {
    while (this.running !== null) await this.running;
  }

  /** Waits for the batch in progress, then checkpoints and closes the database. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.running !== null) await this.running;
    await this.slasher.close();
  }
}
