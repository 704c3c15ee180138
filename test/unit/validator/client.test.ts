import {strict as assert} from "node:assert";
import {mkdir, mkdtemp, rm, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {FakeTime} from "../../../src/clock/index.ts";
import {interopPubkey, interopSecretKey, verify} from "../../../src/crypto/index.ts";
import {createKeystore} from "../../../src/validator/keystore/index.ts";
import {
  createChainConfig,
  DOMAIN_AGGREGATE_AND_PROOF,
  DOMAIN_BEACON_ATTESTER,
  DOMAIN_BEACON_PROPOSER,
  DOMAIN_RANDAO,
  DOMAIN_SELECTION_PROOF,
  useNetwork,
} from "../../../src/params/index.ts";
import {computeDomain, computeSigningRoot} from "../../../src/state-transition/index.ts";
import {primitive, ssz} from "../../../src/types/index.ts";
import {fromHex, toHex} from "../../../src/util/bytes.ts";
import type {AttesterDuty, ProposerDuty} from "../../../src/validator/api/types.ts";
import {NodeSpecMismatchError, startValidatorClient, type ValidatorClient} from "../../../src/validator/index.ts";
import {defaultAttestationData, FakeBeaconNode, settle, waitFor} from "./helpers/fakeBeaconNode.ts";

const GENESIS_TIME = 1_700_000_000;
const GVR = new Uint8Array(32).fill(0x42);
const OURS = [0, 1, 2, 3];
const SLOTS = 8; // minimal SLOTS_PER_EPOCH

const config = createChainConfig("minimal");
const domain = (type: Uint8Array): Uint8Array => computeDomain(type, config.GENESIS_FORK_VERSION, GVR);
const slotStart = (slot: number): number => (GENESIS_TIME * 1000) + slot * config.SLOT_DURATION_MS;
const attestationDueMs = (): number => Math.floor((config.ATTESTATION_DUE_BPS * config.SLOT_DURATION_MS) / 10000);
const aggregateDueMs = (): number => Math.floor((config.AGGREGATE_DUE_BPS * config.SLOT_DURATION_MS) / 10000);

/** Validator v attests at slot e*8+v in committee 0 of length 4; slot e*8+1 is ours to propose, e*8+2 someone else's. */
function proposerDuties(epoch: number): ProposerDuty[] {
  return [
    {pubkey: interopPubkey(0), validatorIndex: 0, slot: epoch * SLOTS},
    {pubkey: interopPubkey(1), validatorIndex: 1, slot: epoch * SLOTS + 1},
    {pubkey: interopPubkey(9), validatorIndex: 9, slot: epoch * SLOTS + 2},
  ].filter((d) => epoch > 0 || d.slot >= 0);
}

function attesterDuties(epoch: number, indices: number[]): AttesterDuty[] {
  return indices.map((v) => ({
    pubkey: interopPubkey(v),
    validatorIndex: v,
    committeeIndex: 0,
    committeeLength: 4,
    committeesAtSlot: 1,
    validatorCommitteeIndex: v,
    slot: epoch * SLOTS + v,
  }));
}

interface PostedAttestation {
  slot: number;
  bits: number[];
  data: ReturnType<typeof ssz.AttestationData.fromJson>;
  signature: Uint8Array;
}

function postedAttestations(node: FakeBeaconNode): PostedAttestation[] {
  return node.calls("POST", "/eth/v2/beacon/pool/attestations").flatMap((r) =>
    (JSON.parse(r.body.toString()) as unknown[]).map((j) => {
      const a = ssz.Attestation.fromJson(j);
      return {slot: a.data.slot, bits: a.aggregation_bits.getTrueBitIndexes(), data: a.data, signature: a.signature};
    })
  );
}

describe("validator / client: duties against a stub beacon node", function () {
  let node: FakeBeaconNode;
  let time: FakeTime;
  let dir: string;
  let client: ValidatorClient | null;

  before(() => useNetwork("minimal"));
  after(() => useNetwork("mainnet"));

  beforeEach(async () => {
    const validators = new Map<string, number>();
    for (const i of [...OURS, 9]) validators.set(toHex(interopPubkey(i)), i);
    node = new FakeBeaconNode({genesisTime: GENESIS_TIME, genesisValidatorsRoot: GVR, proposerDuties, attesterDuties, validators});
    await node.start();
    dir = await mkdtemp(join(tmpdir(), "gnomon-vc-"));
    time = new FakeTime(GENESIS_TIME * 1000 - 500);
    client = null;
  });

  afterEach(async () => {
    await client?.stop();
    await node.stop();
    await rm(dir, {recursive: true, force: true});
  });

  async function start(): Promise<ValidatorClient> {
    // Request timeouts run on the fake clock too: a jump of several slots must not time out a
    // request still in flight on the real loopback socket.
    client = await startValidatorClient({beaconUrl: node.url, interopIndices: OURS, dataDir: dir, time, requestTimeoutMs: 3_600_000});
    await waitFor(() => node.eventSubscribers > 0, "the event stream");
    await waitFor(() => node.calls("POST", "/eth/v1/validator/duties/attester/1").length > 0, "prefetched duties");
    return client;
  }

  /** Moves the fake clock to `ms` (absolute), firing the clock's timers on the way. */
  const advanceTo = (ms: number): void => time.advance(ms - time.now());

  it("proposes at the slot start: randao reveal, block from the node, SSZ publication with a valid signature", async () => {
    await start();
    advanceTo(slotStart(0) + 10);
    advanceTo(slotStart(1));
    await waitFor(() => node.calls("POST", "/eth/v2/beacon/blocks").length === 1, "the published block");

    const produce = node.calls("GET", /^\/eth\/v3\/validator\/blocks\//);
    assert.deepEqual(produce.map((r) => r.path), ["/eth/v3/validator/blocks/1"], "no block at the genesis slot, one at slot 1");
    assert.equal(produce[0].headers.accept, "application/octet-stream;q=1,application/json;q=0.9");
    const reveal = fromHex(produce[0].query.get("randao_reveal")!, 96);
    assert.ok(verify(interopPubkey(1), computeSigningRoot(primitive.Epoch, 0, domain(DOMAIN_RANDAO)), reveal), "randao reveal signs epoch 0");

    const publish = node.calls("POST", "/eth/v2/beacon/blocks")[0];
    assert.equal(publish.headers["content-type"], "application/octet-stream");
    assert.equal(publish.headers["eth-consensus-version"], "phase0");
    const signed = ssz.SignedBeaconBlock.deserialize(publish.body);
    assert.equal(signed.message.slot, 1);
    assert.equal(signed.message.proposer_index, 1);
    assert.ok(verify(interopPubkey(1), computeSigningRoot(ssz.BeaconBlock, signed.message, domain(DOMAIN_BEACON_PROPOSER)), signed.signature));

    advanceTo(slotStart(2) + 100);
    await settle();
    assert.equal(node.calls("GET", /^\/eth\/v3\/validator\/blocks\//).length, 1, "slot 2 belongs to a validator the client does not run");
    assert.equal(client!.counts().blocksProposed, 1);
  });

  it("attests at ATTESTATION_DUE_BPS into the slot when no block arrives, with the validator's bit and a valid signature", async () => {
    await start();
    advanceTo(slotStart(1) + attestationDueMs() - 1);
    await settle();
    assert.deepEqual(postedAttestations(node).filter((a) => a.slot === 1), [], "nothing before the attestation point");

    advanceTo(slotStart(1) + attestationDueMs());
    await waitFor(() => postedAttestations(node).some((a) => a.slot === 1), "slot 1 attestations");
    const [att] = postedAttestations(node).filter((a) => a.slot === 1);
    assert.deepEqual(att.bits, [1]);
    assert.ok(ssz.AttestationData.equals(att.data, defaultAttestationData(1, 0)));
    assert.ok(verify(interopPubkey(1), computeSigningRoot(ssz.AttestationData, att.data, domain(DOMAIN_BEACON_ATTESTER)), att.signature));
    const dataRequests = node.calls("GET", "/eth/v1/validator/attestation_data").filter((r) => r.query.get("slot") === "1");
    assert.deepEqual(dataRequests.map((r) => r.query.get("committee_index")), ["0"]);
  });

  it("attests as soon as the slot's block becomes head, before the attestation point, and only once", async () => {
    await start();
    advanceTo(slotStart(2) + 100);
    await settle();
    assert.equal(postedAttestations(node).filter((a) => a.slot === 2).length, 0);
    const root = node.dependentRoot;
    node.pushHead({
      slot: 2,
      block: new Uint8Array(32).fill(2),
      state: new Uint8Array(32),
      epochTransition: false,
      previousDutyDependentRoot: root,
      currentDutyDependentRoot: root,
      executionOptimistic: false,
    });
    await waitFor(() => postedAttestations(node).some((a) => a.slot === 2), "slot 2 attestation on the head event");
    advanceTo(slotStart(2) + attestationDueMs() + 10);
    await settle();
    assert.equal(postedAttestations(node).filter((a) => a.slot === 2).length, 1, "the attestation point does not attest again");
  });

  it("aggregates at AGGREGATE_DUE_BPS: the node's aggregate with the selection proof, signed", async () => {
    await start();
    const aggregatesFor = (slot: number) =>
      node
        .calls("POST", "/eth/v2/validator/aggregate_and_proofs")
        .filter((r) => (JSON.parse(r.body.toString()) as {message: {aggregate: {data: {slot: string}}}}[])[0].message.aggregate.data.slot === String(slot));
    advanceTo(slotStart(3) + attestationDueMs());
    await waitFor(() => postedAttestations(node).some((a) => a.slot === 3), "slot 3 attestation");
    await settle();
    assert.equal(aggregatesFor(3).length, 0, "nothing before the aggregation point");
    advanceTo(slotStart(3) + aggregateDueMs());
    await waitFor(() => aggregatesFor(3).length === 1, "the aggregate");

    const req = aggregatesFor(3)[0];
    assert.equal(req.headers["eth-consensus-version"], "phase0");
    const [signed] = (JSON.parse(req.body.toString()) as unknown[]).map((j) => ssz.SignedAggregateAndProof.fromJson(j));
    const msg = signed.message;
    assert.equal(msg.aggregator_index, 3);
    assert.equal(msg.aggregate.data.slot, 3);
    assert.ok(verify(interopPubkey(3), computeSigningRoot(primitive.Slot, 3, domain(DOMAIN_SELECTION_PROOF)), msg.selection_proof));
    assert.ok(verify(interopPubkey(3), computeSigningRoot(ssz.AggregateAndProof, msg, domain(DOMAIN_AGGREGATE_AND_PROOF)), signed.signature));
    const aggReq = node.calls("GET", "/eth/v2/validator/aggregate_attestation").find((r) => r.query.get("slot") === "3")!;
    assert.equal(aggReq.query.get("attestation_data_root"), toHex(ssz.AttestationData.hashTreeRoot(defaultAttestationData(3, 0))));
    assert.equal(aggReq.query.get("committee_index"), "0");
  });

  it("subscribes to the committees of upcoming duties, flagging aggregators", async () => {
    await start();
    await waitFor(() => node.calls("POST", "/eth/v1/validator/beacon_committee_subscriptions").length >= 2, "subscriptions");
    const subs = node
      .calls("POST", "/eth/v1/validator/beacon_committee_subscriptions")
      .flatMap((r) => JSON.parse(r.body.toString()) as Record<string, unknown>[]);
    const epoch1 = subs.filter((s) => Number(s.slot) >= SLOTS).sort((a, b) => Number(a.slot) - Number(b.slot));
    assert.deepEqual(
      epoch1.map((s) => [s.validator_index, s.slot, s.committee_index, s.committees_at_slot, s.is_aggregator]),
      // A committee of 4 is below TARGET_AGGREGATORS_PER_COMMITTEE: every member aggregates.
      OURS.map((v) => [String(v), String(SLOTS + v), "0", "1", true])
    );
  });

  it("re-fetches duties when a head event's dependent root differs from the one the duties came with", async () => {
    await start();
    advanceTo(slotStart(3) + 10);
    const proposerCalls = (): number => node.calls("GET", "/eth/v1/validator/duties/proposer/0").length;
    const attesterCalls = (epoch: number): number => node.calls("POST", `/eth/v1/validator/duties/attester/${epoch}`).length;
    await settle();
    const before = [proposerCalls(), attesterCalls(0), attesterCalls(1)];
    assert.deepEqual(before, [1, 1, 1], "each epoch's duties fetched once");

    const same = node.dependentRoot;
    const head = {slot: 3, block: new Uint8Array(32).fill(3), state: new Uint8Array(32), epochTransition: false, executionOptimistic: false};
    node.pushHead({...head, previousDutyDependentRoot: same, currentDutyDependentRoot: same});
    await settle();
    assert.deepEqual([proposerCalls(), attesterCalls(0), attesterCalls(1)], [1, 1, 1], "unchanged roots: nothing re-fetched");

    const other = new Uint8Array(32).fill(0xee);
    node.pushHead({...head, previousDutyDependentRoot: same, currentDutyDependentRoot: other});
    await waitFor(() => proposerCalls() === 2 && attesterCalls(1) === 2, "re-fetch of proposer duties (epoch 0) and attester duties (epoch 1)");
    assert.equal(attesterCalls(0), 1, "attester duties of the head's epoch depend on the previous root, which did not change");

    node.pushHead({...head, previousDutyDependentRoot: other, currentDutyDependentRoot: same});
    await waitFor(() => attesterCalls(0) === 2, "re-fetch of attester duties (epoch 0)");
  });

  it("retries a read the node failed with 503 and still attests", async () => {
    await start();
    advanceTo(slotStart(1));
    await waitFor(() => postedAttestations(node).some((a) => a.slot === 0), "slot 0 attestation");
    node.failures.set("/eth/v1/validator/attestation_data", {status: 503, body: {code: 503, message: "not ready"}, times: 1});
    const tries = () => node.calls("GET", "/eth/v1/validator/attestation_data").filter((r) => r.query.get("slot") === "1");
    advanceTo(slotStart(1) + attestationDueMs());
    await waitFor(() => tries().length === 1, "the first try");
    await settle();
    // The retry delay (250 ms) runs on the client's clock: nothing until it has passed.
    assert.equal(tries().length, 1);
    assert.equal(postedAttestations(node).some((a) => a.slot === 1), false);
    advanceTo(slotStart(1) + attestationDueMs() + 250);
    await waitFor(() => postedAttestations(node).some((a) => a.slot === 1), "slot 1 attestation after a retry");
    assert.equal(tries().length, 2);
  });

  it("a restarted client refuses to sign other attestation data for a target it already signed", async () => {
    const first = await start();
    advanceTo(slotStart(1) + attestationDueMs());
    await waitFor(() => postedAttestations(node).some((a) => a.slot === 1), "the first attestation");
    await first.stop();
    client = null;

    // The node now offers another head vote for the same slot and target (e.g. after a re-org).
    node.attestationData = (slot, index) => ({...defaultAttestationData(slot, index), beacon_block_root: new Uint8Array(32).fill(0xcc)});
    node.requests.length = 0;
    time = new FakeTime(slotStart(1) + 10);
    const second = await start();
    advanceTo(slotStart(1) + attestationDueMs());
    await waitFor(() => second.counts().refusedBySlashingProtection === 1, "the refusal");
    await settle();
    assert.deepEqual(postedAttestations(node), [], "the conflicting vote never reached the node");
    assert.equal(second.counts().attestationsFailed, 1);
  });

  it("runs EIP-2335 keystores from a directory with a password file", async () => {
    const keysDir = join(dir, "keys");
    await mkdir(keysDir);
    for (const i of [2, 3]) {
      const ks = await createKeystore(interopSecretKey(i), "secret pass", {kdf: "pbkdf2", c: 16});
      await writeFile(join(keysDir, `keystore-${i}.json`), JSON.stringify(ks));
    }
    await writeFile(join(dir, "password.txt"), "secret pass\n");
    client = await startValidatorClient({beaconUrl: node.url, keystores: {dir: keysDir, passwordFile: join(dir, "password.txt")}, dataDir: join(dir, "vc"), time});
    assert.deepEqual(client.pubkeys.map(toHex).sort(), [2, 3].map((i) => toHex(interopPubkey(i))).sort());
    await waitFor(() => node.calls("POST", "/eth/v1/validator/duties/attester/0").length > 0, "duties");
    const asked = JSON.parse(node.calls("POST", "/eth/v1/validator/duties/attester/0")[0].body.toString());
    assert.deepEqual(asked, ["2", "3"]);
  });

  it("refuses to start against a node whose preset differs", async () => {
    node.spec = {...node.spec, SLOTS_PER_EPOCH: "32"};
    await assert.rejects(
      startValidatorClient({beaconUrl: node.url, interopIndices: OURS, dataDir: dir, time}),
      (e: unknown) => e instanceof NodeSpecMismatchError && e.mismatches.some((m) => m.startsWith("SLOTS_PER_EPOCH: node 32, ours 8"))
    );
  });
});
