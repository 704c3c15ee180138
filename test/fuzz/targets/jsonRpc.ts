/**
 * JSON-RPC responses of an execution node (src/eth1/rpc.ts and provider.ts), served by a tiny
 * HTTP server on 127.0.0.1:0 because the client parses the body inside its HTTP call. Oracle:
 * well-formed responses written here (quantities, blocks, eth_call results, DepositEvent logs
 * ABI-encoded as the eth1 tests' fake execution node does) decode to exactly the values they
 * carry; mutated bodies (bytes changed, fields replaced by arbitrary JSON, error objects, wrong
 * ids) give a value or an Eth1Error, never another exception and never a hang.
 */
import fc from "fast-check";
import {createServer, type Server} from "node:http";
import type {AddressInfo} from "node:net";
import {keccak_256} from "@noble/hashes/sha3.js";
import {Eth1Error} from "../../../src/eth1/errors.ts";
import {Eth1Provider} from "../../../src/eth1/provider.ts";
import {JsonRpcClient} from "../../../src/eth1/rpc.ts";
import {abiBytesTuple} from "../../unit/eth1/fakeExecution.ts";
import {hexOf, mutatedText, type InProcessTarget} from "../target.ts";

const CONTRACT = Uint8Array.from({length: 20}, (_, i) => 0x40 + i);
const DEPOSIT_TOPIC = keccak_256(new TextEncoder().encode("DepositEvent(bytes,bytes,bytes,bytes,bytes)"));

type Call =
  | {method: "chainId" | "blockNumber"}
  | {method: "getBlock"; n: number}
  | {method: "getDepositLogs"; from: number; to: number}
  | {method: "depositCountAt" | "depositRootAt"; block: number};

interface RpcInput {
  call: Call;
  body: string;
  /** What the provider must return, as canonical JSON, for bodies from the producer; null for mutated ones. */
  expected: string | null;
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const q = (n: number): string => "0x" + n.toString(16);
const bytes = (n: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({minLength: n, maxLength: n});

/** Uint8Arrays as hex, so that a value and its expectation compare as strings. */
function canon(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (x instanceof Uint8Array ? hexOf(x) : typeof x === "bigint" ? x.toString() : x));
}

function response(result: unknown): string {
  return JSON.stringify({jsonrpc: "2.0", id: 1, result});
}

function le64(n: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n), true);
  return b;
}

const quantityCase = fc.tuple(fc.constantFrom("chainId" as const, "blockNumber" as const), fc.nat({max: MAX_SAFE})).map(([method, n]) => ({call: {method} as Call, result: q(n) as unknown, expected: n as unknown}));

const blockCase = fc.record({n: fc.nat({max: MAX_SAFE}), hash: bytes(32), parentHash: bytes(32), timestamp: fc.nat({max: MAX_SAFE}), extra: fc.dictionary(fc.string({maxLength: 8}), fc.jsonValue({maxDepth: 1}), {maxKeys: 3})}).map((b) => ({
  call: {method: "getBlock", n: b.n} as Call,
  result: {...b.extra, number: q(b.n), hash: hexOf(b.hash), parentHash: hexOf(b.parentHash), timestamp: q(b.timestamp)} as unknown,
  expected: {number: b.n, hash: b.hash, parentHash: b.parentHash, timestamp: b.timestamp} as unknown,
}));

const logArb = fc.record({pubkey: bytes(48), withdrawal_credentials: bytes(32), amount: fc.nat({max: MAX_SAFE}), signature: bytes(96), index: fc.nat({max: MAX_SAFE}), blockOffset: fc.nat({max: 20}), blockHash: bytes(32), logIndex: fc.nat({max: 1000})});
const logsCase = fc.tuple(fc.nat({max: 1_000_000}), fc.array(logArb, {maxLength: 4})).map(([from, logs]) => {
  const to = from + 20;
  const result = logs.map((l) => ({
    address: hexOf(CONTRACT),
    topics: [hexOf(DEPOSIT_TOPIC)],
    data: hexOf(abiBytesTuple([l.pubkey, l.withdrawal_credentials, le64(l.amount), l.signature, le64(l.index)])),
    blockNumber: q(from + l.blockOffset),
    blockHash: hexOf(l.blockHash),
    logIndex: q(l.logIndex),
    removed: false,
  }));
  const expected = [...logs]
    .sort((a, b) => a.blockOffset - b.blockOffset || a.logIndex - b.logIndex)
    .map((l) => ({data: {pubkey: l.pubkey, withdrawal_credentials: l.withdrawal_credentials, amount: l.amount, signature: l.signature}, index: l.index, blockNumber: from + l.blockOffset, blockHash: l.blockHash}));
  return {call: {method: "getDepositLogs", from, to} as Call, result: result as unknown, expected: expected as unknown};
});

const contractCase = fc.oneof(
  fc.tuple(fc.nat({max: 1_000_000}), fc.nat({max: MAX_SAFE})).map(([block, count]) => ({call: {method: "depositCountAt", block} as Call, result: hexOf(abiBytesTuple([le64(count)])) as unknown, expected: count as unknown})),
  fc.tuple(fc.nat({max: 1_000_000}), bytes(32)).map(([block, root]) => ({call: {method: "depositRootAt", block} as Call, result: hexOf(root) as unknown, expected: root as unknown}))
);

const validCase = fc.oneof(quantityCase, blockCase, logsCase, contractCase);

/** Replaces the value at a random place in the result (or the result itself) with arbitrary JSON, or drops it. */
function replaceSomewhere(result: unknown, pick: number, replacement: unknown, drop: boolean): unknown {
  const places: {parent: Record<string, unknown> | unknown[]; key: string | number}[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach((x, i) => (places.push({parent: v, key: i}), walk(x)));
    else if (typeof v === "object" && v !== null) for (const [k, x] of Object.entries(v)) (places.push({parent: v as Record<string, unknown>, key: k}), walk(x));
  };
  const copy = structuredClone(result);
  walk(copy);
  if (places.length === 0 || pick % (places.length + 1) === places.length) return replacement;
  const {parent, key} = places[pick % (places.length + 1)];
  if (drop && !Array.isArray(parent)) delete (parent as Record<string, unknown>)[key as string];
  else (parent as Record<string | number, unknown>)[key] = replacement;
  return copy;
}

const arbitrary: fc.Arbitrary<RpcInput> = validCase.chain((c) => {
  const body = response(c.result);
  return fc.oneof(
    {arbitrary: fc.constant({call: c.call, body, expected: canon(c.expected) as string | null}), weight: 2},
    {arbitrary: mutatedText(body).map((b) => ({call: c.call, body: b, expected: null})), weight: 3},
    {
      arbitrary: fc.tuple(fc.nat(), fc.jsonValue({maxDepth: 2}), fc.boolean()).map(([pick, v, drop]) => ({call: c.call, body: response(replaceSomewhere(c.result, pick, v, drop)), expected: null})),
      weight: 3,
    },
    {
      arbitrary: fc
        .oneof(
          fc.jsonValue({maxDepth: 2}).map((id) => JSON.stringify({jsonrpc: "2.0", id, result: c.result})),
          fc.record({code: fc.jsonValue({maxDepth: 1}), message: fc.jsonValue({maxDepth: 1})}).map((error) => JSON.stringify({jsonrpc: "2.0", id: 1, error})),
          fc.jsonValue({maxDepth: 3}).map((v) => JSON.stringify(v)),
          fc.string({maxLength: 64})
        )
        .map((b) => ({call: c.call, body: b, expected: null})),
      weight: 2,
    }
  );
});

let server: Promise<{url: string; serve(body: string): void}> | undefined;

/** One loopback server for the process, unreferenced so it never holds a run open; it answers every request with the current body. */
function rpcServer(): Promise<{url: string; serve(body: string): void}> {
  server ??= new Promise((resolve, reject) => {
    let current = "";
    const s: Server = createServer((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(200, {"content-type": "application/json"}).end(current));
    });
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      s.unref();
      resolve({url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, serve: (b) => (current = b)});
    });
  });
  return server;
}

async function invoke(provider: Eth1Provider, call: Call): Promise<unknown> {
  switch (call.method) {
    case "chainId":
      return provider.chainId();
    case "blockNumber":
      return provider.blockNumber();
    case "getBlock":
      return provider.getBlock(call.n);
    case "getDepositLogs":
      return provider.getDepositLogs(call.from, call.to);
    case "depositCountAt":
      return provider.depositCountAt(call.block);
    case "depositRootAt":
      return provider.depositRootAt(call.block);
  }
}

export function jsonRpcTarget(): InProcessTarget<RpcInput> {
  return {
    name: "jsonrpc",
    description: "execution-node JSON-RPC answers: exact values for well-formed ones, an Eth1Error for the rest",
    arbitrary,
    async check({call, body, expected}) {
      const srv = await rpcServer();
      srv.serve(body);
      // A fresh client numbers its first request 1, the id the producer's bodies carry.
      const client = new JsonRpcClient(srv.url, {timeoutMs: 30_000});
      let value: unknown;
      try {
        value = await invoke(new Eth1Provider(client, CONTRACT), call);
      } catch (e) {
        if (expected !== null) return `a well-formed answer was refused: ${(e as Error).message}`;
        return e instanceof Eth1Error ? null : `${call.method} threw ${(e as Error).constructor.name}: ${(e as Error).message}`;
      } finally {
        client.close();
      }
      if (expected !== null && canon(value) !== expected) return `${call.method} decoded ${canon(value).slice(0, 200)}, sent ${expected.slice(0, 200)}`;
      return null;
    },
    show: ({call, body}) => ({call, body}),
  };
}
