import {strict as assert} from "node:assert";
import {createApiServer, type ApiServer} from "../../../src/api/index.ts";
import {useNetwork} from "../../../src/params/index.ts";
import {ssz} from "../../../src/types/index.ts";
import {toHex} from "../../../src/util/bytes.ts";
import {createDevChain, type DevChain} from "./helpers/devChain.ts";
import {assertError, get, SSZ_ACCEPT} from "./helpers/http.ts";

describe("api: debug routes", function () {
  let dev: DevChain;
  let server: ApiServer;

  before(async () => {
    dev = await createDevChain();
    for (let s = 1; s <= 3; s++) {
      await dev.advanceTo(s);
      await dev.proposeBlock(s);
    }
    server = createApiServer(dev.chain);
  });
  after(async () => {
    await server.close();
    await dev.close();
    useNetwork("mainnet");
  });

  it("serves a full state as JSON and SSZ", async () => {
    const head = dev.chain.getHead();
    const json = await get(server.app, "/eth/v2/debug/beacon/states/head");
    assert.equal(json.status, 200);
    assert.equal(json.headers["eth-consensus-version"], "phase0");
    assert.equal(json.body.version, "phase0");
    assert.equal(json.body.finalized, false);
    const fromJson = ssz.BeaconState.fromJson(json.body.data);
    assert.equal(toHex(ssz.BeaconState.hashTreeRoot(fromJson)), toHex(head.stateRoot));
    const bytes = await get(server.app, "/eth/v2/debug/beacon/states/head", SSZ_ACCEPT);
    assert.equal(bytes.headers["content-type"], "application/octet-stream");
    assert.equal(toHex(ssz.BeaconState.deserializeToViewDU(new Uint8Array(bytes.raw)).hashTreeRoot()), toHex(head.stateRoot));
    const genesis = await get(server.app, "/eth/v2/debug/beacon/states/genesis", SSZ_ACCEPT);
    assert.equal(ssz.BeaconState.deserialize(new Uint8Array(genesis.raw)).slot, 0);
    assertError(await get(server.app, "/eth/v2/debug/beacon/states/nowhere"), 400);
    assertError(await get(server.app, `/eth/v2/debug/beacon/states/0x${"44".repeat(32)}`), 404);
    assertError(await get(server.app, "/eth/v2/debug/beacon/states/head", {accept: "text/html"}), 406);
  });

  it("lists fork-choice heads and dumps fork choice", async () => {
    const head = dev.chain.getHead();
    const heads = await get(server.app, "/eth/v2/debug/beacon/heads");
    assert.deepEqual(heads.body, {data: [{root: toHex(head.root), slot: "3", execution_optimistic: false}]});
    const fc = await get(server.app, "/eth/v1/debug/fork_choice");
    assert.deepEqual(Object.keys(fc.body).sort(), ["extra_data", "finalized_checkpoint", "fork_choice_nodes", "justified_checkpoint"]);
    assert.equal(fc.body.finalized_checkpoint.epoch, "0");
    assert.deepEqual(fc.body.fork_choice_nodes.map((n: {slot: string}) => n.slot), ["0", "1", "2", "3"]);
    const n3 = fc.body.fork_choice_nodes[3];
    assert.equal(n3.block_root, toHex(head.root));
    assert.equal(n3.parent_root, fc.body.fork_choice_nodes[2].block_root);
    assert.equal(n3.validity, "valid");
    assert.equal(n3.execution_block_hash, "0x" + "00".repeat(32));
    assert.equal(n3.extra_data.state_root, toHex(head.stateRoot));
    assert.match(n3.weight, /^[0-9]+$/);
  });
});
