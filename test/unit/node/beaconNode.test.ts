import {strict as assert} from "node:assert";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {FakeTime} from "../../../src/clock/index.ts";
import {BeaconNode, formatStatusLine, resolveNetwork} from "../../../src/node/index.ts";
import {InputError} from "../../../src/util/errors.ts";
import {silentLogger} from "../../../src/util/logger.ts";

describe("node: network resolution", () => {
  it("uses the stored network and refuses flags that contradict it", () => {
    assert.deepEqual(resolveNetwork(null, {configOverrides: {SECONDS_PER_SLOT: "2"}}, "minimal"), {
      preset: "minimal",
      configOverrides: {SECONDS_PER_SLOT: "2"},
    });
    const stored = {preset: "minimal", configOverrides: {SECONDS_PER_SLOT: "1", ALTAIR_FORK_EPOCH: "18446744073709551615"}};
    assert.deepEqual(resolveNetwork(stored, {configOverrides: {ALTAIR_FORK_EPOCH: "18446744073709551615"}}, "mainnet"), {
      preset: "minimal",
      configOverrides: stored.configOverrides,
    });
    assert.throws(() => resolveNetwork(stored, {preset: "mainnet", configOverrides: {}}, "minimal"), InputError);
    assert.throws(() => resolveNetwork(stored, {configOverrides: {SECONDS_PER_SLOT: "2"}}, "minimal"), /SECONDS_PER_SLOT=1/);
  });
});

describe("node: BeaconNode", function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "gnomon-node-"));
  });
  after(() => rmSync(dir, {recursive: true, force: true}));

  const start = (opts: {preset?: "minimal" | "mainnet"} = {}): Promise<BeaconNode> =>
    BeaconNode.start({
      dataDir: dir,
      network: {preset: opts.preset, configOverrides: {SECONDS_PER_SLOT: "6"}},
      defaultPreset: "minimal",
      genesis: {type: "interop", validators: 64, genesisTime: 1_700_000_000},
      rest: {address: "127.0.0.1", port: 0},
      logger: silentLogger,
      time: new FakeTime(1_700_000_000_000 + 20_000),
      statusLine: false,
    });

  it("starts on a new data dir, refuses a second node on it, and restarts on the stored chain", async () => {
    const node = await start();
    assert.match(node.restUrl!, /^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${node.restUrl}/eth/v1/beacon/genesis`);
    assert.equal(res.status, 200);
    const genesis = (await res.json()) as {data: {genesis_time: string}};
    assert.equal(genesis.data.genesis_time, "1700000000");
    assert.equal(node.chain.currentSlot(), 3);
    // The chain verifies on the node's BLS worker pool, which lives as long as the node.
    assert.equal(node.chain.blsVerifier, node.blsPool);
    assert.equal(node.blsPool.isClosed, false);
    assert.match(formatStatusLine(node.chain, 3, 0), /^slot 3 epoch 0 \| head 0 0x[0-9a-f]{4}…[0-9a-f]{4} \| justified 0 .* \| finalized 0 .* \| participation - \| peers 0$/);

    await assert.rejects(start(), (e: Error & {code?: string}) => e.code === "DATA_DIR_IN_USE");
    await node.stop();
    assert.equal(node.blsPool.isClosed, true);

    await assert.rejects(start({preset: "mainnet"}), InputError);
    const again = await start();
    assert.equal(again.chain.genesis.genesisTime, 1_700_000_000);
    await again.stop();
  });
});
