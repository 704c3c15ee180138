import {strict as assert} from "node:assert";
import {createApiServer, type ApiServer} from "../../../src/api/index.ts";
import {interopPubkey} from "../../../src/crypto/index.ts";
import {useNetwork} from "../../../src/params/index.ts";
import {ssz} from "../../../src/types/index.ts";
import {toHex} from "../../../src/util/bytes.ts";
import {createDevChain, type DevChain} from "./helpers/devChain.ts";
import {assertError, get, post, request} from "./helpers/http.ts";

/** Every route the server has, with sample ids, for the bad-input sweep. */
const GET_ROUTES = [
  "/eth/v1/node/version",
  "/eth/v2/node/version",
  "/eth/v1/node/health",
  "/eth/v1/node/syncing",
  "/eth/v1/node/identity",
  "/eth/v1/node/peers",
  "/eth/v1/node/peers/{peer}",
  "/eth/v1/node/peer_count",
  "/eth/v1/config/spec",
  "/eth/v1/config/fork_schedule",
  "/eth/v1/config/deposit_contract",
  "/eth/v1/beacon/genesis",
  "/eth/v1/beacon/states/{state}/root",
  "/eth/v1/beacon/states/{state}/fork",
  "/eth/v1/beacon/states/{state}/finality_checkpoints",
  "/eth/v1/beacon/states/{state}/validators",
  "/eth/v1/beacon/states/{state}/validators/{validator}",
  "/eth/v1/beacon/states/{state}/validator_balances",
  "/eth/v1/beacon/states/{state}/committees",
  "/eth/v1/beacon/states/{state}/randao",
  "/eth/v1/beacon/headers",
  "/eth/v1/beacon/headers/{block}",
  "/eth/v2/beacon/blocks/{block}",
  "/eth/v1/beacon/blocks/{block}/root",
  "/eth/v2/beacon/blocks/{block}/attestations",
  "/eth/v2/beacon/pool/attestations",
  "/eth/v2/beacon/pool/attester_slashings",
  "/eth/v1/beacon/pool/proposer_slashings",
  "/eth/v1/beacon/pool/voluntary_exits",
  "/eth/v1/validator/duties/proposer/{epoch}",
  "/eth/v3/validator/blocks/{slot}",
  "/eth/v2/validator/blocks/{slot}",
  "/eth/v1/validator/blocks/{slot}",
  "/eth/v1/validator/attestation_data",
  "/eth/v2/validator/aggregate_attestation",
  "/eth/v1/validator/aggregate_attestation",
  "/eth/v2/debug/beacon/states/{state}",
  "/eth/v2/debug/beacon/heads",
  "/eth/v1/debug/fork_choice",
];
const POST_ROUTES = [
  "/eth/v1/beacon/states/{state}/validators",
  "/eth/v1/beacon/states/{state}/validator_balances",
  "/eth/v2/beacon/blocks",
  "/eth/v1/beacon/blocks",
  "/eth/v2/beacon/pool/attestations",
  "/eth/v1/beacon/pool/attestations",
  "/eth/v2/beacon/pool/attester_slashings",
  "/eth/v1/beacon/pool/proposer_slashings",
  "/eth/v1/beacon/pool/voluntary_exits",
  "/eth/v1/validator/duties/attester/{epoch}",
  "/eth/v2/validator/aggregate_and_proofs",
  "/eth/v1/validator/aggregate_and_proofs",
  "/eth/v1/validator/beacon_committee_subscriptions",
  "/eth/v1/validator/liveness/{epoch}",
];

const BAD_IDS = ["-1", "12abc", "0x", "0x" + "zz".repeat(32), "1e9", "%00", "head%20", "99999999999999999999999", "0x" + "ab".repeat(33), "null"];
const BAD_QUERIES = [
  "",
  "?slot=-1",
  "?slot=abc&committee_index=1.5",
  "?id=,,,x",
  "?status=alive",
  "?epoch=18446744073709551616",
  "?randao_reveal=0x00&graffiti=zz",
  "?attestation_data_root=0x12&slot=1&committee_index=1",
  "?slot=1&slot=2",
  "?state=up&direction=sideways",
  "?syncing_status=1000",
  "?parent_root=1",
];
const BAD_BODIES: {body: string | Uint8Array; type?: string}[] = [
  {body: "{", type: "application/json"},
  {body: "null", type: "application/json"},
  {body: "[1,2,3]", type: "application/json"},
  {body: '{"message":{"slot":"-1"}}', type: "application/json"},
  {body: '[{"aggregation_bits":"0x","data":{},"signature":"0x"}]', type: "application/json"},
  {body: '["12abc"]', type: "application/json"},
  {body: '"string"', type: "application/json"},
  {body: "[]", type: "application/json"},
  {body: new Uint8Array([0xff, 0xff, 0xff, 0xff, 1, 2, 3]), type: "application/octet-stream"},
  {body: new Uint8Array(0), type: "application/octet-stream"},
  {body: "a=b", type: "application/x-www-form-urlencoded"},
  {body: '{"ids": "1"}'},
];

describe("api: server behaviour and bad input", function () {
  let dev: DevChain;
  let server: ApiServer;

  before(async () => {
    dev = await createDevChain();
    await dev.advanceTo(1);
    await dev.proposeBlock(1);
    server = createApiServer(dev.chain);
  });
  after(async () => {
    await server.close();
    await dev.close();
    useNetwork("mainnet");
  });

  it("answers unknown routes with a JSON 404", async () => {
    assertError(await get(server.app, "/eth/v1/beacon/nothing"), 404, /not found/);
    assertError(await request(server.app, "POST", "/eth/v1/node/version"), 404);
  });

  it("negotiates SSZ only where offered, and answers 406 when nothing acceptable is offered", async () => {
    const block = "/eth/v2/beacon/blocks/head";
    for (const accept of ["application/octet-stream", "application/octet-stream;q=1,application/json;q=0.9", "application/json;q=0.5, application/octet-stream"]) {
      assert.equal((await get(server.app, block, {accept})).headers["content-type"], "application/octet-stream", accept);
    }
    for (const accept of ["application/json", "*/*", "application/json;q=1,application/octet-stream;q=0.9", "text/html, */*;q=0.1"]) {
      assert.match(String((await get(server.app, block, {accept})).headers["content-type"]), /^application\/json/, accept);
    }
    assertError(await get(server.app, block, {accept: "text/plain"}), 406);
    assertError(await get(server.app, "/eth/v1/beacon/genesis", {accept: "application/octet-stream"}), 406);
    assert.equal((await get(server.app, "/eth/v1/beacon/genesis", {accept: "application/octet-stream;q=1,application/json;q=0.9"})).status, 200);
  });

  it("reads JSON bodies with a charset or without Content-Type, and refuses other types with 415", async () => {
    const url = "/eth/v1/validator/liveness/0";
    assert.equal((await request(server.app, "POST", url, {body: '["1"]', headers: {"content-type": "application/json; charset=utf-8"}})).status, 200);
    assert.equal((await request(server.app, "POST", url, {body: '["1"]'})).status, 200);
    assertError(await request(server.app, "POST", url, {body: '["1"]', headers: {"content-type": "text/plain"}}), 415, /text\/plain/);
    assertError(await request(server.app, "POST", url, {body: new Uint8Array([1]), headers: {"content-type": "application/octet-stream"}}), 415);
  });

  it("takes hundreds of ids in one query over a real socket", async () => {
    const live = createApiServer(dev.chain, {port: 0});
    const url = await live.listen();
    try {
      const ids = Array.from({length: 400}, (_, i) => toHex(interopPubkey(i % 64))).join(",");
      const res = await fetch(`${url}/eth/v1/beacon/states/head/validators?id=${ids}`);
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as {data: unknown[]}).data.length, 64);
      const path = await fetch(`${url}/eth/v1/beacon/states/head/validators/${toHex(interopPubkey(9))}`);
      assert.equal(path.status, 200);
    } finally {
      await live.close();
    }
  });

  it("refuses a body over the limit with 413", async () => {
    const small = createApiServer(dev.chain, {bodyLimit: 1024});
    assertError(await post(small.app, "/eth/v1/validator/liveness/0", Array.from({length: 500}, () => "1")), 413);
    await small.close();
  });

  it("sends CORS headers when asked to", async () => {
    const open = createApiServer(dev.chain, {cors: "*"});
    const res = await get(open.app, "/eth/v1/node/version", {origin: "http://example.test"});
    assert.equal(res.headers["access-control-allow-origin"], "*");
    const pre = await request(open.app, "OPTIONS", "/eth/v1/validator/liveness/0", {
      headers: {origin: "http://example.test", "access-control-request-method": "POST", "access-control-request-headers": "content-type"},
    });
    assert.equal(pre.status, 204);
    assert.match(String(pre.headers["access-control-allow-methods"]), /POST/);
    await open.close();
    const listed = createApiServer(dev.chain, {cors: ["http://a.test"]});
    assert.equal((await get(listed.app, "/eth/v1/node/version", {origin: "http://a.test"})).headers["access-control-allow-origin"], "http://a.test");
    assert.equal((await get(listed.app, "/eth/v1/node/version", {origin: "http://b.test"})).headers["access-control-allow-origin"], undefined);
    assert.equal((await get(server.app, "/eth/v1/node/version", {origin: "http://a.test"})).headers["access-control-allow-origin"], undefined);
    await listed.close();
  });

  it("never answers bad input with a 5xx, and the chain keeps producing blocks", async () => {
    const fill = (route: string, id: string) =>
      route.replace("{state}", id).replace("{block}", id).replace("{validator}", id).replace("{epoch}", id).replace("{slot}", id).replace("{peer}", id);
    let count = 0;
    const check = (res: {status: number; body: any}, what: string) => {
      count++;
      assert.ok(res.status < 500, `${what} -> ${res.status} ${JSON.stringify(res.body)}`);
      if (res.status >= 400) {
        assert.equal(res.body.code, res.status, what);
        assert.equal(typeof res.body.message, "string", what);
      }
    };
    for (const route of GET_ROUTES) {
      for (const id of [...BAD_IDS, "head", "1"]) {
        for (const q of BAD_QUERIES) {
          const url = fill(route, id) + q;
          check(await get(server.app, url), `GET ${url}`);
        }
      }
    }
    for (const route of POST_ROUTES) {
      for (const id of [BAD_IDS[0], BAD_IDS[1], "head", "0"]) {
        for (const {body, type} of BAD_BODIES) {
          const url = fill(route, id);
          const res = await request(server.app, "POST", url, {body, headers: type === undefined ? {} : {"content-type": type}});
          check(res, `POST ${url} ${type} ${typeof body === "string" ? body : "bytes"}`);
        }
      }
    }
    assert.ok(count > 2000);

    // The chain is unharmed: the next block is produced and imported as usual.
    await dev.advanceTo(2);
    const signed = await dev.proposeBlock(2);
    assert.equal(toHex(dev.chain.getHead().root), toHex(ssz.BeaconBlock.hashTreeRoot(signed.message)));
  });
});
