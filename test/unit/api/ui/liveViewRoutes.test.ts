/**
 * What the live view reads from the server besides the standard API: its own files at /ui, and
 * /gnomon/v1/participation against a real chain whose attestations are chosen (the committees of
 * 5 of 8 slots in epoch 0, of all 8 in epoch 1: 64 validators of equal balance, 8 per slot).
 */
import {strict as assert} from "node:assert";
import {createApiServer, type ApiServer} from "../../../../src/api/index.ts";
import {UI_ASSETS} from "../../../../src/api/ui/routes.ts";
import {SLOTS_PER_HISTORICAL_ROOT, useNetwork} from "../../../../src/params/index.ts";
import {computeEpochAtSlot} from "../../../../src/state-transition/index.ts";
import {createDevChain, SLOTS_PER_EPOCH, type DevChain} from "../helpers/devChain.ts";
import {assertError, get} from "../helpers/http.ts";

describe("api: the live view's routes (/ui, /gnomon/v1/participation)", function () {
  this.timeout(120_000);
  let dev: DevChain;
  let server: ApiServer;

  before(async () => {
    dev = await createDevChain();
    server = createApiServer(dev.chain);
  });
  after(async () => {
    await server.close();
    await dev.close();
    useNetwork("mainnet");
  });

  /** Every committee of the slot votes for the head. */
  async function attest(slot: number): Promise<void> {
    const count = dev.chain.getHead().state.epochCtx.getCommitteeCountPerSlot(computeEpochAtSlot(slot));
    const data = await Promise.all(Array.from({length: count}, (_, c) => dev.chain.produceAttestationData(slot, c)));
    const failures = await dev.chain.submitAttestations(dev.attestations(slot, (c) => data[c]));
    assert.deepEqual(failures, []);
  }

  it("serves the page and its assets from the repository, with a CSP that keeps them local", async () => {
    for (const path of ["/ui", "/ui/"]) {
      const res = await get(server.app, path, {accept: "text/html"});
      assert.equal(res.status, 200);
      assert.match(String(res.headers["content-type"]), /^text\/html/);
      assert.match(String(res.headers["content-security-policy"]), /script-src 'self'/);
      assert.match(res.raw.toString(), /<script type="module" src="\/ui\/app.js">/);
    }
    for (const name of UI_ASSETS) {
      const res = await get(server.app, `/ui/${name}`);
      assert.equal(res.status, 200, name);
      assert.ok(res.raw.length > 100, name);
    }
    assert.match(String((await get(server.app, "/ui/app.js")).headers["content-type"]), /^text\/javascript/);
    assertError(await get(server.app, "/ui/../package.json"), 404);
    assertError(await get(server.app, "/ui/routes.ts"), 404);
  });

  it("reports target participation per epoch: complete once the next epoch's last slot is reached", async () => {
    assert.deepEqual((await get(server.app, "/gnomon/v1/participation")).body, {data: []}, "no finished epoch at genesis");
    for (let slot = 1; slot <= 2 * SLOTS_PER_EPOCH + 2; slot++) {
      await dev.advanceTo(slot);
      await dev.proposeBlock(slot);
      const inEpoch = slot % SLOTS_PER_EPOCH;
      if (slot < SLOTS_PER_EPOCH ? inEpoch <= 5 : slot < 2 * SLOTS_PER_EPOCH) {
        await dev.advanceTo(slot, 4000);
        await attest(slot);
      }
    }
    // Head at slot 18 (epoch 2): epoch 0 is read at slot 15, epoch 1 from the head state.
    const early = (await get(server.app, "/gnomon/v1/participation?epochs=16")).body.data;
    assert.deepEqual(early, [
      {epoch: "0", target_participation: 5 / 8, complete: true},
      {epoch: "1", target_participation: 1, complete: false},
    ]);
    for (let slot = 2 * SLOTS_PER_EPOCH + 3; slot <= 3 * SLOTS_PER_EPOCH; slot++) {
      await dev.advanceTo(slot);
      await dev.proposeBlock(slot);
    }
    const late = (await get(server.app, "/gnomon/v1/participation?epochs=2")).body.data;
    assert.deepEqual(late, [
      {epoch: "1", target_participation: 1, complete: true},
      {epoch: "2", target_participation: 0, complete: false},
    ]);
    // Past the head state's block_roots window (64 slots on minimal), with no finality: read again, same figures.
    for (let slot = 3 * SLOTS_PER_EPOCH + 1; slot <= SLOTS_PER_HISTORICAL_ROOT + 3 * SLOTS_PER_EPOCH; slot++) {
      await dev.advanceTo(slot);
      await dev.proposeBlock(slot);
    }
    const old = (await get(server.app, "/gnomon/v1/participation?epochs=64")).body.data;
    assert.equal(old.length, computeEpochAtSlot(dev.chain.getHead().slot));
    assert.deepEqual(old.slice(0, 3), [
      {epoch: "0", target_participation: 5 / 8, complete: true},
      {epoch: "1", target_participation: 1, complete: true},
      {epoch: "2", target_participation: 0, complete: true},
    ]);
    assertError(await get(server.app, "/gnomon/v1/participation?epochs=0"), 400, /epochs/);
    assertError(await get(server.app, "/gnomon/v1/participation?epochs=65"), 400, /epochs/);
    assertError(await get(server.app, "/gnomon/v1/participation?epochs=x"), 400, /epochs/);
  });
});
