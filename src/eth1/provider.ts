/**
 * The execution node as the eth1 follower sees it: chain id, blocks, DepositEvent logs and the
 * contract's own view (get_deposit_count, get_deposit_root) at a block. Every answer is decoded
 * and checked here; callers get typed values or an Eth1Error.
 */
import {toHex} from "../util/bytes.ts";
import {decodeDepositCount, decodeDepositEvent, decodeDepositRoot, DEPOSIT_EVENT_TOPIC, GET_DEPOSIT_COUNT_SELECTOR, GET_DEPOSIT_ROOT_SELECTOR, isDepositEventTopic, type DepositEventData} from "./abi.ts";
import {Eth1Error, Eth1ErrorCode} from "./errors.ts";
import {data, JsonRpcClient, object, quantity, toQuantity} from "./rpc.ts";

export interface Eth1BlockHeader {
  number: number;
  hash: Uint8Array;
  parentHash: Uint8Array;
  timestamp: number;
}

export interface DepositLog extends DepositEventData {
  blockNumber: number;
  blockHash: Uint8Array;
}

export class Eth1Provider {
  readonly rpc: JsonRpcClient;
  readonly depositContract: Uint8Array;

  constructor(rpc: JsonRpcClient, depositContract: Uint8Array) {
    this.rpc = rpc;
    this.depositContract = depositContract;
  }

  async chainId(): Promise<number> {
    return quantity(await this.rpc.call("eth_chainId"), "eth_chainId");
  }

  /** Fails with WRONG_CHAIN unless the node serves `expected` (the config's DEPOSIT_CHAIN_ID). */
  async checkChainId(expected: number): Promise<void> {
    const id = await this.chainId();
    if (id !== expected) throw new Eth1Error(Eth1ErrorCode.WRONG_CHAIN, `the execution node serves chain id ${id}, the config's DEPOSIT_CHAIN_ID is ${expected}`);
  }

  async blockNumber(): Promise<number> {
    return quantity(await this.rpc.call("eth_blockNumber"), "eth_blockNumber");
  }

  async getBlock(n: number | "latest"): Promise<Eth1BlockHeader> {
    const tag = n === "latest" ? n : toQuantity(n);
    const raw = await this.rpc.call("eth_getBlockByNumber", [tag, false]);
    if (raw === null) throw new Eth1Error(Eth1ErrorCode.BAD_RESULT, `eth_getBlockByNumber(${tag}): no such block`);
    const b = object(raw, "block");
    const block = {
      number: quantity(b.number, "block.number"),
      hash: data(b.hash, "block.hash", 32),
      parentHash: data(b.parentHash, "block.parentHash", 32),
      timestamp: quantity(b.timestamp, "block.timestamp"),
    };
    if (n !== "latest" && block.number !== n) throw new Eth1Error(Eth1ErrorCode.BAD_RESULT, `asked for block ${n}, got block ${block.number}`);
    return block;
  }

  /** DepositEvent logs of the contract in blocks [from, to], in chain order. */
  async getDepositLogs(from: number, to: number): Promise<DepositLog[]> {
    const raw = await this.rpc.call("eth_getLogs", [
      {address: toHex(this.depositContract), topics: [toHex(DEPOSIT_EVENT_TOPIC)], fromBlock: toQuantity(from), toBlock: toQuantity(to)},
    ]);
    if (!Array.isArray(raw)) throw new Eth1Error(Eth1ErrorCode.BAD_RESULT, `eth_getLogs: expected an array, got ${JSON.stringify(raw)?.slice(0, 80)}`);
    const logs: (DepositLog & {logIndex: number})[] = [];
    for (const item of raw) {
      const l = object(item, "log");
      if (l.removed === true) throw new Eth1Error(Eth1ErrorCode.REORG, "eth_getLogs returned a removed (reorged) log");
      const topics = Array.isArray(l.topics) ? l.topics : [];
      if (topics.length === 0 || !isDepositEventTopic(data(topics[0], "log.topics[0]", 32))) continue;
      const address = data(l.address, "log.address", 20);
      if (toHex(address) !== toHex(this.depositContract)) throw new Eth1Error(Eth1ErrorCode.BAD_RESULT, `eth_getLogs returned a log of ${toHex(address)}, not of the deposit contract`);
      const blockNumber = quantity(l.blockNumber, "log.blockNumber");
      if (blockNumber < from || blockNumber > to) throw new Eth1Error(Eth1ErrorCode.BAD_RESULT, `eth_getLogs(${from}..${to}) returned a log of block ${blockNumber}`);
      logs.push({
        ...decodeDepositEvent(data(l.data, "log.data")),
        blockNumber,
        blockHash: data(l.blockHash, "log.blockHash", 32),
        logIndex: quantity(l.logIndex, "log.logIndex"),
      });
    }
    logs.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
    return logs.map(({logIndex: _, ...log}) => log);
  }

  async depositCountAt(block: number): Promise<number> {
    return decodeDepositCount(await this.callContract(GET_DEPOSIT_COUNT_SELECTOR, block));
  }

  async depositRootAt(block: number): Promise<Uint8Array> {
    return decodeDepositRoot(await this.callContract(GET_DEPOSIT_ROOT_SELECTOR, block));
  }

  private async callContract(calldata: Uint8Array, block: number): Promise<Uint8Array> {
    return data(await this.rpc.call("eth_call", [{to: toHex(this.depositContract), data: toHex(calldata)}, toQuantity(block)]), "eth_call");
  }
}
