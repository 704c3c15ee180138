/**
 * A small fake execution node (JSON-RPC over HTTP on 127.0.0.1, any free port) whose chain,
 * deposit logs and contract answers the tests control, including wrong ones: another chain id,
 * non-JSON, skipped log indices, a lying get_deposit_root, a reorg.
 */
import {createServer, type Server, type ServerResponse} from "node:http";
import {DEPOSIT_EVENT_TOPIC, GET_DEPOSIT_COUNT_SELECTOR} from "../../../src/eth1/abi.ts";
import {DepositDataTree} from "../../../src/eth1/depositTree.ts";
import {digest} from "../../../src/crypto/index.ts";
import type {DepositData} from "../../../src/types/index.ts";
import {concatBytes, toHex} from "../../../src/util/bytes.ts";

export const CONTRACT = "0x00000000219ab540356cbb839cbe05303d7705fa";

interface Block {
  number: number;
  hash: Uint8Array;
  parentHash: Uint8Array;
  timestamp: number;
}

function word(n: number): Uint8Array {
  const out = new Uint8Array(32);
  new DataView(out.buffer).setBigUint64(24, BigInt(n));
  return out;
}
function le64(n: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n), true);
  return out;
}
/** ABI encoding of a tuple of dynamic `bytes`. */
export function abiBytesTuple(items: Uint8Array[]): Uint8Array {
  const tails = items.map((b) => concatBytes(word(b.length), new Uint8Array(Math.ceil(b.length / 32) * 32).fill(0).map((_, i) => b[i] ?? 0)));
  const head: Uint8Array[] = [];
  let offset = items.length * 32;
  for (const t of tails) {
    head.push(word(offset));
    offset += t.length;
  }
  return concatBytes(...head, ...tails);
}

export function fakeDeposit(i: number): DepositData {
  const seed = digest(le64(i));
  return {pubkey: concatBytes(seed, seed.subarray(0, 16)), withdrawal_credentials: seed, amount: 32_000_000_000, signature: new Uint8Array(96).fill(i % 256)};
}

export class FakeExecution {
  chainId = 1337;
  blocks: Block[] = [];
  deposits: {block: number; data: DepositData}[] = [];
  /** Test hooks that corrupt answers. */
  notJson = false;
  skipLogIndex: number | null = null;
  lieAboutRoot = false;
  /** Answers this late (a slow or hung endpoint). */
  delayMs = 0;
  calls = 0;
  private salt = 0;
  private server: Server | null = null;
  private readonly pending = new Set<NodeJS.Timeout>();
  url = "";

  constructor(blocks = 1) {
    this.addBlocks(blocks);
  }

  addBlocks(n: number, depositsPerBlock = 0): void {
    for (let k = 0; k < n; k++) {
      const number = this.blocks.length;
      const parentHash = number === 0 ? new Uint8Array(32) : this.blocks[number - 1].hash;
      this.blocks.push({number, hash: digest(concatBytes(word(number), word(this.salt))), parentHash, timestamp: 1_000_000 + number * 14});
      for (let d = 0; d < depositsPerBlock; d++) this.deposits.push({block: number, data: fakeDeposit(this.deposits.length + this.salt * 1000)});
    }
  }

  /** Replaces blocks from `from` on with a fork of the same length (new hashes, no deposits there). */
  reorg(from: number): void {
    const length = this.blocks.length;
    this.salt++;
    this.blocks.length = from;
    this.deposits = this.deposits.filter((d) => d.block < from);
    this.addBlocks(length - from);
  }

  private countAt(block: number): number {
    return this.deposits.filter((d) => d.block <= block).length;
  }

  private handle(method: string, params: any[]): unknown {
    const q = (n: number): string => "0x" + n.toString(16);
    switch (method) {
      case "eth_chainId":
        return q(this.chainId);
      case "eth_blockNumber":
        return q(this.blocks.length - 1);
      case "eth_getBlockByNumber": {
        const tag = params[0] as string;
        const b = tag === "latest" ? this.blocks.at(-1) : this.blocks[Number(tag)];
        if (b === undefined) return null;
        return {number: q(b.number), hash: toHex(b.hash), parentHash: toHex(b.parentHash), timestamp: q(b.timestamp)};
      }
      case "eth_getLogs": {
        const {fromBlock, toBlock} = params[0] as {fromBlock: string; toBlock: string};
        const out = [];
        for (let i = 0; i < this.deposits.length; i++) {
          const d = this.deposits[i];
          if (d.block < Number(fromBlock) || d.block > Number(toBlock) || i === this.skipLogIndex) continue;
          const data = abiBytesTuple([d.data.pubkey, d.data.withdrawal_credentials, le64(d.data.amount), d.data.signature, le64(i)]);
          out.push({address: CONTRACT, topics: [toHex(DEPOSIT_EVENT_TOPIC)], data: toHex(data), blockNumber: q(d.block), blockHash: toHex(this.blocks[d.block].hash), logIndex: q(i), removed: false});
        }
        return out;
      }
      case "eth_call": {
        const block = Number(params[1]);
        const count = this.countAt(block);
        if (params[0].data === toHex(GET_DEPOSIT_COUNT_SELECTOR)) return toHex(abiBytesTuple([le64(count)]));
        const tree = new DepositDataTree();
        for (const d of this.deposits.slice(0, count)) tree.push(d.data);
        const root = tree.root();
        if (this.lieAboutRoot) root[0] ^= 1;
        return toHex(root);
      }
      default:
        throw new Error(`unsupported method ${method}`);
    }
  }

  /** Listens on `port` (0: any free port; a restart passes the old one). */
  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        this.calls++;
        const timer = setTimeout(() => {
          this.pending.delete(timer);
          this.answer(body, res);
        }, this.delayMs);
        this.pending.add(timer);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, "127.0.0.1", resolve));
    const addr = this.server.address() as {port: number};
    this.url = `http://127.0.0.1:${addr.port}`;
    return this.url;
  }

  private answer(body: string, res: ServerResponse): void {
    if (this.notJson) {
      res.writeHead(200, {"content-type": "text/html"}).end("<html>502 Bad Gateway</html>");
      return;
    }
    const r = JSON.parse(body) as {id: number; method: string; params: any[]};
    let answer: unknown;
    try {
      answer = {jsonrpc: "2.0", id: r.id, result: this.handle(r.method, r.params)};
    } catch (e) {
      answer = {jsonrpc: "2.0", id: r.id, error: {code: -32601, message: (e as Error).message}};
    }
    res.writeHead(200, {"content-type": "application/json"}).end(JSON.stringify(answer));
  }

  async stop(): Promise<void> {
    for (const t of this.pending) clearTimeout(t);
    this.pending.clear();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server === null ? resolve() : this.server.close(() => resolve())));
  }
}
