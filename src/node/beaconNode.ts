/**
 * A beacon node: the database under the data dir, the BLS worker pool, the chain (loaded, or
 * created from a genesis state), the libp2p network, the REST API, the clock and the status line.
 * `stop()` closes them in reverse order.
 */
import {existsSync, mkdirSync, rmSync} from "node:fs";
import {join} from "node:path";
import {createApiServer, type ApiServer} from "../api/index.ts";
import {openChain, readStoredNetwork, type BeaconChain} from "../chain/index.ts";
import {systemTime, type TimeSource} from "../clock/index.ts";
import {BlsWorkerPool} from "../crypto/index.ts";
import {BeaconDb, DbError} from "../db/index.ts";
import {pinPreset, useNetwork, type ChainConfig, type PresetName} from "../params/index.ts";
import {ssz, type BeaconStateView} from "../types/index.ts";
import {toHex} from "../util/bytes.ts";
import {GnomonError, InputError} from "../util/errors.ts";
import type {Logger} from "../util/logger.ts";
import type {SlasherService} from "../slasher/index.ts";
import {createInteropGenesisState} from "./genesis/interopGenesis.ts";
import {depositContractDeployBlock, eth1ProviderFor, Eth1Follower, Eth1Store, type Eth1Provider} from "../eth1/index.ts";
import {waitForEth1Genesis} from "./genesis/eth1Genesis.ts";
import {loadOrCreateNodeKey, unnetworkedNode} from "./identity.ts";
import {Network, type NetworkOptions} from "../network/network.ts";
import type {NodeNetwork} from "../network/interface.ts";
import type {AsyncSignatureVerifier} from "../crypto/index.ts";
import {peerIdFromPrivateKey} from "@libp2p/peer-id";
import {resolveNetwork, type NetworkRequest, type ResolvedNetwork} from "./network.ts";
import {startStatusLine} from "./statusLine.ts";
import {checkGenesisMatchesConfig, decodeGenesisState, presetOfState, readGenesisBytes} from "./genesisFile.ts";
import {fetchCheckpointAnchor} from "./checkpointSync.ts";
import {startGenesisWait} from "./genesisWait.ts";
import type {BeaconMetrics, GossipVerdict as GossipVerdictLabel} from "../metrics/index.ts";
import type {GossipAction} from "../chain/gossip/interface.ts";
import type {Checkpoint} from "../types/index.ts";
import {startChainSync, type SyncService} from "../sync/index.ts";
import {startChainBackfill, type Backfill} from "../sync/index.ts";

export type GenesisSource =
  | {type: "file"; path: string}
  /** genesisTime undefined: now (after the state is built) plus `delaySeconds`. */
  | {type: "interop"; validators: number; genesisTime?: number; delaySeconds?: number}
  /** Computed from the deposit contract through the eth1 endpoint (waits until it is reached). */
  | {type: "eth1"}
  /** A state already built (SSZ bytes): the simulator's nodes share one genesis. */
  | {type: "state"; state: Uint8Array};

export interface BeaconNodeOptions {
  dataDir: string;
  network: NetworkRequest;
  defaultPreset: PresetName;
  /** How to make the genesis state when the data dir holds no chain. */
  genesis?: GenesisSource;
  /** The flags that give a genesis, for the error when none was given (default: gnomon beacon's). */
  genesisFlags?: string;
  /**
   * null: no REST server. `listen: false` builds the API without a socket: the simulator's
   * validator clients reach it in process (fastify's inject), so no real I/O enters a run.
   */
  rest: {address: string; port: number; listen?: boolean} | null;
  /** The root logger: the node, chain, API and status line each log through a child of it. */
  logger: Logger;
  time?: TimeSource;
  /** Write the per-slot status line (default true). */
  statusLine?: boolean;
  /** JSON-RPC URL of an execution node: follow the deposit contract, vote eth1 data, include deposits. */
  eth1Endpoint?: string;
  /**
   * Aborting it (SIGINT during start-up) stops the start at the next step, the genesis build
   * between two chunks of deposits, or the wait for genesis from the deposit contract; whatever this start created on disk is removed.
   */
  signal?: AbortSignal;
  /** A new chain starts from another node's finalized block and state instead of genesis. */
  checkpointSync?: {url: string; wss?: Checkpoint};
  /** Prometheus metrics the node keeps up to date (served by the caller). */
  metrics?: BeaconMetrics;
  /** Run the slasher (its database in <dataDir>/slasher) with this many epochs of history. */
  slasher?: {historyEpochs: number; batchSlots?: number};
  /** libp2p networking; null or absent: none. */
  p2p?: NetworkOptions | null;
  /**
   * Another network in libp2p's place (the simulator's): built once the chain is open, it gets
   * the chain's gossip sink and serves sync and the API like libp2p does. Takes precedence over `p2p`.
   */
  createNetwork?: (chain: BeaconChain, logger: Logger) => Promise<NodeNetwork>;
  /** Storage to run on instead of the level database under the data dir (the simulator's in-memory one); nothing is written to disk. */
  db?: BeaconDb;
  /** Verifies signatures instead of a BLS worker pool (the simulator verifies on its own thread, for determinism). */
  blsVerifier?: AsyncSignatureVerifier;
}

export class NodeError extends GnomonError {}

/** Below this many sets a batch is verified on the event loop (~0.5 ms a set). */
const NODE_MIN_SETS_FOR_WORKERS = 32;

export class BeaconNode {
  readonly chain: BeaconChain;
  readonly db: BeaconDb;
  /** Verifies the signatures of imported blocks and of API attestation batches. */
  readonly blsPool: BlsWorkerPool;
  readonly api: ApiServer | null;
  readonly network: ResolvedNetwork;
  readonly slasher: SlasherService | null;
  /** The network (libp2p, or the one `createNetwork` made), when the node has one. */
  readonly p2p: NodeNetwork | null;
  /** Range sync and block lookups over the network (with p2p only). */
  readonly sync: SyncService | null;
  /** Blocks before a checkpoint-sync anchor from peers (with p2p only; idle once the chain reaches genesis). */
  readonly backfill: Backfill | null;
  /** The REST API's base URL, once listening. */
  readonly restUrl: string | null;
  /** The deposit contract follower (null without --eth1-endpoint). */
  readonly eth1: Eth1Follower | null;
  private readonly logger: Logger;
  private readonly stopStatus: () => void;
  /** Unpins the preset this node runs on (see pinPreset). */
  private readonly releasePreset: () => void;
  private stopping: Promise<void> | null = null;

  private constructor(init: {
    chain: BeaconChain;
    db: BeaconDb;
    blsPool: BlsWorkerPool;
    api: ApiServer | null;
    network: ResolvedNetwork;
    p2p: NodeNetwork | null;
    sync: SyncService | null;
    backfill?: Backfill | null;
    restUrl: string | null;
    logger: Logger;
    stopStatus: () => void;
    releasePreset: () => void;
    eth1: Eth1Follower | null;
    slasher: SlasherService | null;
  }) {
    this.chain = init.chain;
    this.db = init.db;
    this.blsPool = init.blsPool;
    this.api = init.api;
    this.network = init.network;
    this.p2p = init.p2p;
    this.sync = init.sync;
    this.backfill = init.backfill ?? null;
    this.restUrl = init.restUrl;
    this.logger = init.logger;
    this.stopStatus = init.stopStatus;
    this.releasePreset = init.releasePreset;
    this.eth1 = init.eth1;
    this.slasher = init.slasher;
  }

  static async start(opts: BeaconNodeOptions): Promise<BeaconNode> {
    // Each part logs under its own module name; the node's own lines under "node".
    const logger = opts.logger.child({module: "node"});
    throwIfAborted(opts.signal);
    // A bad genesis file is refused before anything is created on disk.
    const genesisBytes = opts.genesis?.type === "file" ? readGenesisBytes(opts.genesis.path) : undefined;
    // What this start creates, removed again if it fails: a failed or interrupted start leaves no
    // half-made chain behind for the next one to trip over.
    const onDisk = opts.db === undefined;
    const created = onDisk ? new CreatedPaths(opts.dataDir) : {remove: () => {}};
    if (onDisk) mkdirSync(opts.dataDir, {recursive: true});
    let db: BeaconDb;
    try {
      db = opts.db ?? (await openDb(join(opts.dataDir, "beacon")));
    } catch (e) {
      created.remove();
      throw e;
    }
    // Workers (about 25 MiB each) start on the first batch big enough to be worth leaving the
    // event loop: a block full of attestations not seen before, a slot's aggregates of a large
    // validator set. A small devnet, whose batches stay under the bar, never pays for them.
    const blsPool = new BlsWorkerPool({minSetsForWorkers: NODE_MIN_SETS_FOR_WORKERS});
    let openedChain: BeaconChain | null = null;
    let slasher: SlasherService | null = null;
    let p2p: NodeNetwork | null = null;
    let releasePreset = (): void => {};
    try {
      const storedNetwork = await readStoredNetwork(db);
      let request = opts.network;
      // A new chain from a state file takes the file's preset unless one was asked for.
      if (storedNetwork === null && genesisBytes !== undefined && request.preset === undefined) {
        request = {...request, preset: presetOfState(genesisBytes) ?? undefined};
      }
      const network = resolveNetwork(storedNetwork, request, opts.defaultPreset);
      const config = useNetwork(network.preset, network.configOverrides);
      releasePreset = pinPreset(network.preset);
      const eth1Provider = opts.eth1Endpoint === undefined ? null : eth1ProviderFor(config, opts.eth1Endpoint);
      const genesisSource: GenesisSource | undefined = opts.genesis ?? (eth1Provider !== null ? {type: "eth1"} : undefined);
      const chainLogger = opts.logger.child({module: "chain"});
      const {chain, created: chainCreated, replayed} = await openChain({
        db,
        genesisState: () => makeGenesis(config, genesisSource, genesisBytes, opts.genesisFlags, logger, eth1Provider, opts.signal, opts.time ?? systemTime),
        checkpointAnchor:
          opts.checkpointSync === undefined
            ? undefined
            : async () => {
                logger.info({url: opts.checkpointSync!.url}, "checkpoint sync: fetching the finalized block and state");
                const anchor = await fetchCheckpointAnchor({...opts.checkpointSync!, config, signal: opts.signal, time: opts.time}).catch((e: unknown) => {
                  throwIfAborted(opts.signal);
                  throw e;
                });
                throwIfAborted(opts.signal);
                logger.info(
                  {slot: anchor.block.message.slot, epoch: anchor.checkpoint.epoch, root: toHex(anchor.checkpoint.root)},
                  "checkpoint sync: anchor verified (block state_root = hash_tree_root(state))"
                );
                return anchor;
              },
        network: {preset: network.preset, configOverrides: network.configOverrides},
        config,
        logger: chainLogger,
        time: opts.time,
        blsVerifier: opts.blsVerifier ?? opts.metrics?.instrumentVerifier(blsPool) ?? blsPool,
        metrics: opts.metrics,
      });
      openedChain = chain;
      throwIfAborted(opts.signal);
      if (!chainCreated && opts.genesis?.type === "file") checkSameGenesis(chain, opts.genesis.path, genesisBytes!);
      if (!chainCreated) await checkGenesisFlags(chain, opts.genesis);
      checkHeadNotInFuture(chain);
      const head = chain.getHead();
      logger.info(
        {
          preset: network.preset,
          genesisTime: chain.genesis.genesisTime,
          genesisValidatorsRoot: toHex(chain.genesis.genesisValidatorsRoot),
          validators: head.state.state.validators.length,
          headSlot: head.slot,
          finalizedEpoch: chain.getFinalizedCheckpoint().epoch,
          replayedBlocks: replayed,
        },
        chainCreated ? (opts.checkpointSync ? "new chain from a checkpoint" : "new chain from genesis") : "chain loaded from the database"
      );

      if (opts.slasher !== undefined) {
        const {SlasherService, MemorySlasherStore} = await import("../slasher/index.ts");
        slasher = await SlasherService.start({
          dir: join(opts.dataDir, "slasher"),
          historyEpochs: opts.slasher.historyEpochs,
          batchSlots: opts.slasher.batchSlots,
          // A node on in-memory storage keeps the slasher in memory too, on its own thread of
          // execution: the simulator needs its batches to finish in virtual, not wall, time.
          ...(onDisk ? {thread: {preset: network.preset, configOverrides: network.configOverrides}} : {store: new MemorySlasherStore()}),
          sink: chain,
          logger: opts.logger.child({module: "slasher"}),
        });
        chain.slasherInput = slasher;
        const service = slasher;
        chain.clock.on("slot", (slot) => service.onSlot(slot));
      }

      const nodeKey = onDisk ? await loadOrCreateNodeKey(opts.dataDir) : null;
      if (opts.createNetwork !== undefined) {
        p2p = await opts.createNetwork(chain, opts.logger.child({module: "network"}));
      } else if (opts.p2p != null && nodeKey !== null) {
        const metrics = opts.metrics;
        p2p = await Network.start({
          chain,
          sink: chain.gossip,
          privateKey: nodeKey,
          options: opts.p2p,
          logger: opts.logger.child({module: "network"}),
          onGossipVerdict: metrics === undefined ? undefined : (topic, v) => metrics.onGossipVerdict(topic, gossipVerdictLabel(v.action)),
        });
        if (metrics !== undefined) {
          const network = p2p;
          chain.clock.on("slot", () => metrics.peers.set(network.getPeers().filter((p) => p.state === "connected").length));
        }
      }
      let api: ApiServer | null = null;
      let restUrl: string | null = null;
      if (opts.rest !== null) {
        const apiNetwork = p2p ?? unnetworkedNode(nodeKey === null ? "" : peerIdFromPrivateKey(nodeKey).toString());
        api = createApiServer(chain, {address: opts.rest.address, port: opts.rest.port, logger: opts.logger, network: apiNetwork, time: chain.clock.time});
        try {
          if (opts.rest.listen !== false) restUrl = await api.listen();
        } catch (e) {
          throw new NodeError("REST_LISTEN_FAILED", `cannot listen on ${opts.rest.address}:${opts.rest.port}: ${(e as Error).message}`, {cause: e});
        }
      }
      if (opts.signal?.aborted) {
        await api?.close();
        throwIfAborted(opts.signal);
      }
      let eth1: Eth1Follower | null = null;
      if (eth1Provider !== null) {
        eth1 = new Eth1Follower({config, provider: eth1Provider, store: new Eth1Store(db), logger: opts.logger.child({module: "eth1"}), deployBlock: depositContractDeployBlock(config), time: chain.clock.time});
        await eth1.load();
        eth1.start();
        chain.eth1 = eth1;
        logger.info({endpoint: eth1Provider.rpc.url, depositContract: toHex(eth1Provider.depositContract)}, "following the deposit contract");
      }
      const sync = p2p === null ? null : startNodeSync(chain, p2p, opts.logger.child({module: "sync"}), chain.clock.time);
      const backfill = p2p === null ? null : startChainBackfill(chain, p2p, sync, {logger: opts.logger.child({module: "backfill"}), time: chain.clock.time});
      chain.start();
      opts.metrics?.bindChain(chain, join(opts.dataDir, "beacon"));
      const stopGenesisWait = startGenesisWait(chain, logger);
      const syncLine = sync === null ? undefined : () => ({isSyncing: sync.isSyncing(), blocksPerSecond: sync.progress().blocksPerSecond});
      const eth1Status = eth1 === null ? undefined : () => eth1.statusText();
      const stopStatusLine =
        opts.statusLine === false ? () => {} : startStatusLine(chain, opts.logger.child({module: "status"}), () => p2p?.syncPeers().length ?? 0, syncLine, eth1Status);
      const stopStatus = (): void => {
        stopGenesisWait();
        stopStatusLine();
      };
      return new BeaconNode({chain, db, blsPool, api, network, restUrl, logger, stopStatus, releasePreset, eth1, slasher, p2p, sync, backfill});
    } catch (e) {
      await p2p?.stop();
      await openedChain?.stop();
      await slasher?.stop();
      await blsPool.close();
      await db.close();
      releasePreset();
      created.remove();
      throw e;
    }
  }

  /**
   * Closes the REST server, stops the clock and waits for the import in progress, then closes the
   * BLS worker pool and the database.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.stopStatus();
      await this.eth1?.stop();
      if (this.api !== null) await this.api.close();
      await this.sync?.stop();
      await this.backfill?.stop();
      if (this.p2p !== null) await this.p2p.stop();
      await this.chain.stop();
      await this.slasher?.stop();
      await this.blsPool.close();
      await this.db.close();
      this.releasePreset();
      this.logger.info("beacon node stopped");
    })();
    return this.stopping;
  }
}

async function openDb(path: string): Promise<BeaconDb> {
  try {
    return await BeaconDb.open(path);
  } catch (e) {
    const code = (e as {cause?: {cause?: {code?: string}}}).cause?.cause?.code;
    if (e instanceof DbError && code === "LEVEL_LOCKED") {
      throw new NodeError("DATA_DIR_IN_USE", `the database at ${path} is in use by another process (is another gnomon running on this --data-dir?)`);
    }
    throw e;
  }
}

/** Thrown when a start is interrupted: the CLI exits quietly, nothing is left on disk. */
export class StartAbortedError extends NodeError {
  constructor() {
    super("START_ABORTED", "start-up interrupted: nothing was kept");
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new StartAbortedError();
}

/** The paths under a data dir that did not exist before this start. */
class CreatedPaths {
  private readonly paths: string[];
  constructor(dataDir: string) {
    this.paths = existsSync(dataDir) ? [join(dataDir, "beacon"), join(dataDir, "node-key"), join(dataDir, "slasher")].filter((p) => !existsSync(p)) : [dataDir];
  }
  remove(): void {
    for (const p of this.paths) rmSync(p, {recursive: true, force: true});
  }
}

async function makeGenesis(
  config: ChainConfig,
  source: GenesisSource | undefined,
  fileBytes: Uint8Array | undefined,
  flags: string | undefined,
  logger: Logger,
  eth1Provider: Eth1Provider | null,
  signal: AbortSignal | undefined,
  time: TimeSource
): Promise<BeaconStateView> {
  if (source === undefined) {
    throw new InputError(`the data dir holds no chain: give ${flags ?? "--genesis-state FILE or --interop-validators N --genesis-time T"}`);
  }
  if (source.type === "file") return decodeGenesisState(config, source.path, fileBytes!);
  if (source.type === "state") return ssz.BeaconState.deserializeToViewDU(source.state);
  if (source.type === "eth1") {
    if (eth1Provider === null) throw new InputError("a genesis from the deposit contract needs --eth1-endpoint");
    const genesis = await waitForEth1Genesis({config, provider: eth1Provider, deployBlock: depositContractDeployBlock(config), logger: logger.child({module: "eth1"}), signal, time}).catch(
      (e: unknown) => {
        throwIfAborted(signal);
        throw e;
      }
    );
    logger.info({eth1Block: genesis.block.number, deposits: genesis.depositCount, genesisTime: genesis.state.state.genesis_time}, "genesis computed from the deposit contract");
    return genesis.state.state;
  }
  const started = Date.now();
  let lastLog = started;
  // Said at once, not after the first throttle interval: a fast build would otherwise show no
  // progress at all, and an operator would not know what the start is busy with.
  logger.info(`interop genesis: 0/${source.validators} deposits`);
  const genesis = await createInteropGenesisState({
    config,
    validators: source.validators,
    genesisTime: source.genesisTime ?? 0,
    onProgress: (done, total) => {
      // Throwing here stops the deposit workers at once.
      throwIfAborted(signal);
      if (Date.now() - lastLog > 2000) {
        lastLog = Date.now();
        logger.info(`interop genesis: ${done}/${total} deposits`);
      }
    },
  });
  throwIfAborted(signal);
  const state = genesis.state;
  if (source.genesisTime === undefined) {
    state.genesis_time = Math.floor(time.now() / 1000) + (source.delaySeconds ?? 3);
    state.commit();
  }
  checkGenesisMatchesConfig(config, "the interop genesis", state);
  logger.info({validators: source.validators, genesisTime: state.genesis_time, ms: Date.now() - started}, "interop genesis state built");
  return state;
}

function checkSameGenesis(chain: BeaconChain, path: string, bytes: Uint8Array): void {
  const given = decodeGenesisState(chain.config, path, bytes);
  if (given.genesis_time !== chain.genesis.genesisTime) {
    throw new InputError(`the data dir's chain has genesis_time=${chain.genesis.genesisTime}, ${path} has ${given.genesis_time} (use another --data-dir)`);
  }
  if (toHex(given.genesis_validators_root) !== toHex(chain.genesis.genesisValidatorsRoot)) {
    throw new InputError(
      `the data dir's chain has genesis_validators_root=${toHex(chain.genesis.genesisValidatorsRoot)}, ${path} has ${toHex(given.genesis_validators_root)} (use another --data-dir)`
    );
  }
}

/** Interop genesis flags given on a stored chain must describe that chain's genesis. */
async function checkGenesisFlags(chain: BeaconChain, source: GenesisSource | undefined): Promise<void> {
  if (source?.type !== "interop") return;
  if (source.genesisTime !== undefined && source.genesisTime !== chain.genesis.genesisTime) {
    throw new InputError(`the data dir's chain has genesis_time=${chain.genesis.genesisTime}, not ${source.genesisTime} (leave the flag out, or use another --data-dir)`);
  }
  const archived = await chain.db.getArchivedStateAtOrBefore(0);
  if (archived === undefined) return; // a checkpoint-synced chain has no genesis state to compare
  const count = ssz.BeaconState.deserializeToViewDU(archived.state).validators.length;
  if (count !== source.validators) {
    throw new InputError(`the data dir's chain has ${count} genesis validators, not ${source.validators} (leave the flag out, or use another --data-dir)`);
  }
}

/**
 * A stored head later than the wall clock's slot means the chain ran with a shorter slot time or
 * the clock went back: the node would refuse to propose until the clock caught up.
 */
function checkHeadNotInFuture(chain: BeaconChain): void {
  const head = chain.getHead();
  const before = chain.clock.isBeforeGenesis();
  const now = before ? 0 : chain.clock.currentSlot;
  if (head.slot > now) {
    throw new NodeError(
      "HEAD_IN_FUTURE",
      `the stored head block is at slot ${head.slot}, but the clock is at ${before ? "a time before genesis" : `slot ${now}`} with ${chain.config.SECONDS_PER_SLOT}-s slots: ` +
        "the chain was run with another slot time or the system clock went back (use another --data-dir, or fix the clock)"
    );
  }
}

/** The metric's label for a gossip verdict: accept, ignore or reject. */
function gossipVerdictLabel(action: GossipAction): GossipVerdictLabel {
  return action === "ACCEPT" ? "accept" : action === "IGNORE" ? "ignore" : "reject";
}

/** Sync over the node's network, fed the unknown block roots the gossip sink announces. */
function startNodeSync(chain: BeaconChain, network: NodeNetwork, logger: Logger, time: TimeSource): SyncService {
  const sync = startChainSync(chain, network, {logger, time});
  chain.events.on("unknown_block_root", ({root, peerId, slot}) => sync.unknownBlocks.onUnknownBlockRoot(root, peerId, slot));
  return sync;
}
