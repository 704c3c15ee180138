/**
 * The validator client's REST parsing against the Beacon API's own documented replies (built from
 * the examples in ../shared/beacon-APIs), served by a stand-in node: the client reads the standard,
 * not only the JSON Gnomon's node writes.
 */
import {strict as assert} from "node:assert";
import {createServer, type Server} from "node:http";
import type {AddressInfo} from "node:net";
import {useNetwork} from "../../../../src/params/index.ts";
import {BeaconApiClient} from "../../../../src/validator/api/client.ts";
import {BeaconApiError} from "../../../../src/validator/api/errors.ts";
import {toHex} from "../../../../src/util/bytes.ts";
import {documentedReply} from "../helpers/apiExamples.ts";

describe("validator / api: documented Beacon API replies", () => {
  let server: Server;
  let reply: {status: number; body: unknown; headers?: Record<string, string>};
  let client: BeaconApiClient;

  before(async () => {
    useNetwork("minimal");
    server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(reply.status, {"Content-Type": "application/json", ...reply.headers});
        res.end(JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    client = new BeaconApiClient({baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, timeoutMs: 2000, retryDelayMs: 1});
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    useNetwork("mainnet");
  });

  const serve = (apiFile: string, method: "get" | "post", status = "200", headers?: Record<string, string>): any => {
    const body = documentedReply(apiFile, method, status);
    reply = {status: Number(status), body, headers};
    return body;
  };

  it("GET /eth/v1/beacon/genesis", async () => {
    const doc = serve("beacon/genesis.yaml", "get");
    const g = await client.getGenesis();
    assert.equal(g!.genesisTime, Number(doc.data.genesis_time));
    assert.equal(toHex(g!.genesisValidatorsRoot), doc.data.genesis_validators_root);
    assert.equal(toHex(g!.genesisForkVersion), doc.data.genesis_fork_version);
  });

  it("GET /eth/v1/node/syncing (with the later field el_offline, which phase0 clients ignore)", async () => {
    const doc = serve("node/syncing.yaml", "get");
    assert.ok("el_offline" in doc.data);
    assert.deepEqual(await client.getSyncing(), {
      headSlot: Number(doc.data.head_slot),
      syncDistance: Number(doc.data.sync_distance),
      isSyncing: doc.data.is_syncing,
      isOptimistic: doc.data.is_optimistic,
    });
  });

  it("GET /eth/v1/config/fork_schedule", async () => {
    const doc = serve("config/fork_schedule.yaml", "get");
    const [f] = await client.getForkSchedule();
    assert.equal(toHex(f.previousVersion), doc.data[0].previous_version);
    assert.equal(toHex(f.currentVersion), doc.data[0].current_version);
    assert.equal(f.epoch, Number(doc.data[0].epoch));
  });

  it("POST /eth/v1/beacon/states/{state_id}/validators", async () => {
    const doc = serve("beacon/states/validators.yaml", "post");
    const [v] = await client.getValidatorsByPubkey([new Uint8Array(48)]);
    assert.deepEqual(
      {index: v.index, pubkey: toHex(v.pubkey), status: v.status},
      {index: Number(doc.data[0].index), pubkey: doc.data[0].validator.pubkey, status: doc.data[0].status}
    );
  });

  it("GET /eth/v1/validator/duties/proposer/{epoch}", async () => {
    const doc = serve("validator/duties/proposer.yaml", "get");
    const r = await client.getProposerDuties(1);
    assert.equal(toHex(r.dependentRoot), doc.dependent_root);
    assert.deepEqual(
      r.duties.map((d) => ({pubkey: toHex(d.pubkey), validator_index: String(d.validatorIndex), slot: String(d.slot)})),
      doc.data
    );
  });

  it("POST /eth/v1/validator/duties/attester/{epoch}", async () => {
    const doc = serve("validator/duties/attester.yaml", "post");
    const r = await client.getAttesterDuties(1, [1]);
    assert.equal(toHex(r.dependentRoot), doc.dependent_root);
    const d = r.duties[0];
    const e = doc.data[0];
    assert.deepEqual(
      [toHex(d.pubkey), d.validatorIndex, d.committeeIndex, d.committeeLength, d.committeesAtSlot, d.validatorCommitteeIndex, d.slot],
      [e.pubkey, e.validator_index, e.committee_index, e.committee_length, e.committees_at_slot, e.validator_committee_index, e.slot].map((x, i) => (i === 0 ? x : Number(x)))
    );
  });

  it("GET /eth/v1/validator/attestation_data", async () => {
    const doc = serve("validator/attestation_data.yaml", "get");
    const a = await client.produceAttestationData(1, 0);
    assert.equal(a.slot, Number(doc.data.slot));
    assert.equal(a.index, Number(doc.data.index));
    assert.equal(toHex(a.beacon_block_root), doc.data.beacon_block_root);
    assert.equal(a.source.epoch, Number(doc.data.source.epoch));
    assert.equal(toHex(a.target.root), doc.data.target.root);
  });

  it("GET /eth/v2/validator/aggregate_attestation: the documented reply is of a later fork and is refused by name", async () => {
    const doc = serve("validator/aggregate_attestation.v2.yaml", "get", "200", {"Eth-Consensus-Version": "fulu"});
    assert.notEqual(doc.version, "phase0");
    await assert.rejects(client.getAggregateAttestation(1, new Uint8Array(32), 0), (e: unknown) => e instanceof BeaconApiError && /version/.test(e.message) && e.message.includes(doc.version));
  });

  it("the documented 400 of a batch submission (IndexedErrorMessage) carries its failures", async () => {
    const doc = serve("beacon/pool/attestations.v2.yaml", "post", "400");
    await assert.rejects(client.submitAttestations([]), (e: unknown) => {
      assert.ok(e instanceof BeaconApiError);
      assert.equal(e.status, 400);
      assert.equal(e.nodeMessage, doc.message);
      assert.deepEqual(e.failures, doc.failures);
      return true;
    });
  });

  it("the documented 400 of a duties request (ErrorMessage)", async () => {
    const doc = serve("validator/duties/attester.yaml", "post", "400");
    await assert.rejects(client.getAttesterDuties(1, [1]), (e: unknown) => e instanceof BeaconApiError && e.nodeCode === doc.code && e.nodeMessage === doc.message);
  });
});
