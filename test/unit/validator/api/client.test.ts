import {strict as assert} from "node:assert";
import {createServer, type IncomingMessage, type Server, type ServerResponse} from "node:http";
import type {AddressInfo} from "node:net";
import {useNetwork} from "../../../../src/params/index.ts";
import {ssz} from "../../../../src/types/index.ts";
import {BeaconApiClient} from "../../../../src/validator/api/client.ts";
import {BeaconApiError, failureLogLevel} from "../../../../src/validator/api/errors.ts";
import {emptyBlock} from "../helpers/fakeBeaconNode.ts";

type Handler = (req: IncomingMessage, body: Buffer, res: ServerResponse) => void;

describe("validator / api: REST client", () => {
  let server: Server;
  let handler: Handler;
  let hits: number;
  let client: BeaconApiClient;

  before(async () => {
    useNetwork("minimal");
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        hits++;
        handler(req, Buffer.concat(chunks), res);
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    useNetwork("mainnet");
  });
  beforeEach(() => {
    hits = 0;
    client = new BeaconApiClient({baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, timeoutMs: 300, retryDelayMs: 1});
  });

  const reply = (status: number, body: unknown, headers: Record<string, string> = {}): Handler => (_req, _b, res) => {
    res.writeHead(status, {"Content-Type": "application/json", ...headers});
    res.end(JSON.stringify(body));
  };

  it("reads genesis, and null while the node answers 404", async () => {
    const gvr = "0x" + "42".repeat(32);
    handler = reply(200, {data: {genesis_time: "1606824023", genesis_validators_root: gvr, genesis_fork_version: "0x00000001"}});
    const g = await client.getGenesis();
    assert.equal(g!.genesisTime, 1606824023);
    assert.equal(g!.genesisValidatorsRoot[0], 0x42);
    assert.deepEqual([...g!.genesisForkVersion], [0, 0, 0, 1]);
    handler = reply(404, {code: 404, message: "Chain genesis info is not yet known"});
    assert.equal(await client.getGenesis(), null);
  });

  it("turns an error answer into a typed error carrying the node's code, message and failures", async () => {
    handler = reply(400, {code: 400, message: "some failed", failures: [{index: 1, message: "bad signature"}]});
    const err = await client.submitAttestations([]).then(
      () => assert.fail("no error"),
      (e: unknown) => e
    );
    assert.ok(err instanceof BeaconApiError);
    assert.equal(err.code, "BEACON_API_HTTP_ERROR");
    assert.equal(err.status, 400);
    assert.equal(err.nodeCode, 400);
    assert.equal(err.nodeMessage, "some failed");
    assert.deepEqual(err.failures, [{index: 1, message: "bad signature"}]);
    assert.equal(err.route, "POST /eth/v2/beacon/pool/attestations");
    assert.equal(hits, 1, "a 4xx is not retried");
  });

  it("retries reads on 5xx, then gives up with the last error", async () => {
    handler = reply(503, {code: 503, message: "busy"});
    await assert.rejects(client.getSyncing(), (e: unknown) => e instanceof BeaconApiError && e.status === 503 && e.nodeMessage === "busy");
    assert.equal(hits, 3, "one try and two retries");
  });

  it("reports a timeout and an unreachable node as distinct retryable errors", async () => {
    handler = () => undefined; // never answers
    await assert.rejects(client.getForkSchedule(), (e: unknown) => e instanceof BeaconApiError && e.code === "BEACON_API_TIMEOUT" && e.retryable);
    // A port that was just free: nothing listens there.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const dead = new BeaconApiClient({baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 1000, retryDelayMs: 1});
    await assert.rejects(dead.getSpec(), (e: unknown) => e instanceof BeaconApiError && e.code === "BEACON_API_UNREACHABLE" && /ECONNREFUSED/.test(e.message));
  });

  it("reports a request cut short by the client's stop as aborted, logged below error level", async () => {
    handler = () => undefined; // never answers
    const controller = new AbortController();
    const stopping = new BeaconApiClient({baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, timeoutMs: 5000, retryDelayMs: 1, signal: controller.signal});
    const pending = stopping.getForkSchedule();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(pending, (e: unknown) => {
      assert.ok(e instanceof BeaconApiError && e.code === "BEACON_API_ABORTED", String(e));
      assert.equal(failureLogLevel(e), "info");
      return true;
    });
    handler = reply(400, {code: 400, message: "bad"});
    await assert.rejects(client.getForkSchedule(), (e: unknown) => failureLogLevel(e) === "error");
    assert.equal(failureLogLevel(new Error("anything else")), "error");
  });

  it("names the field of a malformed answer", async () => {
    handler = reply(200, {dependent_root: "0x" + "00".repeat(32), execution_optimistic: false, data: [{pubkey: "0x" + "aa".repeat(48), validator_index: "1", slot: -1}]});
    await assert.rejects(
      client.getProposerDuties(0),
      (e: unknown) => e instanceof BeaconApiError && e.code === "BEACON_API_BAD_RESPONSE" && /data\[0\]\.slot/.test(e.message)
    );
  });

  it("produces blocks from SSZ or JSON answers and refuses another fork", async () => {
    const block = emptyBlock(5, 3, new Uint8Array(96).fill(7));
    let accept = "";
    handler = (req, _b, res) => {
      accept = String(req.headers.accept);
      res.writeHead(200, {"Content-Type": "application/octet-stream", "Eth-Consensus-Version": "phase0", "Eth-Execution-Payload-Blinded": "false"});
      res.end(ssz.BeaconBlock.serialize(block));
    };
    const fromSsz = await client.produceBlock(5, new Uint8Array(96).fill(7), new Uint8Array(32));
    assert.ok(ssz.BeaconBlock.equals(fromSsz.block, block));
    assert.equal(accept, "application/octet-stream;q=1,application/json;q=0.9");

    handler = reply(200, {version: "phase0", execution_payload_blinded: false, consensus_block_value: "12", data: ssz.BeaconBlock.toJson(block)});
    const fromJson = await client.produceBlock(5, new Uint8Array(96).fill(7), new Uint8Array(32));
    assert.ok(ssz.BeaconBlock.equals(fromJson.block, block));
    assert.equal(fromJson.consensusBlockValue, "12");

    handler = reply(200, {version: "altair", execution_payload_blinded: false, data: {}});
    await assert.rejects(client.produceBlock(5, new Uint8Array(96), new Uint8Array(32)), (e: unknown) => e instanceof BeaconApiError && /altair/.test(e.message));
  });

  it("publishes blocks as SSZ with Eth-Consensus-Version and reports a 202", async () => {
    let seen: {type?: string; version?: string; body?: Buffer} = {};
    handler = (req, body, res) => {
      seen = {type: req.headers["content-type"], version: String(req.headers["eth-consensus-version"]), body};
      res.writeHead(202);
      res.end();
    };
    const signed = {message: emptyBlock(5, 3, new Uint8Array(96)), signature: new Uint8Array(96).fill(1)};
    assert.equal(await client.publishBlock(signed), 202);
    assert.equal(seen.type, "application/octet-stream");
    assert.equal(seen.version, "phase0");
    assert.ok(ssz.SignedBeaconBlock.equals(ssz.SignedBeaconBlock.deserialize(seen.body!), signed));
  });

  it("sends validator ids as pubkeys in POST /validators and reads index and status", async () => {
    let ids: string[] = [];
    handler = (_req, body, res) => {
      ids = (JSON.parse(body.toString()) as {ids: string[]}).ids;
      res.writeHead(200, {"Content-Type": "application/json"});
      res.end(JSON.stringify({data: [{index: "7", balance: "1", status: "active_ongoing", validator: {pubkey: ids[0]}}]}));
    };
    const pk = new Uint8Array(48).fill(0xab);
    assert.deepEqual(await client.getValidatorsByPubkey([pk]), [{index: 7, pubkey: pk, status: "active_ongoing"}]);
    assert.deepEqual(ids, ["0x" + "ab".repeat(48)]);
  });
});
