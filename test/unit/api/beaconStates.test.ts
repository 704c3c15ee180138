import {strict as assert} from "node:assert";
import {ContainerType, ListCompositeType} from "@chainsafe/ssz";
import {createApiServer, type ApiServer} from "../../../src/api/index.ts";
import {interopPubkey} from "../../../src/crypto/index.ts";
import {useNetwork} from "../../../src/params/index.ts";
import {primitive, ssz} from "../../../src/types/index.ts";
import {toHex} from "../../../src/util/bytes.ts";
import {createDevChain, GENESIS_TIME, VALIDATOR_COUNT, type DevChain} from "./helpers/devChain.ts";
import {assertError, get, post, SSZ_ACCEPT} from "./helpers/http.ts";

describe("api: beacon state routes", function () {
  let dev: DevChain;
  let server: ApiServer;
  const HEAD_SLOT = 6;

  before(async () => {
    dev = await createDevChain();
    for (let s = 1; s <= HEAD_SLOT; s++) {
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

  it("serves genesis", async () => {
    const res = await get(server.app, "/eth/v1/beacon/genesis");
    const genesis = (await dev.chain.getStateById("genesis"))!.state.state;
    assert.deepEqual(res.body.data, {
      genesis_time: String(GENESIS_TIME),
      genesis_validators_root: toHex(genesis.genesis_validators_root),
      genesis_fork_version: "0x00000001",
    });
  });

  it("resolves every kind of state id to the chain's state", async () => {
    const head = dev.chain.getHead();
    const headRoot = toHex(head.stateRoot);
    for (const id of ["head", String(HEAD_SLOT), headRoot]) {
      const res = await get(server.app, `/eth/v1/beacon/states/${id}/root`);
      assert.equal(res.status, 200, id);
      assert.deepEqual(res.body, {execution_optimistic: false, finalized: false, data: {root: headRoot}});
    }
    const genesisBlock = (await dev.chain.getBlockById("genesis"))!;
    for (const id of ["genesis", "0", "finalized", "justified"]) {
      const res = await get(server.app, `/eth/v1/beacon/states/${id}/root`);
      assert.equal(res.body.data.root, toHex(genesisBlock.signedBlock.message.state_root), id);
    }
    assert.equal((await get(server.app, "/eth/v1/beacon/states/genesis/root")).body.finalized, true);
  });

  it("answers 400 for malformed state ids and 404 for unknown ones", async () => {
    assertError(await get(server.app, "/eth/v1/beacon/states/current/root"), 400, /Invalid state ID: current/);
    assertError(await get(server.app, "/eth/v1/beacon/states/-1/root"), 400);
    assertError(await get(server.app, "/eth/v1/beacon/states/0x1234/fork"), 400);
    assertError(await get(server.app, "/eth/v1/beacon/states/99999999999999999999/root"), 400);
    assertError(await get(server.app, `/eth/v1/beacon/states/0x${"ee".repeat(32)}/root`), 404, /State not found/);
    assertError(await get(server.app, "/eth/v1/beacon/states/100000/finality_checkpoints"), 404);
  });

  it("serves fork and finality checkpoints", async () => {
    const fork = await get(server.app, "/eth/v1/beacon/states/head/fork");
    assert.deepEqual(fork.body.data, {previous_version: "0x00000001", current_version: "0x00000001", epoch: "0"});
    const fc = await get(server.app, "/eth/v1/beacon/states/head/finality_checkpoints");
    const zero = {epoch: "0", root: "0x" + "00".repeat(32)};
    assert.deepEqual(fc.body.data, {previous_justified: zero, current_justified: zero, finalized: zero});
  });

  it("lists validators with status and balance, filtered by ids of any number and kind", async () => {
    const all = await get(server.app, "/eth/v1/beacon/states/head/validators");
    assert.equal(all.body.data.length, VALIDATOR_COUNT);
    const v5 = all.body.data[5];
    assert.deepEqual(Object.keys(v5), ["index", "balance", "status", "validator"]);
    assert.equal(v5.index, "5");
    assert.equal(v5.status, "active_ongoing");
    assert.equal(v5.validator.pubkey, toHex(interopPubkey(5)));
    assert.equal(v5.validator.exit_epoch, "18446744073709551615");

    // 64 pubkeys in one id parameter, plus an unknown pubkey and an index past the registry.
    const pubkeys = Array.from({length: VALIDATOR_COUNT}, (_, i) => toHex(interopPubkey(i)));
    const ids = [...pubkeys, "0x" + "a1".repeat(48), "1000", "3"].join(",");
    const byPubkey = await get(server.app, `/eth/v1/beacon/states/head/validators?id=${ids}`);
    assert.equal(byPubkey.status, 200);
    assert.equal(byPubkey.body.data.length, VALIDATOR_COUNT);
    assert.deepEqual(
      byPubkey.body.data.map((v: {index: string}) => Number(v.index)),
      Array.from({length: VALIDATOR_COUNT}, (_, i) => i)
    );

    const repeated = await get(server.app, "/eth/v1/beacon/states/head/validators?id=2&id=7,9");
    assert.deepEqual(repeated.body.data.map((v: {index: string}) => v.index), ["2", "7", "9"]);

    assert.equal((await get(server.app, "/eth/v1/beacon/states/head/validators?status=active")).body.data.length, VALIDATOR_COUNT);
    assert.equal((await get(server.app, "/eth/v1/beacon/states/head/validators?status=pending,exited")).body.data.length, 0);
    assert.equal((await get(server.app, "/eth/v1/beacon/states/head/validators?id=1,2&status=active_ongoing")).body.data.length, 2);
    assertError(await get(server.app, "/eth/v1/beacon/states/head/validators?status=dormant"), 400, /dormant/);
    assertError(await get(server.app, "/eth/v1/beacon/states/head/validators?id=12abc"), 400, /Invalid validator ID/);
    assertError(await get(server.app, "/eth/v1/beacon/states/head/validators?id=0x1234"), 400, /Invalid validator ID/);
  });

  it("takes validator filters in a POST body", async () => {
    const res = await post(server.app, "/eth/v1/beacon/states/head/validators", {ids: ["1", toHex(interopPubkey(2))], statuses: ["active"]});
    assert.deepEqual(res.body.data.map((v: {index: string}) => v.index), ["1", "2"]);
    assert.equal((await post(server.app, "/eth/v1/beacon/states/head/validators", {ids: null, statuses: []})).body.data.length, VALIDATOR_COUNT);
    assert.equal((await post(server.app, "/eth/v1/beacon/states/head/validators", {})).body.data.length, VALIDATOR_COUNT);
    assertError(await post(server.app, "/eth/v1/beacon/states/head/validators", ["1"]), 400);
    assertError(await post(server.app, "/eth/v1/beacon/states/head/validators", {ids: [1]}), 400, /expected a string/);
    assertError(await post(server.app, "/eth/v1/beacon/states/head/validators", {statuses: ["zombie"]}), 400, /zombie/);
  });

  it("serves one validator by index or pubkey", async () => {
    const byIndex = await get(server.app, "/eth/v1/beacon/states/head/validators/7");
    const byKey = await get(server.app, `/eth/v1/beacon/states/head/validators/${toHex(interopPubkey(7))}`);
    assert.equal(byIndex.status, 200);
    assert.deepEqual(byIndex.body, byKey.body);
    assert.equal(byIndex.body.data.balance, String(dev.chain.getHead().state.state.balances.get(7)));
    assertError(await get(server.app, "/eth/v1/beacon/states/head/validators/64"), 404, /Validator not found/);
    assertError(await get(server.app, `/eth/v1/beacon/states/head/validators/0x${"a1".repeat(48)}`), 404);
    assertError(await get(server.app, "/eth/v1/beacon/states/head/validators/seven"), 400);
  });

  it("serves balances as JSON and SSZ, by GET and POST", async () => {
    const balances = dev.chain.getHead().state.state.balances.getAll();
    const json = await get(server.app, "/eth/v1/beacon/states/head/validator_balances?id=0,63");
    assert.deepEqual(json.body.data, [
      {index: "0", balance: String(balances[0])},
      {index: "63", balance: String(balances[63])},
    ]);
    const sszRes = await get(server.app, "/eth/v1/beacon/states/head/validator_balances?id=0,63", SSZ_ACCEPT);
    assert.equal(sszRes.headers["content-type"], "application/octet-stream");
    const listType = new ListCompositeType(new ContainerType({index: primitive.Uint64, balance: primitive.Uint64}), 2 ** 40);
    assert.deepEqual(listType.deserialize(sszRes.raw), [
      {index: 0, balance: balances[0]},
      {index: 63, balance: balances[63]},
    ]);
    assert.equal((await post(server.app, "/eth/v1/beacon/states/head/validator_balances", [])).body.data.length, VALIDATOR_COUNT);
    assert.equal((await post(server.app, "/eth/v1/beacon/states/head/validator_balances")).body.data.length, VALIDATOR_COUNT);
    assert.deepEqual((await post(server.app, "/eth/v1/beacon/states/head/validator_balances", ["5"])).body.data, [{index: "5", balance: String(balances[5])}]);
    assertError(await post(server.app, "/eth/v1/beacon/states/head/validator_balances", {ids: ["5"]}), 400);
  });

  it("serves committees with epoch, slot and index filters", async () => {
    const cached = dev.chain.getHead().state;
    const all = await get(server.app, "/eth/v1/beacon/states/head/committees");
    const perSlot = cached.epochCtx.getCommitteeCountPerSlot(0);
    assert.equal(all.body.data.length, 8 * perSlot);
    const slot3 = await get(server.app, "/eth/v1/beacon/states/head/committees?slot=3&index=1");
    assert.deepEqual(slot3.body.data, [{index: "1", slot: "3", validators: Array.from(cached.epochCtx.getBeaconCommittee(3, 1), String)}]);
    const next = await get(server.app, "/eth/v1/beacon/states/head/committees?epoch=1&slot=9");
    assert.deepEqual(
      next.body.data.map((c: {validators: string[]}) => c.validators),
      Array.from({length: perSlot}, (_, i) => Array.from(cached.epochCtx.getBeaconCommittee(9, i), String))
    );
    // The whole registry is in some committee of each epoch.
    const members = all.body.data.flatMap((c: {validators: string[]}) => c.validators).map(Number).sort((a: number, b: number) => a - b);
    assert.deepEqual(members, Array.from({length: VALIDATOR_COUNT}, (_, i) => i));
    assertError(await get(server.app, "/eth/v1/beacon/states/head/committees?epoch=0&slot=9"), 400, /does not belong in epoch/);
    assertError(await get(server.app, "/eth/v1/beacon/states/head/committees?epoch=5"), 400, /out of range/);
    assertError(await get(server.app, "/eth/v1/beacon/states/head/committees?index=x"), 400, /Invalid index/);
  });

  it("serves the randao mix of an epoch the state holds", async () => {
    const state = dev.chain.getHead().state.state;
    const res = await get(server.app, "/eth/v1/beacon/states/head/randao");
    assert.equal(res.body.data.randao, toHex(state.randao_mixes.get(0)));
    assert.equal((await get(server.app, "/eth/v1/beacon/states/head/randao?epoch=0")).body.data.randao, res.body.data.randao);
    assertError(await get(server.app, "/eth/v1/beacon/states/head/randao?epoch=1"), 400, /out of range/);
    // The genesis state's mix differs from the head's: every block mixed in a reveal.
    const genesis = await get(server.app, "/eth/v1/beacon/states/genesis/randao");
    assert.notEqual(genesis.body.data.randao, res.body.data.randao);
    assert.equal(genesis.body.finalized, true);
  });
});
