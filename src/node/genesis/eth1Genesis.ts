/**
 * beacon-chain.md "Genesis" from the deposit contract: for each eth1 block at least
 * SECONDS_PER_ETH1_BLOCK * ETH1_FOLLOW_DISTANCE seconds old, the candidate state is
 * initialize_beacon_state_from_eth1(block hash, block timestamp, every deposit up to and
 * including the block); genesis is the first candidate for which is_valid_genesis_state holds.
 *
 * Both conditions of is_valid_genesis_state only grow with the block height (the timestamp, and
 * the validators whose deposits reach MAX_EFFECTIVE_BALANCE), so the first valid block is found
 * without building a state per block: the deposits are read in order with a running count of
 * validators that would be active, and the state is built once, for the first block at or after
 * the one where the count is reached whose timestamp gives genesis_time >= MIN_GENESIS_TIME.
 * `gnomon genesis --eth1-endpoint` and a node with --eth1-endpoint and no genesis both use this.
 */
import {sleep, systemTime, type TimeSource} from "../../clock/index.ts";
import {verify} from "../../crypto/index.ts";
import {DOMAIN_DEPOSIT, MAX_EFFECTIVE_BALANCE, type ChainConfig} from "../../params/index.ts";
import {computeDomain, computeSigningRoot, initializeBeaconStateFromEth1, isValidGenesisState, type CachedBeaconState} from "../../state-transition/index.ts";
import {ssz, type Deposit, type DepositData} from "../../types/index.ts";
import {bytesEqual, toHex} from "../../util/bytes.ts";
import {errorMessage} from "../../util/errors.ts";
import {silentLogger, type Logger} from "../../util/logger.ts";
import {DepositTree} from "./depositTree.ts";
import {Eth1Error, Eth1ErrorCode, type Eth1BlockHeader, type Eth1Provider} from "../../eth1/index.ts";

export interface Eth1GenesisOptions {
  /** The chain config: genesis thresholds and delay, deposit chain id and fork version, follow distance. */
  config: ChainConfig;
  provider: Eth1Provider;
  deployBlock: number;
  logger?: Logger;
  /** Wait between polls while genesis is not reached, and after a failed poll (default 2 s). */
  pollIntervalMs?: number;
  logsBatch?: number;
  /** Aborts the wait (SIGINT). */
  signal?: AbortSignal;
  /** Wall time, ms (default the time source's). */
  now?: () => number;
  /** Where the polls wait and "now" comes from (default wall time). */
  time?: TimeSource;
}

export interface Eth1Genesis {
  state: CachedBeaconState;
  block: Eth1BlockHeader;
  depositCount: number;
}

/** Deposits read so far with the running count of validators that would be active at genesis. */
class GenesisScan {
  readonly deposits: {blockNumber: number; data: DepositData}[] = [];
  private readonly balances = new Map<string, number>();
  private active = 0;
  /** The block of the deposit that made the active count reach MIN_GENESIS_ACTIVE_VALIDATOR_COUNT. */
  thresholdBlock: number | null = null;
  private readonly config: ChainConfig;
  private readonly domain: Uint8Array;

  constructor(config: ChainConfig) {
    this.config = config;
    this.domain = computeDomain(DOMAIN_DEPOSIT, config.GENESIS_FORK_VERSION);
  }

  add(blockNumber: number, data: DepositData): void {
    this.deposits.push({blockNumber, data});
    const key = toHex(data.pubkey);
    const balance = this.balances.get(key);
    let next: number;
    if (balance === undefined) {
      // apply_deposit: a new key joins only with a valid proof of possession.
      const message = {pubkey: data.pubkey, withdrawal_credentials: data.withdrawal_credentials, amount: data.amount};
      if (!verify(data.pubkey, computeSigningRoot(ssz.DepositMessage, message, this.domain), data.signature)) return;
      next = data.amount;
    } else {
      next = balance + data.amount;
    }
    this.balances.set(key, next);
    // Genesis activation: effective balance min(balance - balance % increment, MAX) == MAX.
    if ((balance ?? 0) < MAX_EFFECTIVE_BALANCE && next >= MAX_EFFECTIVE_BALANCE) {
      this.active++;
      if (this.active >= this.config.MIN_GENESIS_ACTIVE_VALIDATOR_COUNT && this.thresholdBlock === null) this.thresholdBlock = blockNumber;
    }
  }

  get activeCount(): number {
    return this.active;
  }
}

export class GenesisAbortedError extends Error {}

/** Polls the contract until genesis can be computed; returns the genesis state. */
export async function waitForEth1Genesis(opts: Eth1GenesisOptions): Promise<Eth1Genesis> {
  const logger = opts.logger ?? silentLogger;
  const poll = opts.pollIntervalMs ?? 2000;
  const batch = opts.logsBatch ?? 1000;
  const time = opts.time ?? systemTime;
  const now = opts.now ?? (() => time.now());
  const {provider, config} = opts;
  let scan = new GenesisScan(opts.config);
  let next = opts.deployBlock;
  let chainChecked = false;
  let lastReport = "";
  for (;;) {
    if (opts.signal?.aborted) throw new GenesisAbortedError("waiting for genesis was interrupted");
    try {
      if (!chainChecked) {
        await provider.checkChainId(config.DEPOSIT_CHAIN_ID);
        chainChecked = true;
      }
      const head = await provider.blockNumber();
      while (next <= head) {
        const to = Math.min(head, next + batch - 1);
        const logs = await provider.getDepositLogs(next, to);
        const before = scan.deposits.length;
        for (const log of logs) {
          if (log.index !== scan.deposits.length) {
            // A gap or a repeat: the endpoint's answer is not usable; read everything again.
            scan = new GenesisScan(opts.config);
            next = opts.deployBlock;
            throw new Eth1Error(Eth1ErrorCode.DEPOSIT_GAP, `deposit log index ${log.index}, expected ${before}`);
          }
          scan.add(log.blockNumber, log.data);
        }
        const count = await provider.depositCountAt(to);
        const read = scan.deposits.length;
        if (count !== read) {
          scan = new GenesisScan(opts.config);
          next = opts.deployBlock;
          throw new Eth1Error(Eth1ErrorCode.ROOT_MISMATCH, `the contract holds ${count} deposits at block ${to}, the logs gave ${read}`);
        }
        next = to + 1;
      }
      const report = `${scan.deposits.length} deposits, ${scan.activeCount}/${config.MIN_GENESIS_ACTIVE_VALIDATOR_COUNT} validators`;
      if (report !== lastReport) {
        lastReport = report;
        logger.info({deposits: scan.deposits.length, activeValidators: scan.activeCount, needed: config.MIN_GENESIS_ACTIVE_VALIDATOR_COUNT, block: next - 1}, "waiting for eth1 genesis");
      }
      if (scan.thresholdBlock !== null) {
        const block = await firstBlockAtTime(provider, scan.thresholdBlock, next - 1, config.MIN_GENESIS_TIME - config.GENESIS_DELAY);
        const ageOk = block !== null && block.timestamp + config.SECONDS_PER_ETH1_BLOCK * config.ETH1_FOLLOW_DISTANCE <= Math.floor(now() / 1000);
        if (block !== null && ageOk) {
          const genesis = await buildGenesis(config, provider, scan, block);
          if (genesis !== null) return genesis;
        }
      }
    } catch (e) {
      if (!(e instanceof Eth1Error)) throw e;
      logger.warn({code: e.code, err: errorMessage(e)}, "eth1 genesis: endpoint failed, retrying");
    }
    await sleep(time, poll, opts.signal);
  }
}

/** The first block in [from, to] with timestamp >= minTimestamp (binary search), or null. */
async function firstBlockAtTime(provider: Eth1Provider, from: number, to: number, minTimestamp: number): Promise<Eth1BlockHeader | null> {
  const first = await provider.getBlock(from);
  if (first.timestamp >= minTimestamp) return first;
  let lo = from;
  let hi = to;
  const last = await provider.getBlock(hi);
  if (last.timestamp < minTimestamp) return null;
  let found = last;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    const b = await provider.getBlock(mid);
    if (b.timestamp >= minTimestamp) {
      hi = mid;
      found = b;
    } else lo = mid;
  }
  return found;
}

async function buildGenesis(config: ChainConfig, provider: Eth1Provider, scan: GenesisScan, block: Eth1BlockHeader): Promise<Eth1Genesis | null> {
  const tree = new DepositTree();
  const deposits: Deposit[] = [];
  for (const d of scan.deposits) {
    if (d.blockNumber > block.number) break;
    deposits.push({proof: tree.push(ssz.DepositData.hashTreeRoot(d.data)), data: d.data});
  }
  // The deposits must be the contract's at that block: its root, not only its count.
  const root = await provider.depositRootAt(block.number);
  if (!bytesEqual(root, tree.root())) {
    throw new Eth1Error(Eth1ErrorCode.ROOT_MISMATCH, `get_deposit_root at block ${block.number} is ${toHex(root)}, the logs give ${toHex(tree.root())}`);
  }
  const state = initializeBeaconStateFromEth1(config, block.hash, block.timestamp, deposits);
  if (!isValidGenesisState(config, state.state)) return null;
  return {state, block, depositCount: deposits.length};
}
