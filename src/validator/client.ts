/**
 * The validator client: keys, slashing protection, and the duty services, driven by the slot
 * clock and fed by the node's head events, talking to the node only over the standard REST API.
 * `startValidatorClient` is the programmatic entry; `gnomon validator` and `gnomon dev` use it.
 */
import {join} from "node:path";
import type {TimeSource} from "../clock/index.ts";
import {SlotClock, sleep, systemTime} from "../clock/index.ts";
import {SLOTS_PER_EPOCH, type ChainConfig} from "../params/index.ts";
import {toHex} from "../util/bytes.ts";
import {errorMessage, InputError} from "../util/errors.ts";
import {silentLogger, type Logger} from "../util/logger.ts";
import {BeaconApiClient} from "./api/client.ts";
import {runHeadEventStream} from "./api/eventStream.ts";
import type {Genesis, HeadEvent} from "./api/types.ts";
import {interopKeys, keystoreKeys, type ValidatorKey} from "./keys/validatorKeys.ts";
import {adoptNodeNetwork, assertNodeSpecMatches, nodeChainConfig} from "./nodeSpec.ts";
import {AttestationService} from "./services/attestation.ts";
import {AttesterDutiesService} from "./services/attesterDuties.ts";
import {BlockProposalService} from "./services/blockProposal.ts";
import {ValidatorIndices} from "./services/indices.ts";
import {ProposerDutiesService} from "./services/proposerDuties.ts";
import {DutyStats, type DutyCounts} from "./services/stats.ts";
import {DoppelgangerService} from "./services/doppelganger.ts";
import {describeInactiveKeys, keyStatusReport} from "./services/indices.ts";
import type {ValidatorMetrics} from "../metrics/index.ts";
import {Signer} from "./signing/signer.ts";
import {SigningContext} from "./signing/signingContext.ts";
import {SlashingProtectionStore} from "./slashingProtection/index.ts";
import {GraffitiStore, KeyManager, KeystoreStore, loadOrCreateToken, startKeymanagerServer, type KeymanagerServer} from "./keymanager/index.ts";

export interface ValidatorClientOptions {
  /** The beacon node's REST API, e.g. http://127.0.0.1:5052. */
  beaconUrl: string;
  /** Interop key indices (development). Exactly one of interopIndices, keystores, keys. */
  interopIndices?: number[];
  /** EIP-2335 keystores: every *.json in `dir`, decrypted with the password in `passwordFile`. */
  keystores?: {dir: string; passwordFile: string};
  /** Keys already loaded (e.g. by a caller that decrypted them itself). */
  keys?: ValidatorKey[];
  /** Where the client keeps its slashing-protection database. */
  dataDir: string;
  /** Up to 32 bytes of UTF-8 put into proposed blocks. */
  graffiti?: string;
  logger?: Logger;
  /** Aborting it stops the client (as `stop()` does). */
  signal?: AbortSignal;
  /**
   * Take the node's preset for this process and the node's config (a standalone client).
   * Otherwise the process's preset must match the node's (as in `gnomon dev`, where both share it).
   */
  adoptNodeNetwork?: boolean;
  /** The chain config the client expects its node to run (default: the one the node reports); checked against the node's spec. */
  config?: ChainConfig;
  /** Clock source; tests pass a FakeTime. */
  time?: TimeSource;
  /** Per-request timeout towards the node. */
  requestTimeoutMs?: number;
  /** How often to ask again while the node is unreachable or has no genesis yet. */
  startRetryMs?: number;
  /** Serve the keymanager API on 127.0.0.1:port (0: any free port), token in `tokenFile` (default in the data dir). */
  keymanager?: {port: number; tokenFile?: string};
  /** Prometheus metrics the client keeps up to date (served by the caller). */
  metrics?: ValidatorMetrics;
  /** Sign nothing until the keys were seen not live elsewhere for an epoch; stop if one is. */
  doppelgangerProtection?: boolean;
  /** How requests reach the node (default: the global fetch; the simulator reaches its nodes in process). */
  fetch?: typeof fetch;
  /** Keep slashing protection in memory, not under the data dir: only for a simulation's clients, whose chain ends with the process. */
  slashingProtectionInMemory?: boolean;
}

export interface ValidatorClient {
  readonly pubkeys: Uint8Array[];
  readonly genesis: Genesis;
  /** The keymanager API's base URL, when it is served. */
  readonly keymanagerUrl: string | null;
  /** What the client did since it started. */
  counts(): DutyCounts;
  stop(): Promise<void>;
  /** Resolves when the client has stopped, by stop() or by itself (a doppelganger found). */
  readonly done: Promise<void>;
  /** 0, or 1 when the client stopped itself because a key is live elsewhere. */
  exitCode(): number;
  /**
   * Resolves once no duty is in flight (a run on virtual time advances the clock only then; a
   * duty waiting for a retry delay waits on that clock, so do not await this while it is frozen
   * and a request keeps failing).
   */
  settled(): Promise<void>;
}

/** A beacon node URL is its base (scheme, host, port): the API paths are appended to it. */
export function checkBeaconNodeUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InputError(`--beacon-node must be a URL such as http://127.0.0.1:5052, got "${url}"`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new InputError(`--beacon-node must be an http(s) URL, got "${url}"`);
  if ((u.pathname !== "/" && u.pathname !== "") || u.search !== "" || u.hash !== "") {
    throw new InputError(`--beacon-node must be the node's base URL without a path (${u.origin}), got "${url}": the client adds /eth/v1/... itself`);
  }
  return u.origin;
}

/** The keymanager API token file inside a data dir (unless --keymanager-token-file says otherwise). */
export function keymanagerTokenPath(dataDir: string): string {
  return join(dataDir, "keymanager", "api-token.txt");
}

/** The slashing-protection database inside a data dir. */
export function slashingProtectionPath(dataDir: string): string {
  return join(dataDir, "slashing-protection");
}

export function encodeGraffiti(graffiti: string | undefined): Uint8Array {
  const out = new Uint8Array(32);
  if (graffiti === undefined) return out;
  const bytes = new TextEncoder().encode(graffiti);
  if (bytes.length > 32) throw new InputError(`graffiti is ${bytes.length} bytes of UTF-8; at most 32 fit in a block`);
  out.set(bytes);
  return out;
}

async function loadKeys(opts: ValidatorClientOptions): Promise<ValidatorKey[]> {
  const given = [opts.interopIndices !== undefined, opts.keystores !== undefined, opts.keys !== undefined].filter(Boolean).length;
  // With the keymanager API, keys may come only from imports (now or in an earlier run).
  if (given === 0 && opts.keymanager !== undefined) return [];
  if (given !== 1) throw new InputError("give exactly one source of validator keys: interop indices or keystores");
  if (opts.keys !== undefined) return opts.keys;
  if (opts.interopIndices !== undefined) return interopKeys(opts.interopIndices);
  return keystoreKeys(opts.keystores!.dir, opts.keystores!.passwordFile);
}

/** Genesis from the node, asking again while it is unreachable or does not know genesis yet. */
async function waitForGenesis(api: BeaconApiClient, logger: Logger, signal: AbortSignal, retryMs: number, time: TimeSource): Promise<Genesis> {
  let warned = false;
  for (;;) {
    try {
      const genesis = await api.getGenesis();
      if (genesis !== null) return genesis;
      if (!warned) logger.info("beacon node does not know genesis yet: waiting");
    } catch (e) {
      if (signal.aborted) throw e;
      if (!warned) logger.warn({err: errorMessage(e)}, "beacon node not reachable: waiting");
    }
    warned = true;
    await sleep(time, retryMs, signal);
    if (signal.aborted) throw new InputError("stopped while waiting for the beacon node");
  }
}

export async function startValidatorClient(opts: ValidatorClientOptions): Promise<ValidatorClient> {
  const logger = opts.logger ?? silentLogger;
  checkBeaconNodeUrl(opts.beaconUrl);
  encodeGraffiti(opts.graffiti);
  const given = await loadKeys(opts);
  const keystoreStore = new KeystoreStore(opts.dataDir);
  // A key imported earlier and now also given on the command line is used once, as given.
  const givenHex = new Set(given.map((k) => toHex(k.pubkey)));
  const imported = (await keystoreStore.loadAll()).filter((k) => !givenHex.has(toHex(k.pubkey)));
  const keys = [...given, ...imported];
  if (keys.length === 0 && opts.keymanager === undefined) throw new InputError("no validator keys given");
  const graffitiStore = await GraffitiStore.open(opts.dataDir);

  if (opts.signal?.aborted) throw new InputError("validator client not started: already stopped");
  const controller = new AbortController();
  const onOuterAbort = (): void => controller.abort();
  opts.signal?.addEventListener("abort", onOuterAbort, {once: true});
  const signal = controller.signal;
  const time = opts.time ?? systemTime;
  const api = new BeaconApiClient({baseUrl: opts.beaconUrl, signal, timeoutMs: opts.requestTimeoutMs, time, fetch: opts.fetch});

  let protection: SlashingProtectionStore | null = null;
  try {
    const genesis = await waitForGenesis(api, logger, signal, opts.startRetryMs ?? 2000, time);
    const spec = await api.getSpec();
    const config = opts.adoptNodeNetwork ? adoptNodeNetwork(spec) : (opts.config ?? nodeChainConfig(spec));
    if (!opts.adoptNodeNetwork) assertNodeSpecMatches(config, spec);
    const forkSchedule = await api.getForkSchedule();

    protection = opts.slashingProtectionInMemory === true ? await SlashingProtectionStore.inMemory() : await SlashingProtectionStore.open(slashingProtectionPath(opts.dataDir));
    await protection.bindGenesisValidatorsRoot(genesis.genesisValidatorsRoot);
    const signer = new Signer(keys, protection, new SigningContext(genesis.genesisValidatorsRoot, forkSchedule));
    const graffiti = (pubkey: Uint8Array): Uint8Array => encodeGraffiti(graffitiStore.get(pubkey) ?? opts.graffiti);
    const clock = new SlotClock({
      genesisTime: genesis.genesisTime,
      slotDurationMs: config.SLOT_DURATION_MS,
      slotsPerEpoch: SLOTS_PER_EPOCH,
      attestationDueBps: config.ATTESTATION_DUE_BPS,
      aggregateDueBps: config.AGGREGATE_DUE_BPS,
      time,
    });
    const client = new RunningValidatorClient({
      api,
      signer,
      protection,
      clock,
      genesis,
      graffiti,
      logger,
      controller,
      outerSignal: opts.signal,
      onOuterAbort,
      metrics: opts.metrics,
      doppelgangerProtection: opts.doppelgangerProtection === true,
      fetch: opts.fetch,
    });
    await client.start();
    if (opts.keymanager !== undefined) {
      const keyManager = new KeyManager({
        signer,
        protection,
        genesisValidatorsRoot: genesis.genesisValidatorsRoot,
        keystores: keystoreStore,
        graffiti: graffitiStore,
        defaultGraffiti: opts.graffiti ?? "",
        readonlyKeys: given,
        paths: new Map(imported.filter((k) => k.path !== "").map((k) => [toHex(k.pubkey), k.path])),
        onKeyAdded: (pk) => client.onKeyAdded(pk),
        onKeyRemoved: (pk) => client.onKeyRemoved(pk),
        validatorIndex: async (pk) => (await api.getValidatorsByPubkey([pk]))[0]?.index ?? null,
        currentEpoch: () => clock.currentEpoch,
      });
      const token = await loadOrCreateToken(opts.keymanager.tokenFile ?? keymanagerTokenPath(opts.dataDir));
      const server = await startKeymanagerServer(keyManager, {port: opts.keymanager.port, token, logger: logger.child({service: "keymanager"})});
      client.attachKeymanager(server);
      logger.info({tokenFile: opts.keymanager.tokenFile ?? keymanagerTokenPath(opts.dataDir)}, `keymanager API listening at ${server.url}`);
    }
    logger.info(
      {validators: keys.length, beaconUrl: api.baseUrl, genesisValidatorsRoot: toHex(genesis.genesisValidatorsRoot), dataDir: opts.dataDir},
      "validator client started"
    );
    return client;
  } catch (e) {
    opts.signal?.removeEventListener("abort", onOuterAbort);
    controller.abort();
    await protection?.close();
    throw e;
  }
}

interface Parts {
  api: BeaconApiClient;
  signer: Signer;
  protection: SlashingProtectionStore;
  clock: SlotClock;
  genesis: Genesis;
  /** The graffiti of a block proposed by this key (per-key graffiti from the keymanager API). */
  graffiti: (pubkey: Uint8Array) => Uint8Array;
  logger: Logger;
  controller: AbortController;
  outerSignal: AbortSignal | undefined;
  onOuterAbort: () => void;
  metrics: ValidatorMetrics | undefined;
  doppelgangerProtection: boolean;
  fetch: typeof fetch | undefined;
}

class RunningValidatorClient implements ValidatorClient {
  readonly genesis: Genesis;
  private readonly p: Parts;
  private readonly stats = new DutyStats();
  private readonly indices: ValidatorIndices;
  private readonly proposerDuties: ProposerDutiesService;
  private readonly attesterDuties: AttesterDutiesService;
  private readonly proposals: BlockProposalService;
  private readonly attestations: AttestationService;
  private readonly tasks = new Set<Promise<unknown>>();
  private eventStream: Promise<void> | null = null;
  /** null until the first answer: unknown counts as synced, so a flaky endpoint cannot stop duties. */
  private nodeSyncing: boolean | null = null;
  private stopping: Promise<void> | null = null;
  private keymanager: KeymanagerServer | null = null;
  private doppelganger: DoppelgangerService | null = null;
  private code = 0;
  private resolveDone!: () => void;
  readonly done = new Promise<void>((resolve) => {
    this.resolveDone = resolve;
  });

  constructor(p: Parts) {
    this.p = p;
    this.genesis = p.genesis;
    if (p.metrics !== undefined) this.stats.onAdd = metricsSink(p.metrics);
    const log = (module: string): Logger => p.logger.child({service: module});
    this.indices = new ValidatorIndices(p.api, () => p.signer.pubkeys(), log("indices"));
    this.proposerDuties = new ProposerDutiesService(p.api, p.signer, log("proposer"));
    this.attesterDuties = new AttesterDutiesService({
      api: p.api,
      signer: p.signer,
      indices: this.indices,
      logger: log("attester"),
      currentSlot: () => p.clock.currentSlot,
    });
    this.proposals = new BlockProposalService({
      api: p.api,
      signer: p.signer,
      duties: this.proposerDuties,
      graffiti: p.graffiti,
      stats: this.stats,
      logger: log("proposer"),
    });
    this.attestations = new AttestationService({api: p.api, signer: p.signer, duties: this.attesterDuties, stats: this.stats, logger: log("attester")});
    p.outerSignal?.addEventListener("abort", () => void this.stop(), {once: true});
  }

  get pubkeys(): Uint8Array[] {
    return this.p.signer.pubkeys();
  }

  get keymanagerUrl(): string | null {
    return this.keymanager?.url ?? null;
  }

  attachKeymanager(server: KeymanagerServer): void {
    this.keymanager = server;
  }

  /** A key imported at run time: find its index now and ask for duties again with it. */
  onKeyAdded(pubkey: Uint8Array): void {
    this.p.logger.info({pubkey: toHex(pubkey)}, "validator key added");
    this.spawn("indices", async () => {
      await this.indices.refresh();
      this.refetchDuties();
    });
  }

  /** A key deleted at run time: its duties go with it. */
  onKeyRemoved(pubkey: Uint8Array): void {
    this.p.logger.info({pubkey: toHex(pubkey)}, "validator key removed");
    this.indices.forget(pubkey);
    this.refetchDuties();
  }

  private refetchDuties(): void {
    this.proposerDuties.cache.clear();
    this.attesterDuties.cache.clear();
    if (!this.p.clock.isBeforeGenesis()) this.prefetch(this.p.clock.currentEpoch);
  }

  counts(): DutyCounts {
    return {...this.stats.total};
  }

  exitCode(): number {
    return this.code;
  }

  async settled(): Promise<void> {
    // A duty may spawn another (indices then duties), so look again after each round.
    while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
  }

  /** While doppelganger protection watches, nothing is signed. */
  private get signingPaused(): boolean {
    return this.nodeSyncing === true || (this.doppelganger !== null && !this.doppelganger.signingAllowed);
  }

  private async checkDoppelganger(): Promise<void> {
    const d = this.doppelganger;
    if (d === null || d.signingAllowed) return;
    const verdict = await d.check(this.p.clock.currentEpoch);
    if (verdict.state !== "detected") return;
    this.code = 1;
    this.p.logger.error(
      {epoch: verdict.epoch, validators: verdict.indices},
      `doppelganger detected: validator(s) ${verdict.indices.join(", ")} live elsewhere in epoch ${verdict.epoch}; ` +
        "this client signed nothing and stops (another client runs these keys: stop it, or do not run this one)"
    );
    void this.stop();
  }

  async start(): Promise<void> {
    const {clock} = this.p;
    await this.run("indices", () => this.indices.refresh());
    this.reportKeyStatus();
    await this.run("syncing", () => this.checkSyncing());
    const epoch = clock.currentEpoch;
    if (this.p.doppelgangerProtection) {
      this.doppelganger = new DoppelgangerService({
        api: this.p.api,
        indices: () => this.indices.all(),
        startEpoch: epoch,
        logger: this.p.logger.child({service: "doppelganger"}),
      });
      // Before genesis nobody can have signed: there is nothing to watch.
      if (clock.isBeforeGenesis()) this.doppelganger.clearBeforeGenesis();
      else {
        const d = this.doppelganger;
        this.p.logger.info({epochs: `${d.firstEpoch}..${d.lastEpoch}`}, `doppelganger protection: signing nothing until epoch ${d.lastEpoch + 1}`);
      }
      clock.on("slot", () => this.spawn("doppelganger check", () => this.checkDoppelganger()));
    }
    this.prefetch(epoch);

    clock.on("slot", (slot) => this.spawn("block proposal", () => this.onSlot(slot)));
    clock.on("epoch", (e) => this.spawn("epoch", () => this.onEpoch(e)));
    clock.on("attestation", (slot) => this.spawn("attestation", () => this.attestIfReady(slot)));
    clock.on("aggregate", (slot) => this.spawn("aggregation", () => this.aggregateIfReady(slot)));
    this.eventStream = runHeadEventStream({
      baseUrl: this.p.api.baseUrl,
      signal: this.p.controller.signal,
      logger: this.p.logger.child({service: "events"}),
      onHead: (head) => this.onHead(head),
      time: this.p.clock.time,
      fetch: this.p.fetch,
    });
    clock.start();
  }

  private prefetch(epoch: number): void {
    const m = this.p.metrics;
    this.spawn("proposer duties", () => this.proposerDuties.cache.get(epoch).then((d) => m?.proposerDuties.set(d.length)));
    if (m !== undefined) this.spawn("attester duties", () => this.attesterDuties.cache.get(epoch).then((d) => m.attesterDuties.set(d.length)));
    // The current epoch first: its selection proofs are needed now, the next epoch's later.
    this.spawn("attester duties", () =>
      this.attesterDuties.cache
        .get(epoch)
        .catch((e: unknown) => this.p.logger.warn({epoch, err: errorMessage(e)}, "attester duties unavailable (asked again at the duty)"))
        .then(() => this.attesterDuties.cache.get(epoch + 1))
    );
  }

  private async onSlot(slot: number): Promise<void> {
    if (this.signingPaused) return;
    await this.proposals.onSlot(slot);
  }

  private async onEpoch(epoch: number): Promise<void> {
    if (epoch > 0) this.logEpochSummary(epoch - 1);
    await this.checkSyncing();
    const added = await this.indices.refresh().catch((e: unknown) => {
      this.p.logger.warn({err: errorMessage(e)}, "validator index lookup failed");
      return 0;
    });
    this.reportKeyStatus();
    // Newly known indices have duties the cached answers lack.
    if (added > 0) this.attesterDuties.cache.clear();
    this.proposerDuties.cache.prune(epoch);
    this.attesterDuties.cache.prune(epoch);
    this.prefetch(epoch);
  }

  private onHead(head: HeadEvent): void {
    this.proposerDuties.onHead(head);
    this.attesterDuties.onHead(head);
    // The slot's block is here: attest now rather than wait for the attestation deadline.
    const {clock} = this.p;
    if (head.slot === clock.currentSlot && !clock.isBeforeGenesis()) {
      this.spawn("attestation", () => this.attestIfReady(head.slot));
    }
  }

  private async attestIfReady(slot: number): Promise<void> {
    if (this.signingPaused || this.attestations.hasAttested(slot)) return;
    await this.attestations.attest(slot);
  }

  private async aggregateIfReady(slot: number): Promise<void> {
    if (this.signingPaused) return;
    await this.attestations.aggregate(slot);
  }

  private async checkSyncing(): Promise<void> {
    try {
      const s = await this.p.api.getSyncing();
      if (s.isSyncing && this.nodeSyncing !== true) this.p.logger.warn({headSlot: s.headSlot, syncDistance: s.syncDistance}, "beacon node is syncing: duties paused");
      if (!s.isSyncing && this.nodeSyncing === true) this.p.logger.info({headSlot: s.headSlot}, "beacon node synced: duties resumed");
      this.nodeSyncing = s.isSyncing;
    } catch (e) {
      this.p.logger.warn({err: errorMessage(e)}, "sync status unavailable");
    }
  }

  /** Keys that cannot sign are named each epoch: a key without a deposit looks idle otherwise. */
  private reportKeyStatus(): void {
    const report = keyStatusReport(this.indices);
    const m = this.p.metrics;
    if (m !== undefined) {
      m.validators.reset();
      for (const [status, n] of Object.entries(report.byStatus)) m.validators.set({status}, n);
    }
    const line = describeInactiveKeys(report);
    if (line !== null) this.p.logger.warn({inactive: report.inactive.length, ...report.byStatus}, `validator keys that cannot sign: ${line}`);
  }

  private logEpochSummary(epoch: number): void {
    const c = this.stats.takeEpoch();
    const failed = c.blocksFailed + c.attestationsFailed + c.aggregatesFailed;
    const line = {
      epoch,
      blocks: c.blocksProposed,
      attestations: c.attestationsPublished,
      aggregates: c.aggregatesPublished,
      ...(failed > 0 ? {failed, refused: c.refusedBySlashingProtection} : {}),
    };
    if (failed > 0) this.p.logger.warn(line, "epoch duties (some failed)");
    else this.p.logger.info(line, "epoch duties");
  }

  /** Runs a duty in the background; its failure is logged, never thrown into the clock. */
  private spawn(what: string, fn: () => Promise<unknown>): void {
    if (this.stopping !== null) return;
    const task = this.run(what, fn);
    this.tasks.add(task);
    void task.finally(() => this.tasks.delete(task));
  }

  private async run(what: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      if (this.p.controller.signal.aborted) return;
      this.p.logger.error({err: errorMessage(e), code: (e as {code?: string}).code}, `${what} failed`);
    }
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const {clock, controller, protection, outerSignal, onOuterAbort} = this.p;
      await this.keymanager?.close();
      clock.stop();
      clock.removeAllListeners();
      outerSignal?.removeEventListener("abort", onOuterAbort);
      controller.abort();
      // In-flight duties end quickly once their requests are aborted; a signature whose
      // protection record is being written finishes that write before the database closes.
      await Promise.allSettled([...this.tasks]);
      await this.eventStream;
      await protection.close();
      this.p.logger.info(this.stats.total, "validator client stopped");
      this.resolveDone();
    })();
    return this.stopping;
  }
}


/** Duty counts into the metrics: published per duty kind, failures as errors. */
function metricsSink(m: ValidatorMetrics): (key: keyof DutyCounts, n: number) => void {
  return (key, n) => {
    if (key === "blocksProposed") m.published.inc({duty: "block"}, n);
    else if (key === "attestationsPublished") m.published.inc({duty: "attestation"}, n);
    else if (key === "aggregatesPublished") m.published.inc({duty: "aggregate"}, n);
    else if (key === "blocksFailed") m.errors.inc({duty: "block"}, n);
    else if (key === "attestationsFailed") m.errors.inc({duty: "attestation"}, n);
    else if (key === "aggregatesFailed") m.errors.inc({duty: "aggregate"}, n);
    else m.slashingProtectionRefusals.inc(n);
  };
}
