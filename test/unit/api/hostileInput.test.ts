/**
 * Hostile requests found by fuzzing: each is answered quickly with a 4xx in the `{code, message}`
 * shape, never a 500, never an echo of the input, and never by freezing the node.
 */
import {strict as assert} from "node:assert";
import {connect} from "node:net";
import type {ApiServer} from "../../../src/api/index.ts";
import type {DevChain} from "./helpers/devChain.ts";
import {listeningApi, type ListeningApi} from "./helpers/listening.ts";
import {assertError, post, request} from "./helpers/http.ts";

const EXIT = {message: {epoch: "1", validator_index: "1"}, signature: "0x" + "00".repeat(96)};

/** `["0", [[[...]]]]` nested `depth` deep, as text: JSON.stringify itself cannot write it. */
function nestedIdList(depth: number): string {
  return `["0",${"[".repeat(depth)}${"]".repeat(depth)}]`;
}

const postText = (app: ApiServer["app"], route: string, body: string) =>
  request(app, "POST", route, {body, headers: {"content-type": "application/json"}});

/** Sends `raw` bytes on a socket and resolves with everything the server wrote back. */
function rawExchange(url: string, raw: string | Buffer): Promise<string> {
  const {hostname, port} = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on("data", (c) => chunks.push(c));
    socket.on("error", () => resolve(Buffer.concat(chunks).toString()));
    socket.on("close", () => resolve(Buffer.concat(chunks).toString()));
    socket.setTimeout(20_000, () => reject(new Error("no answer")));
    socket.write(raw);
  });
}

function parseRawResponse(text: string): {status: number; body: any} {
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
  const body = text.slice(text.indexOf("\r\n\r\n") + 4);
  return {status, body: JSON.parse(body)};
}

describe("api: hostile input", function () {
  this.timeout(60_000);
  let api: ListeningApi;
  let dev: DevChain;
  let server: ApiServer;
  let url: string;

  before(async () => {
    api = await listeningApi();
    ({dev, server, url} = api);
  });
  after(() => api.close());

  describe("hex fields of megabytes (stack overflow in the hex check: a 500 before)", () => {
    const hugeSig = "0x" + "ab".repeat(4_500_000);
    for (const [route, body] of [
      ["/eth/v1/beacon/pool/voluntary_exits", {...EXIT, signature: hugeSig}],
      [
        "/eth/v1/beacon/pool/proposer_slashings",
        {signed_header_1: {message: {}, signature: hugeSig}, signed_header_2: {message: {}, signature: hugeSig}},
      ],
    ] as const) {
      it(`${route}: a 4xx in the standard shape`, async () => {
        const res = await request(server.app, "POST", route, {body: JSON.stringify(body), headers: {"content-type": "application/json"}});
        assert.ok(res.status === 400 || res.status === 413, `status ${res.status}`);
        assertError(res, res.status);
        assert.ok(res.body.message.length < 300, "the message does not echo the input");
      });
    }

    it("a block's body is bounded by the largest block the spec allows (413 without parsing)", async () => {
      const body = JSON.stringify({message: {}, signature: "0x" + "ab".repeat(2_000_000)});
      const res = await request(server.app, "POST", "/eth/v2/beacon/blocks", {body, headers: {"content-type": "application/json"}});
      assertError(res, 413, /at most \d+ bytes/);
    });

    it("a hex field within the body limit but of the wrong length is a 400 naming the field", async () => {
      const res = await post(server.app, "/eth/v1/beacon/pool/voluntary_exits", {...EXIT, signature: "0x" + "ab".repeat(1000)});
      assertError(res, 400, /^signature: expected 96 bytes of hex, got 1000$/);
    });
  });

  describe("id lists holding deeply nested JSON (stack overflow while building the message: a 500 before)", () => {
    const deep = nestedIdList(10_000);
    for (const route of [
      "/eth/v1/beacon/states/head/validator_balances",
      "/eth/v1/validator/duties/attester/0",
      "/eth/v1/validator/liveness/0",
    ]) {
      it(`${route}: 400 before parsing`, async () => {
        assertError(await postText(server.app, route, deep), 400, /^Malformed JSON body: nested deeper than 32 levels$/);
      });
    }
    it("/eth/v1/beacon/states/head/validators: 400 before parsing", async () => {
      assertError(await postText(server.app, "/eth/v1/beacon/states/head/validators", `{"ids":${deep}}`), 400, /nested deeper than 32 levels$/);
    });
    it("nesting within the bound still reaches the endpoint, which names the item", async () => {
      assertError(await postText(server.app, "/eth/v1/beacon/states/head/validator_balances", nestedIdList(20)), 400, /\[1\]: expected a string, got an array$/);
    });
    it("a block nested 200,000 deep (within the block's body limit) is refused unparsed", async () => {
      assertError(await postText(server.app, "/eth/v2/beacon/blocks", nestedIdList(200_000)), 400, /nested deeper than 32 levels$/);
    });
  });

  describe("absurd sizes and numbers are refused early and cheaply", () => {
    it("attester duties for millions of indices: 413 from Content-Length alone", async () => {
      const body = JSON.stringify(Array.from({length: 2_600_000}, (_, i) => String(i % 64)));
      const res = await request(server.app, "POST", "/eth/v1/validator/duties/attester/0", {body, headers: {"content-type": "application/json"}});
      assertError(res, 413);
    });

    it("an upload refused from its Content-Length gets its 413 without a connection reset while it goes on sending", async () => {
      const {hostname, port} = new URL(url);
      const outcome = await new Promise<{answer: string; reset: boolean}>((resolve) => {
        const socket = connect(Number(port), hostname);
        let answer = "";
        let reset = false;
        socket.on("data", (d) => {
          answer += d.toString();
          // The client learns of the refusal and sends some more, as a client mid-upload does.
          if (socket.writable) socket.write(Buffer.alloc(1 << 20, 0x39));
        });
        socket.on("error", (e: NodeJS.ErrnoException) => (reset ||= e.code === "ECONNRESET" || e.code === "EPIPE"));
        socket.on("close", () => resolve({answer, reset}));
        socket.write(`POST /eth/v1/beacon/pool/voluntary_exits HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\nConnection: close\r\n\r\n`);
        socket.write(Buffer.alloc(64 * 1024, 0x39));
      });
      assert.match(outcome.answer, /^HTTP\/1\.1 413 /);
      assert.match(outcome.answer, /\{"code":413,"message":"Request body is too large for this endpoint \(at most \d+ bytes\)"\}$/);
      assert.equal(outcome.reset, false, "the connection was reset");
    });

    it("an id list within the body limit but longer than the registry allows: 400", async () => {
      const res = await post(server.app, "/eth/v1/validator/duties/attester/0", Array.from({length: 2000}, () => "1"));
      assertError(res, 400, /2000 items, more than the 1088 allowed/);
    });

    it("attester duties for a long list come in chunks and equal the chain's answer for the whole list", async () => {
      const indices = Array.from({length: 1000}, (_, i) => (i * 7) % 100);
      const res = await post(server.app, "/eth/v1/validator/duties/attester/0", indices.map(String));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const whole = await dev.chain.getAttesterDuties(0, indices);
      assert.equal(res.body.data.length, whole.duties.length);
      assert.ok(whole.duties.length > 512, `${whole.duties.length} duties: more than one chunk`);
      assert.deepEqual(
        res.body.data.map((d: {validator_index: string; slot: string}) => `${d.validator_index}@${d.slot}`),
        whole.duties.map((d) => `${d.validatorIndex}@${d.slot}`)
      );
    });

    it("a chunked body without Content-Length is cut off at the endpoint's limit", async () => {
      const chunk = "0".repeat(64 * 1024);
      const head = "POST /eth/v1/beacon/pool/voluntary_exits HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
      const chunks = Array.from({length: 8}, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`).join("");
      const res = parseRawResponse(await rawExchange(url, head + chunks + "0\r\n\r\n"));
      assert.equal(res.status, 413);
      assert.equal(res.body.code, 413);
    });

    it("a voluntary exit whose epoch has ten million digits: 400 that does not echo the number", async () => {
      const started = performance.now();
      const res = await post(server.app, "/eth/v1/beacon/pool/voluntary_exits", {...EXIT, message: {...EXIT.message, epoch: "9".repeat(10_000_000)}});
      assert.ok(res.status === 400 || res.status === 413, `status ${res.status}`);
      assertError(res, res.status);
      assert.ok(res.body.message.length < 300, `message of ${res.body.message.length} characters`);
      // Not a timing assertion on the answer: a generous bound that only a quadratic decode breaks.
      assert.ok(performance.now() - started < 5000);
    });

    it("an epoch of a million digits inside the limit of its endpoint: 400 without the number", async () => {
      const res = await post(server.app, "/eth/v1/validator/liveness/" + "9".repeat(60_000), ["1"]);
      assertError(res, 400, /^Invalid epoch: 9{80}\.\.\. is out of range$/);
      const res2 = await post(server.app, "/eth/v1/beacon/pool/voluntary_exits", {...EXIT, message: {...EXIT.message, epoch: "0".repeat(30_000) + "1"}});
      assert.notEqual(res2.status, 500);
      assert.doesNotMatch(res2.body.message ?? "", /0{100}/);
    });

    it("an aggregate whose epochs have 100,000 digits: per-item 400s, no 500", async () => {
      const digits = "7".repeat(100_000);
      const agg = {
        message: {
          aggregator_index: "1",
          aggregate: {
            aggregation_bits: "0x01",
            data: {slot: "1", index: "0", beacon_block_root: "0x" + "00".repeat(32), source: {epoch: digits, root: "0x" + "00".repeat(32)}, target: {epoch: digits, root: "0x" + "00".repeat(32)}},
            signature: "0x" + "00".repeat(96),
          },
          selection_proof: "0x" + "00".repeat(96),
        },
        signature: "0x" + "00".repeat(96),
      };
      const res = await post(server.app, "/eth/v1/validator/aggregate_and_proofs", [agg, agg]);
      assertError(res, 400);
      assert.deepEqual(res.body.failures.map((f: {index: number}) => f.index), [0, 1]);
      assert.match(res.body.failures[0].message, /source\.epoch: "7{40}\.\.\." does not fit in uint64/);
    });
  });

  describe("the HTTP layer's own errors leave as {code, message}", () => {
    it("bad percent-encoding in a path", async () => {
      const res = await request(server.app, "GET", "/eth/v1/beacon/states/%E0%A4%A/root");
      assertError(res, 400, /percent-encoding/);
      assert.equal(Object.keys(res.body).sort().join(","), "code,message");
    });

    it("a path parameter over 64 KiB", async () => {
      const res = await request(server.app, "GET", "/eth/v1/beacon/states/" + "a".repeat(70_000) + "/root");
      assert.ok(res.status >= 400 && res.status < 500);
      assertError(res, res.status);
      assert.equal(Object.keys(res.body).sort().join(","), "code,message");
      assert.ok(res.body.message.length < 300);
    });

    it("a malformed request line", async () => {
      const res = parseRawResponse(await rawExchange(url, "GARBAGE\r\n\r\n"));
      assert.deepEqual(res.body, {code: 400, message: res.body.message});
      assert.equal(res.status, 400);
    });

    it("a malformed header", async () => {
      const res = parseRawResponse(await rawExchange(url, "GET /eth/v1/node/version HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n"));
      assert.equal(res.status, 400);
      assert.deepEqual(Object.keys(res.body).sort(), ["code", "message"]);
    });

    it("headers over the size limit", async () => {
      const res = parseRawResponse(await rawExchange(url, `GET /eth/v1/node/version HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(1_100_000)}\r\n\r\n`));
      assert.equal(res.status, 431);
      assert.deepEqual(res.body, {code: 431, message: "Request headers are too large"});
    });

    it("an unknown route does not echo a long path", async () => {
      const res = await request(server.app, "GET", "/x/" + "b".repeat(10_000));
      assertError(res, 404);
      assert.ok(res.body.message.length < 300);
    });
  });
});
