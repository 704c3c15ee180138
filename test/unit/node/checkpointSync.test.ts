import {strict as assert} from "node:assert";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {FakeTime} from "../../../src/clock/index.ts";
import {createBeaconMetrics, startMetricsServer, type BeaconMetrics, type MetricsServer} from "../../../src/metrics/index.ts";
import {BeaconNode, parseCheckpointSyncUrl, parseWssCheckpoint, type BeaconNodeOptions} from "../../../src/node/index.ts";
import {toHex} from "../../../src/util/bytes.ts";
import {InputError} from "../../../src/util/errors.ts";
import {silentLogger} from "../../../src/util/logger.ts";
import {GENESIS_TIME, InProcessValidators, runSlots, slotsOfEpochs, type TestChain} from "../chain/helpers.ts";
import {parsePrometheusText} from "../metrics/prometheusText.ts";

const FAR = "18446744073709551615";
const NETWORK = {preset: "minimal" as const, configOverrides: {ALTAIR_FORK_EPOCH: FAR, BELLATRIX_FORK_EPOCH: FAR}};

async function getJson(url: string): Promise<any> {
  const res = await fetch(url);
  assert.equal(res.status, 200, `${url}: ${res.status}`);
  return res.json();
}

async function getSsz(url: string): Promise<Uint8Array> {
  const res = await fetch(url, {headers: {accept: "application/octet-stream"}});
  assert.equal(res.status, 200, `${url}: ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

describe("node: checkpoint sync over REST, and metrics that follow the API", function () {
  this.timeout(300_000);
  let root: string;
  let time: FakeTime;
  let source: BeaconNode;
  let metrics: BeaconMetrics;
  let metricsServer: MetricsServer;
  const nodes: BeaconNode[] = [];

  const options = (dir: string, extra: Partial<BeaconNodeOptions> = {}): BeaconNodeOptions => ({
    dataDir: join(root, dir),
    network: NETWORK,
    defaultPreset: "minimal",
    rest: {address: "127.0.0.1", port: 0},
    logger: silentLogger,
    statusLine: false,
    time,
    ...extra,
  });

  before(async () => {
    root = mkdtempSync(join(tmpdir(), "gnomon-cpsync-"));
    time = new FakeTime(GENESIS_TIME * 1000);
    metrics = createBeaconMetrics();
    source = await BeaconNode.start(options("source", {genesis: {type: "interop", validators: 64, genesisTime: GENESIS_TIME}, metrics}));
    metricsServer = await startMetricsServer({address: "127.0.0.1", port: 0, registers: [metrics.register]});
    const t = {chain: source.chain, time} as unknown as TestChain;
    await runSlots(t, new InProcessValidators(source.chain, 64), slotsOfEpochs(5) + 1);
    assert.ok(source.chain.getFinalizedCheckpoint().epoch >= 2, "the source finalized");
  });

  after(async () => {
    await metricsServer?.close();
    for (const n of nodes) await n.stop();
    await source?.stop();
    rmSync(root, {recursive: true, force: true});
  });

  it("serves metrics whose head slot and finalized epoch are the REST API's, with block import and BLS batch figures", async () => {
    const text = await (await fetch(`${metricsServer.url}/metrics`)).text();
    const m = parsePrometheusText(text);
    const head = await getJson(`${source.restUrl}/eth/v1/beacon/headers/head`);
    const fin = await getJson(`${source.restUrl}/eth/v1/beacon/states/head/finality_checkpoints`);
    assert.equal(m.get("beacon_head_slot"), Number(head.data.header.message.slot));
    assert.equal(m.get("beacon_finalized_epoch"), Number(fin.data.finalized.epoch));
    assert.equal(m.get("beacon_current_justified_epoch"), Number(fin.data.current_justified.epoch));
    assert.equal(m.get("libp2p_peers"), 0);
    assert.equal(m.get('beacon_block_import_seconds_count{source="api"}'), slotsOfEpochs(5) + 1);
    assert.ok(m.get("beacon_bls_batch_sets_count")! > 0);
    assert.ok(m.get("beacon_db_size_bytes")! > 0);
    assert.ok(m.get("process_resident_memory_bytes")! > 0);
    assert.ok(m.has("nodejs_eventloop_lag_seconds"));
    metrics.onGossipVerdict("beacon_block", "accept");
    const again = parsePrometheusText(await (await fetch(`${metricsServer.url}/metrics`)).text());
    assert.equal(again.get('beacon_gossip_messages_total{topic="beacon_block",verdict="accept"}'), 1);
    assert.equal((await fetch(`${metricsServer.url}/other`)).status, 404);
  });

  it("starts a node from the source's finalized block and state, verified, and reports its block range", async () => {
    const finalized = source.chain.getFinalizedCheckpoint();
    const node = await BeaconNode.start(options("synced", {checkpointSync: {url: source.restUrl!}}));
    nodes.push(node);
    const anchorBlock = await getSsz(`${source.restUrl}/eth/v2/beacon/blocks/${toHex(finalized.root)}`);
    const anchorSlot = source.chain.forkChoice.getBlock(toHex(finalized.root))!.slot;
    // It serves the block and the state it started from, byte for byte.
    assert.deepEqual(await getSsz(`${node.restUrl}/eth/v2/beacon/blocks/finalized`), anchorBlock);
    assert.deepEqual(await getSsz(`${node.restUrl}/eth/v2/debug/beacon/states/${anchorSlot}`), await getSsz(`${source.restUrl}/eth/v2/debug/beacon/states/${anchorSlot}`));
    assert.equal(node.chain.getFinalizedCheckpoint().epoch, finalized.epoch);
    assert.equal(toHex(node.chain.genesis.genesisValidatorsRoot), toHex(source.chain.genesis.genesisValidatorsRoot));
    const range = (await getJson(`${node.restUrl}/gnomon/v1/node/block_range`)).data;
    assert.deepEqual(range, {
      oldest_slot: String(anchorSlot),
      oldest_root: toHex(finalized.root),
      head_slot: String(anchorSlot),
      head_root: toHex(finalized.root),
      from_genesis: false,
    });
    // Older blocks are not there until backfilled.
    assert.equal((await fetch(`${node.restUrl}/eth/v2/beacon/blocks/1`)).status, 404);
    const sourceRange = (await getJson(`${source.restUrl}/gnomon/v1/node/block_range`)).data;
    assert.equal(sourceRange.oldest_slot, "0");
    assert.equal(sourceRange.from_genesis, true);

    // A restart loads the stored anchor without asking the source again.
    await node.stop();
    nodes.pop();
    const restarted = await BeaconNode.start(options("synced"));
    nodes.push(restarted);
    assert.equal(toHex(restarted.chain.getFinalizedCheckpoint().root), toHex(finalized.root));
  });

  it("checks the fetched block against a --wss-checkpoint", async () => {
    const finalized = source.chain.getFinalizedCheckpoint();
    const ok = await BeaconNode.start(options("wss-ok", {checkpointSync: {url: source.restUrl!, wss: {epoch: finalized.epoch, root: finalized.root}}}));
    nodes.push(ok);
    assert.equal(toHex(ok.chain.getHead().root), toHex(finalized.root));
    // The checkpoint's block must be at or before the start of its epoch.
    await assert.rejects(
      BeaconNode.start(options("wss-early", {checkpointSync: {url: source.restUrl!, wss: {epoch: 0, root: finalized.root}}})),
      (e: Error & {code?: string}) => e.code === "CHECKPOINT_SYNC_INVALID" && /after the start of checkpoint epoch 0/.test(e.message)
    );
    await assert.rejects(
      BeaconNode.start(options("wss-unknown", {checkpointSync: {url: source.restUrl!, wss: {epoch: finalized.epoch, root: new Uint8Array(32).fill(7)}}})),
      (e: Error & {code?: string}) => e.code === "CHECKPOINT_SYNC_FAILED" && /HTTP 404/.test(e.message)
    );
    await assert.rejects(
      BeaconNode.start(options("wrong-net", {network: {preset: "minimal", configOverrides: {...NETWORK.configOverrides, GENESIS_FORK_VERSION: "0x00676e6d"}}, checkpointSync: {url: source.restUrl!}})),
      // (Both nodes share this process's config, so the state's fork version is what tells here.)
      /0x00000001, this node'?s? GENESIS_FORK_VERSION/
    );
  });

  it("parses the flags' values", () => {
    assert.equal(parseCheckpointSyncUrl("http://127.0.0.1:5052/"), "http://127.0.0.1:5052");
    assert.throws(() => parseCheckpointSyncUrl("http://127.0.0.1:5052/eth/v1"), /without a path/);
    assert.deepEqual(parseWssCheckpoint(`0x${"ab".repeat(32)}:12`), {root: new Uint8Array(32).fill(0xab), epoch: 12});
    assert.throws(() => parseWssCheckpoint("0x12:3"), InputError);
  });
});
