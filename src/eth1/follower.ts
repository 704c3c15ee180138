/**
 * The eth1 follower: reads the deposit contract's DepositEvent logs and the execution chain's
 * blocks up to ETH1_FOLLOW_DISTANCE behind its head, keeps the deposit tree and the recent
 * blocks get_eth1_vote chooses from, and serves both to block production (Eth1ForProduction).
 *
 * What it keeps is only what the endpoint proved consistent: logs with contiguous indices whose
 * block hashes match the followed blocks, blocks whose parent hashes chain, and a tree whose root
 * and count equal the contract's get_deposit_root / get_deposit_count at the last block of each
 * step. Anything else (down, slow, garbage, wrong chain, reorg) fails the step as a whole, the
 * status says why, and the step is retried with backoff; a reorg first rolls back to the last
 * block still on the endpoint's chain.
 */
import type {Eth1Block, Eth1ForProduction} from "../chain/index.ts";
import {EPOCHS_PER_ETH1_VOTING_PERIOD, SLOTS_PER_EPOCH, type ChainConfig} from "../params/index.ts";
import type {Deposit, Eth1Data} from "../types/index.ts";
import {bytesEqual, toHex} from "../util/bytes.ts";
import {errorMessage} from "../util/errors.ts";
import {silentLogger, type Logger} from "../util/logger.ts";
import {DepositDataTree} from "./depositTree.ts";
import {systemTime, type TimeSource} from "../clock/index.ts";
import {Eth1Error, Eth1ErrorCode} from "./errors.ts";
import type {DepositLog, Eth1BlockHeader, Eth1Provider} from "./provider.ts";
import type {Eth1Store, FollowedBlock, FollowerState, StoredDeposit} from "./store.ts";

export interface Eth1FollowerOptions {
  /** The chain config: deposit chain id, follow distance, eth1 block and slot times. */
  config: Pick<ChainConfig, "DEPOSIT_CHAIN_ID" | "ETH1_FOLLOW_DISTANCE" | "SECONDS_PER_ETH1_BLOCK" | "SECONDS_PER_SLOT">;
  provider: Eth1Provider;
  store?: Eth1Store | null;
  logger?: Logger;
  /** First block to read logs from (the contract's deploy block). */
  deployBlock: number;
  /** Blocks per eth_getLogs request (default 1000). */
  logsBatch?: number;
  /** Wait between steps once caught up (default: SECONDS_PER_ETH1_BLOCK / 2, at most 6 s). */
  pollIntervalMs?: number;
  /** Longest wait between retries after failures (default 30 s). */
  maxBackoffMs?: number;
  /** Where the waits between steps are measured (the node's clock; default wall time). */
  time?: TimeSource;
}

export type Eth1FollowerState = "starting" | "syncing" | "synced" | "error";

export interface Eth1FollowerStatus {
  state: Eth1FollowerState;
  /** The last block followed (null before the first). */
  blockNumber: number | null;
  depositCount: number;
  /** The endpoint's head block at the last successful step. */
  headBlock: number | null;
  lastError: string | null;
  lastErrorCode: string | null;
  consecutiveFailures: number;
}

export class Eth1Follower implements Eth1ForProduction {
  private readonly config: Eth1FollowerOptions["config"];
  private readonly provider: Eth1Provider;
  private readonly store: Eth1Store | null;
  private readonly logger: Logger;
  private readonly deployBlock: number;
  private readonly logsBatch: number;
  private readonly pollIntervalMs: number;
  private readonly maxBackoffMs: number;

  readonly tree = new DepositDataTree();
  private depositBlocks: number[] = [];
  /** Recent followed blocks, ascending; the last is the last followed block. */
  private blocks: FollowedBlock[] = [];
  private nextBlock: number;
  private chainChecked = false;
  private timer: unknown = null;
  private readonly time: TimeSource;
  private running = false;
  private stepping: Promise<void> | null = null;
  private readonly status: Eth1FollowerStatus = {
    state: "starting",
    blockNumber: null,
    depositCount: 0,
    headBlock: null,
    lastError: null,
    lastErrorCode: null,
    consecutiveFailures: 0,
  };

  constructor(opts: Eth1FollowerOptions) {
    this.config = opts.config;
    this.provider = opts.provider;
    this.store = opts.store ?? null;
    this.logger = opts.logger ?? silentLogger;
    this.deployBlock = opts.deployBlock;
    this.nextBlock = opts.deployBlock;
    this.logsBatch = opts.logsBatch ?? 1000;
    this.pollIntervalMs = opts.pollIntervalMs ?? Math.min(6000, Math.max(250, (opts.config.SECONDS_PER_ETH1_BLOCK * 1000) / 2));
    this.maxBackoffMs = opts.maxBackoffMs ?? 30_000;
    this.time = opts.time ?? systemTime;
  }

  getStatus(): Eth1FollowerStatus {
    return {...this.status};
  }

  isOffline(): boolean {
    return this.status.state === "error";
  }

  /** A few words for the status line. */
  statusText(): string {
    const s = this.status;
    const where = s.blockNumber === null ? "no block yet" : `block ${s.blockNumber}`;
    const err = s.state === "error" && s.lastErrorCode !== null ? ` (${s.lastErrorCode})` : "";
    return `eth1 ${s.state}${err} ${where} deposits ${s.depositCount}`;
  }

  /** Loads what the store holds (if it is for this contract and chain). */
  async load(): Promise<void> {
    if (this.store === null) return;
    const stored = await this.store.load();
    if (stored === null) return;
    const {state, deposits} = stored;
    if (!bytesEqual(state.deposit_contract, this.provider.depositContract) || state.chain_id !== this.config.DEPOSIT_CHAIN_ID) {
      this.logger.warn("stored eth1 data is for another deposit contract or chain: reading from the deploy block again");
      return;
    }
    for (const d of deposits) this.pushDeposit(d);
    this.blocks = state.blocks;
    this.nextBlock = state.next_block;
    this.updateStatusCounts();
    this.logger.info({nextBlock: this.nextBlock, deposits: this.tree.count}, "eth1 follower resumes from the database");
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== null) this.time.clearTimeout(this.timer);
    this.timer = null;
    this.provider.rpc.close();
    await this.stepping;
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    this.timer = this.time.setTimeout(() => {
      this.timer = null;
      this.stepping = this.runStep().finally(() => {
        this.stepping = null;
      });
    }, ms);
  }

  private async runStep(): Promise<void> {
    this.schedule(await this.poll());
  }

  /**
   * One step with its outcome recorded in the status (a reorg also rolls back); never throws.
   * Returns how long to wait before the next one: 0 while behind, the poll interval once caught
   * up, an exponential backoff after failures.
   */
  async poll(): Promise<number> {
    let delay = this.pollIntervalMs;
    try {
      const caughtUp = await this.step();
      if (this.status.state === "error") this.logger.info("eth1 endpoint answers correctly again");
      this.status.consecutiveFailures = 0;
      this.status.lastError = null;
      this.status.lastErrorCode = null;
      this.status.state = caughtUp ? "synced" : "syncing";
      if (!caughtUp) delay = 0;
    } catch (e) {
      const failures = ++this.status.consecutiveFailures;
      const code = e instanceof Eth1Error ? e.code : "ETH1_INTERNAL";
      this.status.state = "error";
      this.status.lastError = errorMessage(e);
      this.status.lastErrorCode = code;
      delay = Math.min(this.maxBackoffMs, 500 * 2 ** Math.min(failures - 1, 16));
      const log = failures === 1 || failures % 10 === 0 ? this.logger.warn.bind(this.logger) : this.logger.debug.bind(this.logger);
      log({code, failures, retryInMs: delay, err: errorMessage(e)}, "eth1 follower step failed");
      if (e instanceof Eth1Error && e.code === Eth1ErrorCode.REORG) await this.rollBack().catch(() => undefined);
      if (!(e instanceof Eth1Error)) this.logger.error({err: e}, "eth1 follower internal error");
    }
    return delay;
  }

  /**
   * Reads the next range of blocks up to the follow distance. Returns true when caught up.
   * Nothing is kept unless the whole step succeeds.
   */
  async step(): Promise<boolean> {
    if (!this.chainChecked) {
      await this.provider.checkChainId(this.config.DEPOSIT_CHAIN_ID);
      this.chainChecked = true;
    }
    const head = await this.provider.blockNumber();
    this.status.headBlock = head;
    const target = head - this.config.ETH1_FOLLOW_DISTANCE;
    if (target < this.nextBlock) {
      // Nothing new: the last followed block must still be on the endpoint's chain (a reorg
      // deeper than the follow distance, or an endpoint that now serves another history).
      const last = this.blocks.at(-1);
      if (last !== undefined) {
        const current = last.number <= head ? await this.provider.getBlock(last.number) : null;
        if (current === null || !bytesEqual(current.hash, last.hash)) {
          throw new Eth1Error(Eth1ErrorCode.REORG, `the followed block ${last.number} ${toHex(last.hash)} is no longer on the endpoint's chain (head ${head})`);
        }
      }
      return true;
    }
    const from = this.nextBlock;
    const to = Math.min(target, from + this.logsBatch - 1);

    // Headers: every block of the range when it is recent enough to be voted for, else the last.
    const recentFrom = target - this.keepBlocks();
    const headers: Eth1BlockHeader[] = [];
    for (let n = Math.max(from, recentFrom); n <= to; n++) headers.push(await this.provider.getBlock(n));
    if (headers.length === 0 || headers[headers.length - 1].number !== to) headers.push(await this.provider.getBlock(to));
    const previous = this.blocks.at(-1);
    if (previous !== undefined && headers[0].number === previous.number + 1 && !bytesEqual(headers[0].parentHash, previous.hash)) {
      throw new Eth1Error(Eth1ErrorCode.REORG, `block ${headers[0].number}'s parent is not the followed block ${previous.number} ${toHex(previous.hash)}`);
    }
    for (let i = 1; i < headers.length; i++) {
      if (headers[i].number === headers[i - 1].number + 1 && !bytesEqual(headers[i].parentHash, headers[i - 1].hash)) {
        throw new Eth1Error(Eth1ErrorCode.REORG, `block ${headers[i].number}'s parent hash does not match block ${headers[i - 1].number}`);
      }
    }
    const byNumber = new Map(headers.map((h) => [h.number, h]));

    const logs = await this.provider.getDepositLogs(from, to);
    const before = this.tree.count;
    try {
      this.applyLogs(logs, byNumber);
      // The contract's own view at the range's last block must equal the tree.
      const [count, root] = [await this.provider.depositCountAt(to), await this.provider.depositRootAt(to)];
      if (count !== this.tree.count) {
        throw new Eth1Error(Eth1ErrorCode.ROOT_MISMATCH, `the contract holds ${count} deposits at block ${to}, the logs gave ${this.tree.count}`);
      }
      const ours = this.tree.root();
      if (!bytesEqual(root, ours)) {
        throw new Eth1Error(Eth1ErrorCode.ROOT_MISMATCH, `get_deposit_root at block ${to} is ${toHex(root)}, the logs give ${toHex(ours)}`);
      }
    } catch (e) {
      this.truncateDeposits(before);
      throw e;
    }

    const newBlocks: FollowedBlock[] = [];
    let di = before;
    for (const h of headers) {
      while (di < this.tree.count && this.depositBlocks[di] <= h.number) di++;
      newBlocks.push({number: h.number, hash: h.hash, parent_hash: h.parentHash, timestamp: h.timestamp, deposit_count: di, deposit_root: this.tree.root(di)});
    }
    this.blocks.push(...newBlocks);
    this.pruneBlocks();
    this.nextBlock = to + 1;
    await this.persist(before);
    this.updateStatusCounts();
    if (logs.length > 0) this.logger.info({fromBlock: from, toBlock: to, newDeposits: logs.length, deposits: this.tree.count}, "eth1 deposits followed");
    return to === target;
  }

  private applyLogs(logs: DepositLog[], headers: Map<number, Eth1BlockHeader>): void {
    for (const log of logs) {
      if (log.index !== this.tree.count) {
        throw new Eth1Error(Eth1ErrorCode.DEPOSIT_GAP, `deposit log with index ${log.index} in block ${log.blockNumber}, expected index ${this.tree.count}`);
      }
      const header = headers.get(log.blockNumber);
      if (header !== undefined && !bytesEqual(header.hash, log.blockHash)) {
        throw new Eth1Error(Eth1ErrorCode.REORG, `deposit log ${log.index} is of block ${toHex(log.blockHash)}, block ${log.blockNumber} is ${toHex(header.hash)}`);
      }
      this.pushDeposit({blockNumber: log.blockNumber, data: log.data});
    }
  }

  private pushDeposit(d: StoredDeposit): void {
    this.tree.push(d.data);
    this.depositBlocks.push(d.blockNumber);
  }

  private truncateDeposits(count: number): void {
    this.tree.truncate(count);
    this.depositBlocks.length = count;
  }

  /** After a reorg: back to the last kept block the endpoint still has, or to the deploy block. */
  private async rollBack(): Promise<void> {
    let keep = this.blocks.length;
    while (keep > 0) {
      const b = this.blocks[keep - 1];
      const current = await this.provider.getBlock(b.number);
      if (bytesEqual(current.hash, b.hash)) break;
      keep--;
    }
    const ancestor = keep > 0 ? this.blocks[keep - 1] : null;
    this.blocks.length = keep;
    this.nextBlock = ancestor === null ? this.deployBlock : ancestor.number + 1;
    const count = ancestor === null ? 0 : ancestor.deposit_count;
    this.truncateDeposits(count);
    await this.persist(count);
    this.updateStatusCounts();
    this.logger.warn({resumeFrom: this.nextBlock, deposits: count}, "eth1 reorg: rolled back");
  }

  /** Blocks that can still be candidates: two follow distances and a voting period, with margin. */
  private keepBlocks(): number {
    const periodSeconds = EPOCHS_PER_ETH1_VOTING_PERIOD * SLOTS_PER_EPOCH * this.config.SECONDS_PER_SLOT;
    const perBlock = Math.max(1, this.config.SECONDS_PER_ETH1_BLOCK);
    return Math.ceil((2 * this.config.ETH1_FOLLOW_DISTANCE * perBlock + periodSeconds) / perBlock) * 2 + 16;
  }

  private pruneBlocks(): void {
    const keep = this.keepBlocks();
    if (this.blocks.length > keep) this.blocks = this.blocks.slice(-keep);
  }

  private async persist(fromIndex: number): Promise<void> {
    if (this.store === null) return;
    const state: FollowerState = {
      deposit_contract: this.provider.depositContract,
      chain_id: this.config.DEPOSIT_CHAIN_ID,
      next_block: this.nextBlock,
      deposit_count: this.tree.count,
      blocks: this.blocks,
    };
    await this.store.save(state, (i) => ({blockNumber: this.depositBlocks[i], data: this.tree.getData(i)}), fromIndex);
  }

  private updateStatusCounts(): void {
    this.status.blockNumber = this.blocks.at(-1)?.number ?? null;
    this.status.depositCount = this.tree.count;
  }

  // ---- Eth1ForProduction ----

  getBlocksByTimestamp(fromTimestamp: number, toTimestamp: number): Eth1Block[] {
    return this.blocks
      .filter((b) => b.timestamp >= fromTimestamp && b.timestamp <= toTimestamp)
      .map((b) => ({timestamp: b.timestamp, eth1Data: {deposit_root: b.deposit_root, deposit_count: b.deposit_count, block_hash: b.hash}}));
  }

  getDeposits(start: number, end: number, eth1Data: Eth1Data): Deposit[] | null {
    const count = eth1Data.deposit_count;
    if (count > this.tree.count || end > count || start > end) return null;
    if (!bytesEqual(this.tree.root(count), eth1Data.deposit_root)) return null;
    const out: Deposit[] = [];
    for (let i = start; i < end; i++) out.push(this.tree.getDeposit(i, count));
    return out;
  }
}
