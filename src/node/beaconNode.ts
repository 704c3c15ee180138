/**
 * A beacon node: the database under the data dir, the BLS worker pool, the chain (loaded, or
 * created from a genesis state), the REST API, the clock and the status line. `stop()` closes
 * them in reverse order.
 */
import {mkdirSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {createApiServer, type ApiServer} from "../api/index.ts";
import {openChain, readStoredNetwork, type BeaconChain} from "../chain/index.ts";
import type {TimeSource} from "../clock/index.ts";
import {BlsWorkerPool} from "../crypto/index.ts";
import {BeaconDb, DbError} from "../db/index.ts";
import {config, useNetwork, type PresetName} from "../params/index.ts";
import {ssz, type BeaconStateView} from "../types/index.ts";
import {toHex} from "../util/bytes.ts";
import {GnomonError, InputError} from "../util/errors.ts";
import type {Logger} from "../util/logger.ts";
import {createInteropGenesisState} from "./genesis/interopGenesis.ts";
import {depositContractDeployBlock, eth1ProviderFor, Eth1Follower, Eth1Store, type Eth1Provider} from "../eth1/index.ts";
import {waitForEth1Genesis} from "./genesis/eth1Genesis.ts";
import {loadOrCreatePeerId, unnetworkedNode} from "./identity.ts";
import {resolveNetwork, type NetworkRequest, type ResolvedNetwork} from "./network.ts";
import {startStatusLine} from "./statusLine.ts";

export type GenesisSource =
  | {type: "file"; path: string}
  /** genesisTime undefined: now (after the state is built) plus `delaySeconds`. */
  | {type: "interop"; validators: number; genesisTime?: number; delaySeconds?: number}
  /** Computed from the deposit contract through the eth1 endpoint (waits until it is reached). */
  | {type: "eth1"};

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
  /** JSON-RPC URL of an execution node: follow the deposit contract, vote eth1 data, include deposits. */
  eth1Endpoint?: string;
  /** Aborts a start that waits (for genesis from the deposit contract). */
  signal?: AbortSignal;
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
  /** The REST API's base URL, once listening. */
  readonly restUrl: string | null;
  /** The deposit contract follower (null without --eth1-endpoint). */
  readonly eth1: Eth1Follower | null;
  private readonly logger: Logger;
  private readonly stopStatus: () => void;
  private stopping: Promise<void> | null = null;

  private constructor(init: {
    chain: BeaconChain;
    db: BeaconDb;
    blsPool: BlsWorkerPool;
    api: ApiServer | null;
    network: ResolvedNetwork;
    restUrl: string | null;
    logger: Logger;
    stopStatus: () => void;
    eth1: Eth1Follower | null;
  }) {
    this.chain = init.chain;
    this.db = init.db;
    this.blsPool = init.blsPool;
    this.api = init.api;
    this.network = init.network;
    this.restUrl = init.restUrl;
    this.logger = init.logger;
    this.stopStatus = init.stopStatus;
    this.eth1 = init.eth1;
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
      const eth1Provider = opts.eth1Endpoint === undefined ? null : eth1ProviderFor(opts.eth1Endpoint);
      const genesisSource: GenesisSource | undefined = opts.genesis ?? (eth1Provider !== null ? {type: "eth1"} : undefined);
      const chainLogger = opts.logger.child({module: "chain"});
      const {chain, created, replayed} = await openChain({
        db,
        genesisState: () => makeGenesis(genesisSource, opts.genesisFlags, logger, eth1Provider, opts.signal),
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

      let api: ApiServer | null = null;
      let restUrl: string | null = null;
      if (opts.rest !== null) {
        const peerId = await loadOrCreatePeerId(opts.dataDir);
        api = createApiServer(chain, {address: opts.rest.address, port: opts.rest.port, logger: opts.logger, network: unnetworkedNode(peerId)});
        try {
          restUrl = await api.listen();
        } catch (e) {
          await chain.stop();
          throw new NodeError("REST_LISTEN_FAILED", `cannot listen on ${opts.rest.address}:${opts.rest.port}: ${(e as Error).message}`, {cause: e});
        }
      }
      let eth1: Eth1Follower | null = null;
      if (eth1Provider !== null) {
        eth1 = new Eth1Follower({provider: eth1Provider, store: new Eth1Store(db), logger: opts.logger.child({module: "eth1"}), deployBlock: depositContractDeployBlock()});
        await eth1.load();
        eth1.start();
        chain.eth1 = eth1;
        logger.info({endpoint: eth1Provider.rpc.url, depositContract: toHex(eth1Provider.depositContract)}, "following the deposit contract");
      }
      chain.start();
      const eth1Status = eth1 === null ? undefined : () => eth1.statusText();
      const stopStatus = opts.statusLine === false ? () => {} : startStatusLine(chain, opts.logger.child({module: "status"}), eth1Status);
      return new BeaconNode({chain, db, blsPool, api, network, restUrl, logger, stopStatus, eth1});
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
      await this.eth1?.stop();
      if (this.api !== null) await this.api.close();
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

async function makeGenesis(
  source: GenesisSource | undefined,
  flags: string | undefined,
  logger: Logger,
  eth1Provider: Eth1Provider | null,
  signal: AbortSignal | undefined
): Promise<BeaconStateView> {
  if (source === undefined) {
    throw new InputError(`the data dir holds no chain: give ${flags ?? "--genesis-state FILE or --interop-validators N --genesis-time T"}`);
  }
  if (source.type === "file") return readGenesisFile(source.path);
  if (source.type === "eth1") {
    if (eth1Provider === null) throw new InputError("a genesis from the deposit contract needs --eth1-endpoint");
    const genesis = await waitForEth1Genesis({provider: eth1Provider, deployBlock: depositContractDeployBlock(), logger: logger.child({module: "eth1"}), signal});
    logger.info({eth1Block: genesis.block.number, deposits: genesis.depositCount, genesisTime: genesis.state.state.genesis_time}, "genesis computed from the deposit contract");
    return genesis.state.state;
  }
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
