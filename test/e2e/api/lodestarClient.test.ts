/**
 * The REST API against an off-the-shelf client: a real `gnomon beacon` process (minimal preset,
 * 64 interop validators, 1-second slots, temp data dir, any free port) read and driven with
 * @lodestar/api. The test acts as the validators (duties, block production and publishing,
 * attestations) through the client, so everything the node serves went through the API.
 */
import {strict as assert} from "node:assert";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {BitArray} from "@chainsafe/ssz";
import {interopSecretKey, interopPubkey, sign} from "../../../src/crypto/index.ts";
import {computeDomain, computeSigningRoot} from "../../../src/state-transition/index.ts";
import {DOMAIN_BEACON_ATTESTER, DOMAIN_BEACON_PROPOSER, DOMAIN_RANDAO, useNetwork} from "../../../src/params/index.ts";
import {primitive, ssz} from "../../../src/types/index.ts";
import {toHex} from "../../../src/util/bytes.ts";
import {startInteropBeacon, stopProcess, type Proc} from "../helpers/processes.ts";

const VALIDATORS = 64;
const SLOTS_PER_EPOCH = 8;

// @lodestar/params reads the preset from the environment when first imported.
process.env.LODESTAR_PRESET = "minimal";
const {getClient} = await import("@lodestar/api");
const {createChainForkConfig, chainConfigFromJson} = await import("@lodestar/config");
const {ssz: lssz} = await import("@lodestar/types");

type Client = ReturnType<typeof getClient>;

describe("e2e: the REST API through @lodestar/api", function () {
  this.timeout(180_000);
  let dir: string;
  let node: {beacon: Proc; url: string};
  let api: Client;
  let genesisTime: number;
  let gvr: Uint8Array;
  let forkVersion: Uint8Array;

  const slotStart = (slot: number) => (genesisTime + slot) * 1000;
  const sleepUntil = async (ms: number) => {
    const d = ms - Date.now();
    if (d > 0) await new Promise((r) => setTimeout(r, d));
  };
  const domain = (type: Uint8Array) => computeDomain(type, forkVersion, gvr);

  /** Proposes the block of `slot` through the client: duties, v3 production, signing, v2 publishing. */
  async function propose(slot: number, wireFormat: "json" | "ssz"): Promise<Uint8Array> {
    await sleepUntil(slotStart(slot) + 50);
    const epoch = Math.floor(slot / SLOTS_PER_EPOCH);
    const duties = (await api.validator.getProposerDuties({epoch})).value();
    const proposer = duties.find((d) => d.slot === slot)!.validatorIndex;
    const sk = interopSecretKey(proposer);
    const randaoReveal = sign(sk, computeSigningRoot(primitive.Uint64, epoch, domain(DOMAIN_RANDAO)));
    const produced = await api.validator.produceBlockV3({slot, randaoReveal, graffiti: "gnomon e2e"});
    assert.equal(produced.meta().version, "phase0");
    assert.equal(produced.meta().executionPayloadBlinded, false);
    // The client hands pre-Deneb blocks back wrapped as {block}.
    const value = produced.value() as {block?: unknown};
    const block = ssz.BeaconBlock.deserialize(lssz.phase0.BeaconBlock.serialize((value.block ?? value) as never));
    const signature = sign(sk, computeSigningRoot(ssz.BeaconBlock, block, domain(DOMAIN_BEACON_PROPOSER)));
    const signed = lssz.phase0.SignedBeaconBlock.deserialize(ssz.SignedBeaconBlock.serialize({message: block, signature}));
    const res = await api.beacon.publishBlockV2({signedBlockContents: {signedBlock: signed} as never, broadcastValidation: "consensus" as never}, {requestWireFormat: wireFormat});
    assert.ok(res.ok, `publish ${slot}: ${res.status} ${res.error()?.message}`);
    return ssz.BeaconBlock.hashTreeRoot(block);
  }

  /** Every validator of `slot` attests through the client. */
  async function attest(slot: number): Promise<number> {
    await sleepUntil(slotStart(slot) + 400);
    const epoch = Math.floor(slot / SLOTS_PER_EPOCH);
    const duties = (await api.validator.getAttesterDuties({epoch, indices: Array.from({length: VALIDATORS}, (_, i) => i)})).value();
    const atSlot = duties.filter((d) => d.slot === slot);
    const atts = [];
    for (const d of atSlot) {
      const data = (await api.validator.produceAttestationData({slot, committeeIndex: d.committeeIndex})).value();
      const ours = ssz.AttestationData.deserialize(lssz.phase0.AttestationData.serialize(data));
      const bits = BitArray.fromBitLen(d.committeeLength);
      bits.set(d.validatorCommitteeIndex, true);
      const signature = sign(interopSecretKey(d.validatorIndex), computeSigningRoot(ssz.AttestationData, ours, domain(DOMAIN_BEACON_ATTESTER)));
      atts.push(lssz.phase0.Attestation.deserialize(ssz.Attestation.serialize({aggregation_bits: bits, data: ours, signature})));
    }
    const res = await api.beacon.submitPoolAttestationsV2({signedAttestations: atts as never});
    assert.ok(res.ok, `attestations at ${slot}: ${res.status} ${res.error()?.message}`);
    return atts.length;
  }

  before(async () => {
    useNetwork("minimal");
    dir = mkdtempSync(join(tmpdir(), "gnomon-e2e-api-"));
    genesisTime = Math.floor(Date.now() / 1000) + 3;
    node = await startInteropBeacon(dir, {validators: VALIDATORS, genesisTime, slotMs: 1000});
    const spec = (await (await fetch(`${node.url}/eth/v1/config/spec`)).json()) as {data: Record<string, unknown>};
    const config = createChainForkConfig(chainConfigFromJson(spec.data));
    api = getClient({baseUrl: node.url}, {config});
  });

  after(async () => {
    await stopProcess(node?.beacon);
    rmSync(dir, {recursive: true, force: true});
    useNetwork("mainnet");
  });

  it("reads genesis, spec, version and sync status", async () => {
    const genesis = (await api.beacon.getGenesis()).value();
    assert.equal(genesis.genesisTime, genesisTime);
    gvr = genesis.genesisValidatorsRoot;
    forkVersion = genesis.genesisForkVersion;
    assert.equal(toHex(forkVersion), "0x00000001");
    const spec = (await api.config.getSpec()).value();
    assert.equal(spec.SLOTS_PER_EPOCH, "8");
    assert.match((await api.node.getNodeVersion()).value().version, /^Gnomon\//);
    const syncing = (await api.node.getSyncingStatus()).value();
    assert.equal(syncing.isOptimistic, false);
    const forks = (await api.config.getForkSchedule()).value();
    assert.equal(forks.length, 1);
  });

  it("drives blocks and attestations through the client (JSON and SSZ publishing)", async () => {
    const heads: string[] = [];
    const eventErrors: Error[] = [];
    const controller = new AbortController();
    const events = api.events.eventstream({
      topics: ["head" as never, "block" as never],
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === "head") heads.push(String((e.message as {block: string}).block));
      },
      onError: (e) => eventErrors.push(e),
    });
    const roots: string[] = [];
    for (let slot = 1; slot <= 6; slot++) {
      const root = await propose(slot, slot % 2 === 0 ? "ssz" : "json");
      roots.push(toHex(root));
      assert.ok((await attest(slot)) > 0);
      const head = (await api.beacon.getBlockHeader({blockId: "head"})).value();
      assert.equal(toHex(head.root), toHex(root), `head after slot ${slot}`);
    }
    controller.abort();
    await events.catch(() => undefined);
    assert.deepEqual(eventErrors, []);
    // The stream may open after the first block; every later head was announced.
    assert.ok(heads.length >= 4, `head events seen: ${heads.length}`);
    assert.deepEqual(heads, roots.slice(roots.length - heads.length));
  });

  it("reads finality checkpoints, headers, blocks (JSON and SSZ), validators, duties and attestation data", async () => {
    const fc = (await api.beacon.getStateFinalityCheckpoints({stateId: "head"})).value();
    assert.equal(fc.finalized.epoch, 0);

    const headers = (await api.beacon.getBlockHeaders({})).value();
    assert.equal(headers.length, 1);
    assert.equal(headers[0].header.message.slot, 6);
    const bySlot = (await api.beacon.getBlockHeaders({slot: 3})).value();
    assert.equal(bySlot[0].canonical, true);

    const json = await api.beacon.getBlockV2({blockId: 5});
    const sszRes = await api.beacon.getBlockV2({blockId: 5}, {responseWireFormat: "ssz"});
    assert.equal(json.meta().version, "phase0");
    assert.equal(sszRes.meta().version, "phase0");
    const a = lssz.phase0.SignedBeaconBlock.serialize(json.value() as never);
    const b = lssz.phase0.SignedBeaconBlock.serialize(sszRes.value() as never);
    assert.deepEqual(a, b);
    const block5 = ssz.SignedBeaconBlock.deserialize(a);
    assert.ok(block5.message.body.attestations.length > 0, "block 5 includes the attestations of slot 4");
    const root5 = (await api.beacon.getBlockRoot({blockId: 5})).value().root;
    assert.equal(toHex(root5), toHex(ssz.BeaconBlock.hashTreeRoot(block5.message)));
    const atts = (await api.beacon.getBlockAttestationsV2({blockId: 5})).value();
    assert.equal(atts.length, block5.message.body.attestations.length);

    const pubkeys = Array.from({length: VALIDATORS}, (_, i) => toHex(interopPubkey(i)));
    const validators = (await api.beacon.getStateValidators({stateId: "head", validatorIds: pubkeys})).value();
    assert.equal(validators.length, VALIDATORS);
    assert.ok(validators.every((v) => v.status === "active_ongoing"));
    const posted = (await api.beacon.postStateValidators({stateId: "head", validatorIds: [0, 1], statuses: ["active"] as never})).value();
    assert.deepEqual(posted.map((v) => v.index), [0, 1]);
    const one = (await api.beacon.getStateValidator({stateId: "head", validatorId: pubkeys[7]})).value();
    assert.equal(one.index, 7);
    const balances = (await api.beacon.getStateValidatorBalances({stateId: "head", validatorIds: [3]})).value();
    assert.equal(balances[0].index, 3);
    const committees = (await api.beacon.getEpochCommittees({stateId: "head", epoch: 0})).value();
    assert.equal(new Set(committees.flatMap((c) => c.validators)).size, VALIDATORS);

    const attesterDuties = (await api.validator.getAttesterDuties({epoch: 1, indices: [0, 1, 2, 3]})).value();
    assert.equal(attesterDuties.length, 4);
    const proposerDuties = await api.validator.getProposerDuties({epoch: 1});
    assert.equal(proposerDuties.value().length, SLOTS_PER_EPOCH);
    assert.match(String(proposerDuties.meta().dependentRoot), /^0x[0-9a-f]{64}$/);

    const now = Math.floor((Date.now() / 1000 - genesisTime));
    const data = (await api.validator.produceAttestationData({slot: now, committeeIndex: 0})).value();
    assert.equal(data.slot, now);
    assert.equal(toHex(data.beaconBlockRoot), toHex((await api.beacon.getBlockRoot({blockId: "head"})).value().root));

    const state = await api.debug.getStateV2({stateId: "head"}, {responseWireFormat: "ssz"});
    assert.equal(state.meta().version, "phase0");
    const fcDump = (await api.debug.getDebugForkChoice()).value();
    assert.ok(fcDump.forkChoiceNodes.length >= 7);
  });

  it("answers bad input with 400/404/415 and {code, message}, and the chain goes on", async () => {
    const url = node.url;
    const expect = async (res: Response, status: number) => {
      const body = (await res.json()) as {code: number; message: string};
      assert.equal(res.status, status, JSON.stringify(body));
      assert.equal(body.code, status);
      assert.equal(typeof body.message, "string");
    };
    const json = {"content-type": "application/json"};
    await expect(await fetch(`${url}/eth/v2/beacon/blocks`, {method: "POST", headers: json, body: "{\"message\": "}), 400);
    await expect(await fetch(`${url}/eth/v1/validator/duties/attester/0`, {method: "POST", headers: json, body: "[1, -2]"}), 400);
    await expect(await fetch(`${url}/eth/v1/beacon/states/head/validators?id=12abc`), 400);
    await expect(await fetch(`${url}/eth/v2/beacon/blocks`, {method: "POST", headers: {"content-type": "application/octet-stream"}, body: new Uint8Array([1, 2, 3, 4, 5])}), 400);
    await expect(await fetch(`${url}/eth/v2/beacon/blocks/${"0x" + "ab".repeat(32)}`), 404);
    await expect(await fetch(`${url}/eth/v1/beacon/states/head/validators/${"0x" + "ab".repeat(48)}`), 404);
    await expect(await fetch(`${url}/eth/v1/beacon/pool/voluntary_exits`, {method: "POST", headers: {"content-type": "text/plain"}, body: "exit"}), 415);

    // A block with a bad signature, and attestations with bad signatures.
    const head = ssz.SignedBeaconBlock.deserialize(lssz.phase0.SignedBeaconBlock.serialize((await api.beacon.getBlockV2({blockId: "head"})).value() as never));
    const forged = ssz.SignedBeaconBlock.serialize({message: {...head.message, slot: head.message.slot + 1}, signature: head.signature});
    await expect(await fetch(`${url}/eth/v2/beacon/blocks`, {method: "POST", headers: {"content-type": "application/octet-stream", "eth-consensus-version": "phase0"}, body: forged}), 400);
    const [att] = head.message.body.attestations;
    const badAtt = {...ssz.Attestation.toJson(att) as object, signature: toHex(head.signature)};
    const res = await fetch(`${url}/eth/v2/beacon/pool/attestations`, {method: "POST", headers: {...json, "eth-consensus-version": "phase0"}, body: JSON.stringify([badAtt])});
    const body = (await res.json()) as {code: number; failures: {index: number}[]};
    assert.equal(res.status, 400);
    assert.equal(body.failures[0].index, 0);

    // The node is unharmed: the next slots' blocks go in.
    const current = Math.floor(Date.now() / 1000 - genesisTime);
    for (const slot of [current + 1, current + 2]) {
      const root = await propose(slot, "ssz");
      assert.equal(toHex((await api.beacon.getBlockRoot({blockId: "head"})).value().root), toHex(root));
    }
    assert.equal(node.beacon.proc.exitCode, null);
  });
});
