import {strict as assert} from "node:assert";
import {ListCompositeType} from "@chainsafe/ssz";
import {createApiServer, type ApiServer} from "../../../src/api/index.ts";
import {interopSecretKey, sign} from "../../../src/crypto/index.ts";
import {computeSigningRoot, getDomain} from "../../../src/state-transition/index.ts";
import {DOMAIN_BEACON_PROPOSER, DOMAIN_VOLUNTARY_EXIT, useNetwork} from "../../../src/params/index.ts";
import {ssz, type AttestationData, type BeaconBlockHeader} from "../../../src/types/index.ts";
import {createDevChain, type DevChain} from "./helpers/devChain.ts";
import {assertError, get, post} from "./helpers/http.ts";

describe("api: operation pool routes", function () {
  let dev: DevChain;
  let server: ApiServer;
  let slot1Data: AttestationData[];
  const V2 = {"eth-consensus-version": "phase0"};

  before(async () => {
    dev = await createDevChain();
    server = createApiServer(dev.chain);
    await dev.advanceTo(1);
    await dev.proposeBlock(1);
    await dev.advanceTo(1, 2000);
    const perSlot = dev.chain.getHead().state.epochCtx.getCommitteeCountPerSlot(0);
    slot1Data = await Promise.all(Array.from({length: perSlot}, (_, c) => dev.chain.produceAttestationData(1, c)));
  });
  after(async () => {
    await server.close();
    await dev.close();
    useNetwork("mainnet");
  });

  it("accepts attestations, reports each failing item by index, and keeps the good ones", async () => {
    const atts = dev.attestations(1, (c) => slot1Data[c]);
    const json = atts.map((a) => ssz.Attestation.toJson(a)) as Record<string, unknown>[];
    const badSig = {...json[1], signature: json[2].signature};
    const malformed = {...json[3], aggregation_bits: "0x00"};
    const body = [json[0], badSig, malformed, ...json.slice(4)];
    const res = await post(server.app, "/eth/v2/beacon/pool/attestations", body, V2);
    assertError(res, 400, /2 of/);
    assert.deepEqual(res.body.failures.map((f: {index: number}) => f.index), [1, 2]);
    assert.match(res.body.failures[0].message, /SIGNATURE/);
    assert.match(res.body.failures[1].message, /aggregation_bits/);

    // The rest made it into the pool, aggregated by data.
    const pool = await get(server.app, "/eth/v2/beacon/pool/attestations?slot=1");
    assert.equal(pool.body.version, "phase0");
    assert.equal(pool.headers["eth-consensus-version"], "phase0");
    const covered = pool.body.data.reduce((n: number, a: {aggregation_bits: string}) => n + popcount(a.aggregation_bits), 0);
    assert.equal(covered, atts.length - 3);
    const c0 = await get(server.app, "/eth/v2/beacon/pool/attestations?committee_index=0");
    assert.ok(c0.body.data.length > 0 && c0.body.data.every((a: {data: {index: string}}) => a.data.index === "0"));
    assert.deepEqual((await get(server.app, "/eth/v2/beacon/pool/attestations?slot=5")).body.data, []);
    assertError(await get(server.app, "/eth/v2/beacon/pool/attestations?slot=-5"), 400);

    // The missing ones through the older v1 route, and SSZ through v2.
    assert.equal((await post(server.app, "/eth/v1/beacon/pool/attestations", [ssz.Attestation.toJson(atts[1])])).status, 200);
    const list = new ListCompositeType(ssz.Attestation, 128);
    assert.equal((await post(server.app, "/eth/v2/beacon/pool/attestations", list.serialize([atts[2]]), V2)).status, 200);
    assertError(await post(server.app, "/eth/v2/beacon/pool/attestations", new Uint8Array([4, 0, 0]), V2), 400, /Invalid SSZ/);
    assertError(await post(server.app, "/eth/v1/beacon/pool/attestations", list.serialize([atts[2]])), 415);
    assertError(await post(server.app, "/eth/v2/beacon/pool/attestations", {not: "an array"}, V2), 400, /JSON array/);
    assert.equal((await post(server.app, "/eth/v2/beacon/pool/attestations", [], V2)).status, 200);
  });

  it("takes a valid attester slashing into the pool and rejects one that slashes nobody", async () => {
    const a = slot1Data[0];
    const other: AttestationData = {...a, beacon_block_root: new Uint8Array(32).fill(9)};
    const v = dev.chain.getHead().state.epochCtx.getBeaconCommittee(1, 0)[0];
    const indexed = (data: AttestationData) => ({attesting_indices: [v], data, signature: dev.signAttestationData(data, v)});
    const slashing = {attestation_1: indexed(a), attestation_2: indexed(other)};
    const notSlashable = {attestation_1: indexed(a), attestation_2: indexed(a)};
    assertError(await post(server.app, "/eth/v2/beacon/pool/attester_slashings", ssz.AttesterSlashing.toJson(notSlashable), V2), 400, /OPERATION_INVALID/);
    const res = await post(server.app, "/eth/v2/beacon/pool/attester_slashings", ssz.AttesterSlashing.toJson(slashing), V2);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const pool = await get(server.app, "/eth/v2/beacon/pool/attester_slashings");
    assert.equal(pool.body.version, "phase0");
    assert.deepEqual(pool.body.data, [ssz.AttesterSlashing.toJson(slashing)]);
    // The API's field names (beacon-APIs types/phase0/attester_slashing.yaml).
    assert.deepEqual(Object.keys(pool.body.data[0]), ["attestation_1", "attestation_2"]);
    assertError(await post(server.app, "/eth/v2/beacon/pool/attester_slashings", {attestation_1: {}}, V2), 400, /missing field/);
  });

  it("takes a valid proposer slashing into the pool and rejects an invalid one", async () => {
    const proposer = 5;
    const header = (bodyByte: number): BeaconBlockHeader => ({
      slot: 3,
      proposer_index: proposer,
      parent_root: new Uint8Array(32),
      state_root: new Uint8Array(32),
      body_root: new Uint8Array(32).fill(bodyByte),
    });
    const signHeader = (h: BeaconBlockHeader, key = proposer) => ({
      message: h,
      signature: sign(interopSecretKey(key), computeSigningRoot(ssz.BeaconBlockHeader, h, getDomain(dev.chain.getHead().state.state, DOMAIN_BEACON_PROPOSER, 0))),
    });
    const badSig = {signed_header_1: signHeader(header(1)), signed_header_2: signHeader(header(2), 6)};
    assertError(await post(server.app, "/eth/v1/beacon/pool/proposer_slashings", ssz.ProposerSlashing.toJson(badSig)), 400, /OPERATION_INVALID/);
    const slashing = {signed_header_1: signHeader(header(1)), signed_header_2: signHeader(header(2))};
    const res = await post(server.app, "/eth/v1/beacon/pool/proposer_slashings", ssz.ProposerSlashing.toJson(slashing));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const pool = (await get(server.app, "/eth/v1/beacon/pool/proposer_slashings")).body.data;
    assert.deepEqual(pool, [ssz.ProposerSlashing.toJson(slashing)]);
    assert.deepEqual(Object.keys(pool[0]), ["signed_header_1", "signed_header_2"]);
  });

  it("rejects a voluntary exit the state transition would refuse", async () => {
    // Phase0 lets a validator exit only after SHARD_COMMITTEE_PERIOD epochs of activity.
    const message = {epoch: 0, validator_index: 3};
    const signature = sign(
      interopSecretKey(3),
      computeSigningRoot(ssz.VoluntaryExit, message, getDomain(dev.chain.getHead().state.state, DOMAIN_VOLUNTARY_EXIT, 0))
    );
    const res = await post(server.app, "/eth/v1/beacon/pool/voluntary_exits", ssz.SignedVoluntaryExit.toJson({message, signature}));
    assertError(res, 400, /OPERATION_INVALID/);
    assert.deepEqual((await get(server.app, "/eth/v1/beacon/pool/voluntary_exits")).body.data, []);
    assertError(await post(server.app, "/eth/v1/beacon/pool/voluntary_exits", {message: {epoch: "0", validator_index: "-3"}, signature: "0x00"}), 400);
  });
});

function popcount(hexBits: string): number {
  const bytes = Buffer.from(hexBits.slice(2), "hex");
  let n = 0;
  for (const b of bytes) for (let i = 0; i < 8; i++) n += (b >> i) & 1;
  return n - 1; // the bitlist's length bit
}

