import {strict as assert} from "node:assert";
import {createApiServer, type ApiServer} from "../../../src/api/index.ts";
import {useNetwork} from "../../../src/params/index.ts";
import {ssz, type SignedBeaconBlock} from "../../../src/types/index.ts";
import {toHex} from "../../../src/util/bytes.ts";
import {createDevChain, type DevChain} from "./helpers/devChain.ts";
import {assertError, get, post, request, SSZ_ACCEPT} from "./helpers/http.ts";

describe("api: beacon block and header routes", function () {
  let dev: DevChain;
  let server: ApiServer;
  const blocks: SignedBeaconBlock[] = [];
  const root = (b: SignedBeaconBlock) => toHex(ssz.BeaconBlock.hashTreeRoot(b.message));

  /** A block for `slot` from the v3 endpoint (SSZ), signed by its proposer. */
  async function produceSigned(slot: number, graffiti = "0x" + "00".repeat(32)): Promise<SignedBeaconBlock> {
    const proposer = await dev.proposerOf(slot);
    const reveal = toHex(dev.randaoReveal(slot, proposer));
    const res = await get(server.app, `/eth/v3/validator/blocks/${slot}?randao_reveal=${reveal}&graffiti=${graffiti}`, SSZ_ACCEPT);
    assert.equal(res.status, 200, String(res.body));
    return dev.signBlock(ssz.BeaconBlock.deserialize(res.raw));
  }

  before(async () => {
    dev = await createDevChain();
    server = createApiServer(dev.chain);
    for (let s = 1; s <= 4; s++) {
      await dev.advanceTo(s);
      blocks[s] = await dev.proposeBlock(s);
      // Everyone attests to the new block: the next block carries the aggregates.
      await dev.advanceTo(s, 2000);
      const data = (c: number) => dev.chain.produceAttestationData(s, c);
      const datas = await Promise.all([0, 1, 2, 3].map((c) => data(c).catch(() => null)));
      const atts = dev.attestations(s, (c) => datas[c]!);
      const res = await post(server.app, "/eth/v2/beacon/pool/attestations", atts.map((a) => ssz.Attestation.toJson(a)), {
        "eth-consensus-version": "phase0",
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
  });
  after(async () => {
    await server.close();
    await dev.close();
    useNetwork("mainnet");
  });

  it("serves blocks as JSON with version and as SSZ", async () => {
    for (const id of ["2", root(blocks[2])]) {
      const json = await get(server.app, `/eth/v2/beacon/blocks/${id}`);
      assert.equal(json.status, 200);
      assert.equal(json.headers["eth-consensus-version"], "phase0");
      assert.equal(json.body.version, "phase0");
      assert.equal(json.body.execution_optimistic, false);
      assert.equal(json.body.finalized, false);
      assert.deepEqual(json.body.data, ssz.SignedBeaconBlock.toJson(blocks[2]));
      const bytes = await get(server.app, `/eth/v2/beacon/blocks/${id}`, SSZ_ACCEPT);
      assert.equal(bytes.headers["content-type"], "application/octet-stream");
      assert.equal(bytes.headers["eth-consensus-version"], "phase0");
      assert.deepEqual(new Uint8Array(bytes.raw), ssz.SignedBeaconBlock.serialize(blocks[2]));
    }
    const head = await get(server.app, "/eth/v2/beacon/blocks/head");
    assert.equal(head.body.data.message.slot, "4");
    const genesis = await get(server.app, "/eth/v2/beacon/blocks/genesis");
    assert.equal(genesis.body.data.message.slot, "0");
    assert.equal(genesis.body.finalized, true);
    assertError(await get(server.app, "/eth/v2/beacon/blocks/99"), 404, /Block not found/);
    assertError(await get(server.app, `/eth/v2/beacon/blocks/0x${"01".repeat(32)}`), 404);
    assertError(await get(server.app, "/eth/v2/beacon/blocks/justified"), 400, /Invalid block ID/);
    assertError(await get(server.app, "/eth/v2/beacon/blocks/0xabc"), 400);
  });

  it("serves block roots and the attestations a block carries", async () => {
    const r = await get(server.app, "/eth/v1/beacon/blocks/3/root");
    assert.deepEqual(r.body, {execution_optimistic: false, finalized: false, data: {root: root(blocks[3])}});
    const atts = await get(server.app, "/eth/v2/beacon/blocks/3/attestations");
    assert.equal(atts.body.version, "phase0");
    assert.equal(atts.headers["eth-consensus-version"], "phase0");
    assert.ok(blocks[3].message.body.attestations.length > 0, "the block packed the pool's attestations");
    assert.deepEqual(atts.body.data, blocks[3].message.body.attestations.map((a) => ssz.Attestation.toJson(a)));
    assert.equal(atts.body.data[0].data.slot, "2");
  });

  it("serves headers by id and filtered by slot and parent root", async () => {
    const one = await get(server.app, `/eth/v1/beacon/headers/${root(blocks[2])}`);
    assert.equal(one.body.data.root, root(blocks[2]));
    assert.equal(one.body.data.canonical, true);
    assert.deepEqual(one.body.data.header.message, {
      slot: "2",
      proposer_index: String(blocks[2].message.proposer_index),
      parent_root: root(blocks[1]),
      state_root: toHex(blocks[2].message.state_root),
      body_root: toHex(ssz.BeaconBlockBody.hashTreeRoot(blocks[2].message.body)),
    });
    assert.equal(one.body.data.header.signature, toHex(blocks[2].signature));
    const byDefault = await get(server.app, "/eth/v1/beacon/headers");
    assert.deepEqual(byDefault.body.data.map((h: {root: string}) => h.root), [root(blocks[4])]);
    const bySlot = await get(server.app, "/eth/v1/beacon/headers?slot=3");
    assert.deepEqual(bySlot.body.data.map((h: {root: string}) => h.root), [root(blocks[3])]);
    const byParent = await get(server.app, `/eth/v1/beacon/headers?parent_root=${root(blocks[3])}`);
    assert.deepEqual(byParent.body.data.map((h: {root: string}) => h.root), [root(blocks[4])]);
    assert.deepEqual((await get(server.app, `/eth/v1/beacon/headers?parent_root=0x${"09".repeat(32)}`)).body.data, []);
    const both = await get(server.app, `/eth/v1/beacon/headers?slot=4&parent_root=${root(blocks[3])}`);
    assert.deepEqual(both.body.data.map((h: {root: string}) => h.root), [root(blocks[4])]);
    assert.deepEqual((await get(server.app, `/eth/v1/beacon/headers?slot=3&parent_root=${root(blocks[3])}`)).body.data, []);
    assertError(await get(server.app, "/eth/v1/beacon/headers?slot=three"), 400, /Invalid slot/);
    assertError(await get(server.app, "/eth/v1/beacon/headers?parent_root=0x12"), 400, /Invalid parent_root/);
    assertError(await get(server.app, "/eth/v1/beacon/headers/77"), 404);
  });

  it("publishes an SSZ block (v2), accepts it again as already known, and moves the head", async () => {
    await dev.advanceTo(5);
    const signed = await produceSigned(5);
    const bytes = ssz.SignedBeaconBlock.serialize(signed);
    const res = await post(server.app, "/eth/v2/beacon/blocks?broadcast_validation=consensus", bytes, {"eth-consensus-version": "phase0"});
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(toHex(dev.chain.getHead().root), root(signed));
    assert.equal((await post(server.app, "/eth/v2/beacon/blocks", bytes, {"eth-consensus-version": "phase0"})).status, 200);
    blocks[5] = signed;
  });

  it("publishes a JSON block through the older v1 route", async () => {
    await dev.advanceTo(6);
    const signed = await produceSigned(6);
    const res = await post(server.app, "/eth/v1/beacon/blocks", ssz.SignedBeaconBlock.toJson(signed));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(dev.chain.getHead().slot, 6);
    blocks[6] = signed;
  });

  it("rejects bad blocks with 400 and keeps the head", async () => {
    await dev.advanceTo(7);
    const headBefore = toHex(dev.chain.getHead().root);
    const good = await produceSigned(7);

    const badSig = {...good, signature: dev.signBlock({...good.message, slot: 8}).signature};
    assertError(await post(server.app, "/eth/v2/beacon/blocks", ssz.SignedBeaconBlock.serialize(badSig)), 400, /BLOCK_INVALID/);

    const badRoot = dev.signBlock({...good.message, state_root: new Uint8Array(32).fill(7)});
    assertError(await post(server.app, "/eth/v2/beacon/blocks", ssz.SignedBeaconBlock.toJson(badRoot)), 400, /BLOCK_INVALID/);

    const orphan = dev.signBlock({...good.message, parent_root: new Uint8Array(32).fill(3)});
    assertError(await post(server.app, "/eth/v2/beacon/blocks", ssz.SignedBeaconBlock.toJson(orphan)), 400, /PARENT_UNKNOWN/);

    const bytes = ssz.SignedBeaconBlock.serialize(good);
    assertError(await post(server.app, "/eth/v2/beacon/blocks", bytes.subarray(0, bytes.length - 10)), 400, /Invalid SSZ SignedBeaconBlock/);
    assertError(await post(server.app, "/eth/v2/beacon/blocks", new Uint8Array(0)), 400);
    assertError(await post(server.app, "/eth/v2/beacon/blocks", {message: {slot: "7"}}), 400, /missing field/);
    assertError(await post(server.app, "/eth/v2/beacon/blocks", "{not json", {"content-type": "application/json"}), 400, /Malformed JSON/);
    assertError(await post(server.app, "/eth/v2/beacon/blocks", bytes, {"eth-consensus-version": "altair"}), 400, /Eth-Consensus-Version/);
    assertError(await post(server.app, "/eth/v2/beacon/blocks?broadcast_validation=full", bytes), 400, /broadcast_validation/);
    assertError(await request(server.app, "POST", "/eth/v2/beacon/blocks", {body: "x", headers: {"content-type": "text/plain"}}), 415);
    assert.equal(toHex(dev.chain.getHead().root), headBefore);

    // The good one still goes in after all that.
    assert.equal((await post(server.app, "/eth/v2/beacon/blocks", bytes)).status, 200);
    assert.equal(dev.chain.getHead().slot, 7);
  });

  it("refuses an equivocating block when asked to check (consensus_and_equivocation)", async () => {
    await dev.advanceTo(8);
    const first = await produceSigned(8);
    assert.equal((await post(server.app, "/eth/v2/beacon/blocks", ssz.SignedBeaconBlock.serialize(first))).status, 200);
    // Same proposer, same slot, different body: produced on the previous head with another graffiti.
    const second = dev.signBlock({...first.message, body: {...first.message.body, graffiti: new Uint8Array(32).fill(1)}});
    const res = await post(server.app, "/eth/v2/beacon/blocks?broadcast_validation=consensus_and_equivocation", ssz.SignedBeaconBlock.serialize(second));
    assertError(res, 400, /equivocates/);
  });
});
