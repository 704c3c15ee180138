/**
 * Issue 13's check: a node checkpoint-synced from a running `gnomon devnet` node's REST API,
 * with the bootnode's ENR, reaches the devnet's head within two epochs, serves the finalized
 * block and state it started from, and backfills the blocks before its anchor down to genesis.
 */
import {strict as assert} from "node:assert";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {getJson, restUrl, runGnomon, stopProcess, waitFor, type Proc} from "../helpers/processes.ts";
import {agreeOnHead, devnetNodes, genesisTime, nodeView, SLOTS_PER_EPOCH, startDevnet, untilSlot} from "../devnet/helpers.ts";

const SLOT_MS = 1000;

describe("e2e: checkpoint sync from a devnet node, then forward sync and backfill over the network", function () {
  this.timeout(240_000);
  let dir: string;
  let devnet: Proc | undefined;
  let late: Proc | undefined;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "gnomon-e2e-checkpoint-"));
  });
  after(async () => {
    await stopProcess(late, "SIGKILL");
    await stopProcess(devnet, "SIGINT");
    rmSync(dir, {recursive: true, force: true});
  });

  it("reaches the head within two epochs, serves its anchor block and state, and backfills to genesis", async () => {
    let restBase: number;
    let p2pBase: number;
    ({devnet, restBase, p2pBase} = await startDevnet(dir, {nodes: 2, validators: 64, slotMs: SLOT_MS, spare: 1}));
    const {nodes, enr} = await devnetNodes(devnet, 2);
    const source = nodes[0].url;
    const genesis = await genesisTime(source);
    await untilSlot(genesis, SLOT_MS, 0);
    const finalized = await waitFor("the devnet to finalize an epoch past 1", 90_000, async () => {
      const v = await nodeView(source).catch(() => undefined);
      return v !== undefined && v.finalizedEpoch >= 2 ? v : undefined;
    });

    late = runGnomon([
      "beacon", "--checkpoint-sync-url", source, "--config", join(dir, "config.yaml"),
      "--preset", "minimal", "--data-dir", join(dir, "late"), "--rest-port", String(restBase + 2), "--p2p-port", String(p2pBase + 2),
      "--bootnodes", enr, "--log-level", "info",
    ]);
    const url = await restUrl(late, "the checkpoint-synced node");
    const startedAtSlot = Math.floor((Date.now() - genesis * 1000) / SLOT_MS);

    const range0 = (await getJson(`${url}/gnomon/v1/node/block_range`)).data;
    const anchorSlot = Number(range0.oldest_slot);
    assert.ok(anchorSlot > 0, `anchor at slot ${anchorSlot}`);
    const anchorRoot = range0.oldest_root as string;
    assert.ok(anchorSlot >= finalized.finalizedEpoch * SLOTS_PER_EPOCH - SLOTS_PER_EPOCH, `anchor slot ${anchorSlot}, source finalized epoch ${finalized.finalizedEpoch}`);

    // The anchor block and state as the node serves them, equal to the source's.
    const block = (await getJson(`${url}/eth/v2/beacon/blocks/${anchorRoot}`)).data;
    assert.equal(Number(block.message.slot), anchorSlot);
    const sourceBlock = (await getJson(`${source}/eth/v2/beacon/blocks/${anchorRoot}`)).data;
    assert.deepEqual(block, sourceBlock);
    const stateRoot = (await getJson(`${url}/eth/v1/beacon/states/${anchorSlot}/root`)).data.root;
    assert.equal(stateRoot, block.message.state_root);

    // Within two epochs of its start it has the devnet's head.
    const deadline = genesis * 1000 + (startedAtSlot + 2 * SLOTS_PER_EPOCH) * SLOT_MS;
    const {same, views} = await agreeOnHead([source, url], startedAtSlot, Math.max(1000, deadline - Date.now()));
    assert.ok(same, `heads differ two epochs after the start: ${JSON.stringify(views)}`);

    // Backfill reaches genesis, and the old blocks are served over REST.
    const range = await waitFor("backfill to reach genesis", 60_000, async () => {
      const r = (await getJson(`${url}/gnomon/v1/node/block_range`)).data;
      return r.from_genesis === true ? r : undefined;
    });
    assert.equal(range.oldest_slot, "0");
    const genesisRoot = (await getJson(`${source}/eth/v1/beacon/blocks/genesis/root`)).data.root;
    assert.equal(range.oldest_root, genesisRoot);
    for (const slot of [1, 2, Math.floor(anchorSlot / 2), anchorSlot - 1]) {
      const [mine, theirs] = await Promise.all([getJson(`${url}/eth/v1/beacon/headers/${slot}`), getJson(`${source}/eth/v1/beacon/headers/${slot}`)]);
      assert.equal(mine.data.root, theirs.data.root, `slot ${slot}`);
    }
    const low = (await getJson(`${url}/eth/v2/beacon/blocks/1`)).data;
    assert.equal(Number(low.message.slot), 1);

    // Still following by gossip after backfill.
    const before = await nodeView(url);
    const after = await agreeOnHead([source, url], before.headSlot + 2, 8 * SLOT_MS);
    assert.ok(after.same, `heads differ after backfill: ${JSON.stringify(after.views)}`);

    assert.equal(await stopProcess(late, "SIGINT"), 0);
    assert.equal(await stopProcess(devnet, "SIGINT"), 0);
  });
});
