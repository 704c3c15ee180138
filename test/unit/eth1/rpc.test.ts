/**
 * The JSON-RPC client against answers an execution node should never give: every one is an
 * Eth1Error, whatever the answer's JSON holds.
 */
import {strict as assert} from "node:assert";
import {createServer, type Server} from "node:http";
import type {AddressInfo} from "node:net";
import {Eth1Error, Eth1ErrorCode} from "../../../src/eth1/errors.ts";
import {JsonRpcClient} from "../../../src/eth1/rpc.ts";

describe("eth1 JSON-RPC client", () => {
  let server: Server;
  let url: string;
  let body = "";
  before(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(200, {"content-type": "application/json"}).end(body));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("an error object whose code and message are objects (one with its own toString) is an RPC_ERROR", async () => {
    body = JSON.stringify({jsonrpc: "2.0", id: 1, error: {code: {toString: 0}, message: {toString: 0}}});
    const client = new JsonRpcClient(url, {timeoutMs: 5000});
    await assert.rejects(client.call("eth_chainId"), (e: unknown) => {
      assert.ok(e instanceof Eth1Error);
      assert.equal(e.code, Eth1ErrorCode.RPC_ERROR);
      assert.equal(e.message, 'eth_chainId: error {"toString":0}: {"toString":0}');
      return true;
    });
    client.close();
  });

  it("a plain error keeps its code and message as sent", async () => {
    body = JSON.stringify({jsonrpc: "2.0", id: 1, error: {code: -32000, message: "header not found"}});
    const client = new JsonRpcClient(url, {timeoutMs: 5000});
    await assert.rejects(client.call("eth_getBlockByNumber"), {message: "eth_getBlockByNumber: error -32000: header not found"});
    client.close();
  });
});
