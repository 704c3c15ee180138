import {strict as assert} from "node:assert";
import {createApiServer, type ApiServer} from "../../../src/api/index.ts";
import {useNetwork} from "../../../src/params/index.ts";
import {ssz} from "../../../src/types/index.ts";
import {toHex} from "../../../src/util/bytes.ts";
import {createDevChain, VALIDATOR_COUNT, type DevChain} from "./helpers/devChain.ts";
import {get, post, SSZ_ACCEPT} from "./helpers/http.ts";

/** Nothing in the API may assume the minimal preset: the same flows on mainnet's. */
describe("api: on the mainnet preset", function () {
  let dev: DevChain;
  let server: ApiServer;

  before(async () => {
    dev = await createDevChain({preset: "mainnet"});
    server = createApiServer(dev.chain);
  });
  after(async () => {
    await server.close();
    await dev.close();
    useNetwork("mainnet");
  });

  it("reports mainnet's spec and 32-slot epochs in duties and committees", async () => {
    assert.equal((await get(server.app, "/eth/v1/config/spec")).body.data.SLOTS_PER_EPOCH, "32");
    const proposers = await get(server.app, "/eth/v1/validator/duties/proposer/0");
    assert.equal(proposers.body.data.length, 32);
    const committees = await get(server.app, "/eth/v1/beacon/states/head/committees");
    assert.equal(new Set(committees.body.data.map((c: {slot: string}) => c.slot)).size, 32);
    const duties = await post(server.app, "/eth/v1/validator/duties/attester/0", Array.from({length: VALIDATOR_COUNT}, (_, i) => String(i)));
    assert.equal(duties.body.data.length, VALIDATOR_COUNT);
  });

  it("produces, publishes and serves a block as SSZ", async () => {
    await dev.advanceTo(1);
    const proposer = await dev.proposerOf(1);
    const reveal = toHex(dev.randaoReveal(1, proposer));
    const produced = await get(server.app, `/eth/v3/validator/blocks/1?randao_reveal=${reveal}`, SSZ_ACCEPT);
    assert.equal(produced.status, 200);
    const signed = dev.signBlock(ssz.BeaconBlock.deserialize(produced.raw));
    assert.equal((await post(server.app, "/eth/v2/beacon/blocks", ssz.SignedBeaconBlock.serialize(signed))).status, 200);
    const served = await get(server.app, "/eth/v2/beacon/blocks/head", SSZ_ACCEPT);
    assert.deepEqual(new Uint8Array(served.raw), ssz.SignedBeaconBlock.serialize(signed));
    const state = await get(server.app, "/eth/v2/debug/beacon/states/head", SSZ_ACCEPT);
    assert.equal(ssz.BeaconState.deserialize(new Uint8Array(state.raw)).randao_mixes.length, 65536);
  });
});
