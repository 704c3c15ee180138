import {strict as assert} from "node:assert";
import {createApiServer, type ApiServer} from "../../../src/api/index.ts";
import {interopSecretKey, sign} from "../../../src/crypto/index.ts";
import {computeSigningRoot, getDomain} from "../../../src/state-transition/index.ts";
import {DOMAIN_AGGREGATE_AND_PROOF, DOMAIN_SELECTION_PROOF, G2_POINT_AT_INFINITY, useNetwork} from "../../../src/params/index.ts";
import {primitive, ssz, type Attestation} from "../../../src/types/index.ts";
import {toHex} from "../../../src/util/bytes.ts";
import {createDevChain, VALIDATOR_COUNT, type DevChain} from "./helpers/devChain.ts";
import {assertError, get, post, SSZ_ACCEPT} from "./helpers/http.ts";

describe("api: validator routes", function () {
  let dev: DevChain;
  let server: ApiServer;
  let slot2Atts: Attestation[];
  const ALL = Array.from({length: VALIDATOR_COUNT}, (_, i) => String(i));

  before(async () => {
    dev = await createDevChain();
    server = createApiServer(dev.chain);
    for (let s = 1; s <= 2; s++) {
      await dev.advanceTo(s);
      await dev.proposeBlock(s);
    }
    await dev.advanceTo(2, 2000);
    const perSlot = dev.chain.getHead().state.epochCtx.getCommitteeCountPerSlot(0);
    const data = await Promise.all(Array.from({length: perSlot}, (_, c) => dev.chain.produceAttestationData(2, c)));
    slot2Atts = dev.attestations(2, (c) => data[c]);
    assert.deepEqual(await dev.chain.submitAttestations(slot2Atts), []);
  });
  after(async () => {
    await server.close();
    await dev.close();
    useNetwork("mainnet");
  });

  it("gives attester duties that cover every validator once per epoch, with the dependent root", async () => {
    const cached = dev.chain.getHead().state;
    for (const epoch of [0, 1]) {
      const res = await post(server.app, `/eth/v1/validator/duties/attester/${epoch}`, ALL);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(Object.keys(res.body), ["dependent_root", "execution_optimistic", "data"]);
      assert.equal(res.body.dependent_root, toHex(dev.chain.genesis.genesisBlockRoot));
      assert.equal(res.body.data.length, VALIDATOR_COUNT);
      for (const d of res.body.data) {
        const committee = cached.epochCtx.getBeaconCommittee(Number(d.slot), Number(d.committee_index));
        assert.equal(committee[Number(d.validator_committee_index)], Number(d.validator_index));
        assert.equal(Number(d.committee_length), committee.length);
        assert.equal(Number(d.committees_at_slot), cached.epochCtx.getCommitteeCountPerSlot(epoch));
        assert.equal(Math.floor(Number(d.slot) / 8), epoch);
        assert.equal(d.pubkey, toHex(cached.state.validators.getReadonly(Number(d.validator_index)).pubkey));
      }
    }
    const some = await post(server.app, "/eth/v1/validator/duties/attester/0", ["3", "99999"]);
    assert.deepEqual(some.body.data.map((d: {validator_index: string}) => d.validator_index), ["3"]);
    assertError(await post(server.app, "/eth/v1/validator/duties/attester/2", ["1"]), 400, /next epoch/);
    assertError(await post(server.app, "/eth/v1/validator/duties/attester/0", []), 400, /at least 1/);
    assertError(await post(server.app, "/eth/v1/validator/duties/attester/0", [1]), 400, /expected a string/);
    assertError(await post(server.app, "/eth/v1/validator/duties/attester/0", {indices: ["1"]}), 400);
    assertError(await post(server.app, "/eth/v1/validator/duties/attester/x", ["1"]), 400, /Invalid epoch/);
    assertError(await post(server.app, "/eth/v1/validator/duties/attester/0"), 400, /body is required/);
  });

  it("gives proposer duties for every slot of the epoch", async () => {
    const res = await get(server.app, "/eth/v1/validator/duties/proposer/0");
    assert.equal(res.body.dependent_root, toHex(dev.chain.genesis.genesisBlockRoot));
    assert.deepEqual(res.body.data.map((d: {slot: string}) => d.slot), ["0", "1", "2", "3", "4", "5", "6", "7"]);
    const b2 = (await dev.chain.getBlockById(2))!.signedBlock.message;
    assert.equal(res.body.data[2].validator_index, String(b2.proposer_index));
    assert.equal((await get(server.app, "/eth/v1/validator/duties/proposer/1")).body.data.length, 8);
    assertError(await get(server.app, "/eth/v1/validator/duties/proposer/3"), 400);
  });

  it("produces blocks: v3 JSON with its metadata and headers, v3 SSZ, and the older v2", async () => {
    await dev.advanceTo(3);
    const proposer = await dev.proposerOf(3);
    const reveal = toHex(dev.randaoReveal(3, proposer));
    const graffiti = "0x" + Buffer.from("gnomon api test").toString("hex").padEnd(64, "0");
    const url = `/eth/v3/validator/blocks/3?randao_reveal=${reveal}&graffiti=${graffiti}`;
    const v3 = await get(server.app, url);
    assert.equal(v3.status, 200, JSON.stringify(v3.body));
    assert.deepEqual(Object.keys(v3.body), ["version", "execution_payload_blinded", "execution_payload_value", "consensus_block_value", "data"]);
    assert.equal(v3.body.version, "phase0");
    assert.equal(v3.body.execution_payload_blinded, false);
    assert.equal(v3.body.execution_payload_value, "0");
    assert.match(v3.body.consensus_block_value, /^[1-9][0-9]*000000000$/, "attestations to include are worth a proposer reward (in wei)");
    assert.equal(v3.headers["eth-consensus-version"], "phase0");
    assert.equal(v3.headers["eth-execution-payload-blinded"], "false");
    assert.equal(v3.headers["eth-consensus-block-value"], v3.body.consensus_block_value);
    assert.equal(v3.body.data.slot, "3");
    assert.equal(v3.body.data.proposer_index, String(proposer));
    assert.equal(v3.body.data.body.graffiti, graffiti);
    assert.equal(v3.body.data.body.randao_reveal, reveal);
    assert.ok(v3.body.data.body.attestations.length > 0);

    const sszRes = await get(server.app, url, SSZ_ACCEPT);
    assert.equal(sszRes.headers["content-type"], "application/octet-stream");
    assert.deepEqual(ssz.BeaconBlock.toJson(ssz.BeaconBlock.deserialize(sszRes.raw)), v3.body.data);
    const v2 = await get(server.app, `/eth/v2/validator/blocks/3?randao_reveal=${reveal}&graffiti=${graffiti}`);
    assert.deepEqual(v2.body, {version: "phase0", data: v3.body.data, block_value: v3.body.consensus_block_value});
    const v1 = await get(server.app, `/eth/v1/validator/blocks/3?randao_reveal=${reveal}&graffiti=${graffiti}`);
    assert.equal(v1.headers["eth-consensus-version"], undefined);
    assert.deepEqual(v1.body, {data: v3.body.data, block_value: v3.body.consensus_block_value});
    assertError(await get(server.app, "/eth/v1/validator/blocks/3"), 400, /randao_reveal/);
    // Graffiti as plain text, as phase0-era validator clients send it: UTF-8, zero-padded.
    const text = await get(server.app, `/eth/v1/validator/blocks/3?randao_reveal=${reveal}&graffiti=gnomon%20%E2%98%80`);
    assert.equal(text.body.data.body.graffiti, `0x${Buffer.from("gnomon \u2600").toString("hex").padEnd(64, "0")}`);
    assertError(await get(server.app, `/eth/v1/validator/blocks/3?randao_reveal=${reveal}&graffiti=${"x".repeat(33)}`), 400, /graffiti/);

    const noReveal = await get(server.app, "/eth/v3/validator/blocks/3");
    assertError(noReveal, 400, /randao_reveal/);
    assertError(await get(server.app, `/eth/v3/validator/blocks/3?randao_reveal=0x1234`), 400, /randao_reveal/);
    assertError(await get(server.app, `/eth/v3/validator/blocks/3?randao_reveal=${reveal}&graffiti=0x12`), 400, /graffiti/);
    const wrongKey = toHex(dev.randaoReveal(3, (proposer + 1) % VALIDATOR_COUNT));
    assertError(await get(server.app, `/eth/v3/validator/blocks/3?randao_reveal=${wrongKey}`), 400);
    assertError(await get(server.app, `/eth/v3/validator/blocks/3?randao_reveal=${reveal}&builder_boost_factor=18446744073709551616`), 400, /builder_boost_factor/);
    assert.equal((await get(server.app, `/eth/v3/validator/blocks/3?randao_reveal=${reveal}&builder_boost_factor=18446744073709551615`)).status, 200);
    const skip = await get(server.app, `/eth/v3/validator/blocks/3?randao_reveal=${toHex(G2_POINT_AT_INFINITY)}&skip_randao_verification`);
    assert.equal(skip.status, 200, JSON.stringify(skip.body));
    assertError(await get(server.app, `/eth/v3/validator/blocks/3?randao_reveal=${reveal}&skip_randao_verification=yes`), 400);
  });

  it("produces attestation data as JSON and SSZ", async () => {
    const json = await get(server.app, "/eth/v1/validator/attestation_data?slot=3&committee_index=1");
    const expected = await dev.chain.produceAttestationData(3, 1);
    assert.deepEqual(json.body, {data: ssz.AttestationData.toJson(expected)});
    const bytes = await get(server.app, "/eth/v1/validator/attestation_data?slot=3&committee_index=1", SSZ_ACCEPT);
    assert.deepEqual(new Uint8Array(bytes.raw), ssz.AttestationData.serialize(expected));
    assertError(await get(server.app, "/eth/v1/validator/attestation_data?committee_index=1"), 400, /slot/);
    assertError(await get(server.app, "/eth/v1/validator/attestation_data?slot=3&committee_index=-1"), 400);
    assertError(await get(server.app, "/eth/v1/validator/attestation_data?slot=500&committee_index=0"), 400);
  });

  it("serves the aggregate of the pool's attestations (v2 and v1)", async () => {
    const data = slot2Atts[0].data;
    const root = toHex(ssz.AttestationData.hashTreeRoot(data));
    const members = slot2Atts.filter((a) => ssz.AttestationData.equals(a.data, data)).length;
    const v2 = await get(server.app, `/eth/v2/validator/aggregate_attestation?attestation_data_root=${root}&slot=2&committee_index=${data.index}`);
    assert.equal(v2.status, 200, JSON.stringify(v2.body));
    assert.equal(v2.body.version, "phase0");
    assert.equal(v2.headers["eth-consensus-version"], "phase0");
    const agg = ssz.Attestation.fromJson(v2.body.data);
    assert.equal(agg.aggregation_bits.getTrueBitIndexes().length, members);
    assert.ok(ssz.AttestationData.equals(agg.data, data));
    const v1 = await get(server.app, `/eth/v1/validator/aggregate_attestation?attestation_data_root=${root}&slot=2`);
    assert.deepEqual(v1.body, {data: v2.body.data});
    const sszRes = await get(server.app, `/eth/v2/validator/aggregate_attestation?attestation_data_root=${root}&slot=2&committee_index=${data.index}`, SSZ_ACCEPT);
    assert.deepEqual(ssz.Attestation.toJson(ssz.Attestation.deserialize(sszRes.raw)), v2.body.data);
    assertError(await get(server.app, `/eth/v2/validator/aggregate_attestation?attestation_data_root=0x${"11".repeat(32)}&slot=2&committee_index=0`), 404);
    assertError(await get(server.app, `/eth/v2/validator/aggregate_attestation?attestation_data_root=${root}&slot=2&committee_index=${data.index + 7}`), 404);
    assertError(await get(server.app, `/eth/v2/validator/aggregate_attestation?attestation_data_root=${root}&slot=2`), 400, /committee_index/);
    assertError(await get(server.app, `/eth/v2/validator/aggregate_attestation?attestation_data_root=0x11&slot=2&committee_index=0`), 400);
  });

  it("accepts signed aggregate-and-proofs (v2 and v1) and reports a bad one by index", async () => {
    const state = dev.chain.getHead().state.state;
    const data = slot2Atts[0].data;
    const root = toHex(ssz.AttestationData.hashTreeRoot(data));
    const res = await get(server.app, `/eth/v1/validator/aggregate_attestation?attestation_data_root=${root}&slot=2`);
    const aggregate = ssz.Attestation.fromJson(res.body.data);
    const committee = dev.chain.getHead().state.epochCtx.getBeaconCommittee(2, data.index);
    const signedAggregate = (aggregator: number, signer = aggregator) => {
      const sk = interopSecretKey(aggregator);
      const selection_proof = sign(sk, computeSigningRoot(primitive.Uint64, 2, getDomain(state, DOMAIN_SELECTION_PROOF, 0)));
      const message = {aggregator_index: aggregator, aggregate, selection_proof};
      const signature = sign(interopSecretKey(signer), computeSigningRoot(ssz.AggregateAndProof, message, getDomain(state, DOMAIN_AGGREGATE_AND_PROOF, 0)));
      return ssz.SignedAggregateAndProof.toJson({message, signature});
    };
    // Minimal committees are smaller than TARGET_AGGREGATORS_PER_COMMITTEE: every member aggregates.
    const bad = await post(server.app, "/eth/v2/validator/aggregate_and_proofs", [signedAggregate(committee[1], committee[0])], {"eth-consensus-version": "phase0"});
    assertError(bad, 400);
    assert.equal(bad.body.failures[0].index, 0);
    const ok = await post(server.app, "/eth/v2/validator/aggregate_and_proofs", [signedAggregate(committee[0])], {"eth-consensus-version": "phase0"});
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    const okV1 = await post(server.app, "/eth/v1/validator/aggregate_and_proofs", [signedAggregate(committee[2])]);
    assert.equal(okV1.status, 200, JSON.stringify(okV1.body));
    const malformed = await post(server.app, "/eth/v2/validator/aggregate_and_proofs", [{message: {}}]);
    assertError(malformed, 400);
    assert.match(malformed.body.failures[0].message, /missing field/);
  });

  it("validates and accepts beacon committee subscriptions", async () => {
    const sub = {validator_index: "1", committee_index: "1", committees_at_slot: "2", slot: "9", is_aggregator: true};
    assert.equal((await post(server.app, "/eth/v1/validator/beacon_committee_subscriptions", [sub])).status, 200);
    assert.equal((await post(server.app, "/eth/v1/validator/beacon_committee_subscriptions", [])).status, 200);
    assertError(await post(server.app, "/eth/v1/validator/beacon_committee_subscriptions", [{...sub, committee_index: "2"}]), 400, /committees_at_slot/);
    assertError(await post(server.app, "/eth/v1/validator/beacon_committee_subscriptions", [{...sub, is_aggregator: "true"}]), 400, /is_aggregator/);
    assertError(await post(server.app, "/eth/v1/validator/beacon_committee_subscriptions", [{...sub, slot: 9}]), 400, /slot/);
  });

  it("reports liveness of validators seen attesting", async () => {
    const attester = slot2Atts[0];
    const committee = dev.chain.getHead().state.epochCtx.getBeaconCommittee(2, attester.data.index);
    const seen = String(committee[attester.aggregation_bits.getTrueBitIndexes()[0]]);
    const res = await post(server.app, "/eth/v1/validator/liveness/0", [seen]);
    assert.deepEqual(res.body, {data: [{index: seen, is_live: true}]});
    assert.equal((await post(server.app, "/eth/v1/validator/liveness/0", ALL)).body.data.length, VALIDATOR_COUNT);
    assertError(await post(server.app, "/eth/v1/validator/liveness/0", ["x"]), 400);
    assertError(await post(server.app, "/eth/v1/validator/liveness/0", []), 400);
  });
});
