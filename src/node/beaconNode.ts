/**
 * A beacon node: the database under the data dir, the BLS worker pool, the chain (loaded, or
 * created from a genesis state), the libp2p network, the REST API, the clock and the status line.
 * `stop()` closes them in reverse order.
 */
import {mkdirSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {createApiServer, type ApiServer} from "../api/index.ts";
import {openChain, readStoredNetwork, type BeaconChain} from "../chain/index.ts";
import {systemTime, type TimeSource} from "../clock/index.ts";
import {BlsWorkerPool} from "../crypto/index.ts";
import {BeaconDb, DbError} from "../db/index.ts";
import {config, useNetwork, type PresetName} from "../params/index.ts";
import {ssz, type BeaconStateView} from "../types/index.ts";
import {toHex} from "../util/bytes.ts";
import {GnomonError, InputError} from "../util/errors.ts";
import type {Logger} from "../util/logger.ts";
import {createInteropGenesisState} from "./genesis/interopGenesis.ts";
import {loadOrCreateNodeKey, unnetworkedNode} from "./identity.ts";
import {Network, type NetworkOptions} from "../network/network.ts";
import {peerIdFromPrivateKey} from "@libp2p/peer-id";
import {resolveNetwork, type NetworkRequest, type ResolvedNetwork} from "./network.ts";
import {startStatusLine} from "./statusLine.ts";
import {startChainSync, type SyncService} from "../sync/index.ts";

export type GenesisSource =
  | {type: "file"; path: string}
  /** genesisTime undefined: now (after the state is built) plus `delaySeconds`. */
  | {type: "interop"; validators: number; genesisTime?: number; delaySeconds?: number};

export interface BeaconNodeOptions {
  dataDir: string;
  network: NetworkRequest;
  defaultPreset: PresetName;
  /** How to make the genesis state when the data dir holds no chain. */
  genesis?: GenesisSource;
  /** The flags that give a genesis, for the error when none was given (default: gnomon beacon's). */
  genesisFlags?: string;
  /** null: no REST server. */
  rest: {address: string; port: number} | null;
  /** The root logger: the node, chain, API and status line each log through a child of it. */
  logger: Logger;
  time?: TimeSource;
  /** Write the per-slot status line (default true). */
  statusLine?: boolean;
  /** libp2p networking; null or absent: none. */
  p2p?: NetworkOptions | null;
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
  /** The libp2p network, when started with p2p options. */
  readonly p2p: Network | null;
  /** Range sync and block lookups over the network (with p2p only). */
  readonly sync: SyncService | null;
  /** The REST API's base URL, once listening. */
  readonly restUrl: string | null;
  private readonly logger: Logger;
  private readonly stopStatus: () => void;
  private stopping: Promise<void> | null = null;

  private constructor(init: {
    chain: BeaconChain;
    db: BeaconDb;
    blsPool: BlsWorkerPool;
    api: ApiServer | null;
    network: ResolvedNetwork;
    p2p: Network | null;
    sync: SyncService | null;
    restUrl: string | null;
    logger: Logger;
    stopStatus: () => void;
  }) {
    this.chain = init.chain;
    this.db = init.db;
    this.blsPool = init.blsPool;
    this.api = init.api;
    this.network = init.network;
    this.p2p = init.p2p;
    this.sync = init.sync;
    this.restUrl = init.restUrl;
    this.logger = init.logger;
    this.stopStatus = init.stopStatus;
  }

  static async start(opts: BeaconNodeOptions): Promise<BeaconNode> {
    // Each part logs under its own module name; the node's own lines under "node".
    const logger = opts.logger.child({module: "node"});
    mkdirSync(opts.dataDir, {recursive: true});
    const db = await openDb(join(opts.dataDir, "beacon"));
    // Workers (about 25 MiB each) start on the first batch big enough to be worth leaving the
    // event loop: a block full of attestations not seen before, a slot's aggregates of a large
    // validator set. A small devnet, whose batches stay under the bar, never pays for them.
    const blsPool = new BlsWorkerPool({minSetsForWorkers: NODE_MIN_SETS_FOR_WORKERS});
    try {
      const network = resolveNetwork(await readStoredNetwork(db), opts.network, opts.defaultPreset);
      useNetwork(network.preset, network.configOverrides);
      const chainLogger = opts.logger.child({module: "chain"});
      const {chain, created, replayed} = await openChain({
        db,
        genesisState: () => makeGenesis(opts.genesis, opts.genesisFlags, logger),
        network: {preset: network.preset, configOverrides: network.configOverrides},
        logger: chainLogger,
        time: opts.time,
        blsVerifier: blsPool,
      });
      if (!created && opts.genesis?.type === "file") checkSameGenesis(chain, opts.genesis.path);
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
        created ? "new chain from genesis" : "chain loaded from the database"
      );

      const nodeKey = await loadOrCreateNodeKey(opts.dataDir);
      let p2p: Network | null = null;
      if (opts.p2p != null) {
        try {
          p2p = await Network.start({chain, sink: chain.gossip, privateKey: nodeKey, options: opts.p2p, logger: opts.logger.child({module: "network"})});
        } catch (e) {
          await chain.stop();
          throw e;
        }
      }
      let api: ApiServer | null = null;
      let restUrl: string | null = null;
      if (opts.rest !== null) {
        const apiNetwork = p2p ?? unnetworkedNode(peerIdFromPrivateKey(nodeKey).toString());
        api = createApiServer(chain, {address: opts.rest.address, port: opts.rest.port, logger: opts.logger, network: apiNetwork});
        try {
          restUrl = await api.listen();
        } catch (e) {
          await p2p?.stop();
          await chain.stop();
          throw new NodeError("REST_LISTEN_FAILED", `cannot listen on ${opts.rest.address}:${opts.rest.port}: ${(e as Error).message}`, {cause: e});
        }
      }
      const sync = p2p === null ? null : startNodeSync(chain, p2p, opts.logger.child({module: "sync"}), opts.time ?? systemTime);
      chain.start();
      const syncLine = sync === null ? undefined : () => ({isSyncing: sync.isSyncing(), blocksPerSecond: sync.progress().blocksPerSecond});
      const stopStatus = opts.statusLine === false ? () => {} : startStatusLine(chain, opts.logger.child({module: "status"}), () => p2p?.syncPeers().length ?? 0, syncLine);
      return new BeaconNode({chain, db, blsPool, api, network, p2p, sync, restUrl, logger, stopStatus});
    } catch (e) {
      await blsPool.close();
      await db.close();
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
      if (this.api !== null) await this.api.close();
      await this.sync?.stop();
      if (this.p2p !== null) await this.p2p.stop();
      await this.chain.stop();
      await this.blsPool.close();
      await this.db.close();
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

async function makeGenesis(source: GenesisSource | undefined, flags: string | undefined, logger: Logger): Promise<BeaconStateView> {
  if (source === undefined) {
    throw new InputError(`the data dir holds no chain: give ${flags ?? "--genesis-state FILE or --interop-validators N --genesis-time T"}`);
  }
  if (source.type === "file") return readGenesisFile(source.path);
  const started = Date.now();
  let lastLog = started;
  const genesis = await createInteropGenesisState({
    validators: source.validators,
    genesisTime: source.genesisTime ?? 0,
    onProgress: (done, total) => {
      if (Date.now() - lastLog > 2000) {
        lastLog = Date.now();
        logger.info(`interop genesis: ${done}/${total} deposits`);
      }
    },
  });
  const state = genesis.state;
  if (source.genesisTime === undefined) {
    state.genesis_time = Math.floor(Date.now() / 1000) + (source.delaySeconds ?? 3);
    state.commit();
  }
  logger.info({validators: source.validators, genesisTime: state.genesis_time, ms: Date.now() - started}, "interop genesis state built");
  return state;
}

function readGenesisFile(path: string): BeaconStateView {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new InputError(`cannot read genesis state ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return ssz.BeaconState.deserializeToViewDU(bytes);
  } catch (e) {
    throw new InputError(`${path} is not an SSZ BeaconState of the ${config.PRESET_BASE} preset: ${(e as Error).message}`);
  }
}

function checkSameGenesis(chain: BeaconChain, path: string): void {
  const given = readGenesisFile(path);
  const same = given.genesis_time === chain.genesis.genesisTime && toHex(given.genesis_validators_root) === toHex(chain.genesis.genesisValidatorsRoot);
  if (!same) throw new InputError(`${path} is not the genesis of the chain stored in the data dir (use another --data-dir)`);
}

/** Sync over the node's network, fed the unknown block roots the gossip sink announces. */
function startNodeSync(chain: BeaconChain, network: Network, logger: Logger, time: TimeSource): SyncService {
  const sync = startChainSync(chain, network, {logger, time});
  chain.events.on("unknown_block_root", ({root, peerId, slot}) => sync.unknownBlocks.onUnknownBlockRoot(root, peerId, slot));
  return sync;
}
