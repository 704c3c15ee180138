/**
 * `gnomon devnet --nodes 4 --validators 64 --seconds-per-slot 2` as real processes on 127.0.0.1:
 * every node has the same head at each epoch boundary and finalized = epoch - 2 from epoch 4 on.
 * A fifth node without validators, `gnomon beacon` on the devnet's genesis.ssz and config.yaml
 * with only the bootnode's ENR, started three epochs late, has synced to the same head by the
 * next epoch boundary and then follows. Ctrl-C (SIGINT) stops the devnet and all its nodes.
 */
import {strict as assert} from "node:assert";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {getJson, restUrl, runGnomon, stopProcess, type Proc} from "../helpers/processes.ts";
import {agreeOnHead, devnetNodes, genesisTime, SLOTS_PER_EPOCH, untilSlot, startDevnet} from "./helpers.ts";

const SLOT_MS = 2000;
const LATE_EPOCH = 3;
const LAST_EPOCH = 5;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("e2e: gnomon devnet of 4 nodes and 64 validators, and a fifth node that syncs late", function () {
  this.timeout(300_000);
  let dir: string;
  let devnet: Proc | undefined;
  let late: Proc | undefined;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "gnomon-e2e-devnet-"));
  });
  after(async () => {
    await stopProcess(late, "SIGKILL");
    await stopProcess(devnet, "SIGINT");
    rmSync(dir, {recursive: true, force: true});
  });

  it("agrees on the head at every epoch boundary, finalizes at epoch - 2, and a late node catches up within an epoch", async () => {
    let restBase: number;
    let p2pBase: number;
    ({devnet, restBase, p2pBase} = await startDevnet(dir, {nodes: 4, validators: 64, slotMs: SLOT_MS, spare: 1}));
    const {nodes, enr} = await devnetNodes(devnet, 4);
    assert.ok(enr.startsWith("enr:"), `bootnode ENR: ${enr}`);
    assert.equal(new Set(nodes.map((n) => n.peerId)).size, 4);
    const genesis = await genesisTime(nodes[0].url);
    const urls = nodes.map((n) => n.url);

    for (let epoch = 1; epoch <= LAST_EPOCH; epoch++) {
      if (epoch === LATE_EPOCH) {
        await untilSlot(genesis, SLOT_MS, epoch * SLOTS_PER_EPOCH);
        late = runGnomon([
          "beacon", "--genesis-state", join(dir, "genesis.ssz"), "--config", join(dir, "config.yaml"), "--preset", "minimal",
          "--data-dir", join(dir, "late"), "--rest-port", String(restBase + 4), "--p2p-port", String(p2pBase + 4),
          "--bootnodes", enr, "--log-level", "info",
        ]);
        urls.push(await restUrl(late, "the late node"));
      }
      const slot = epoch * SLOTS_PER_EPOCH;
      // Three quarters into the boundary slot: its block has had time to reach every node.
      await untilSlot(genesis, SLOT_MS, slot, (SLOT_MS * 3) / 4);
      const checked = epoch === LATE_EPOCH ? urls.slice(0, 4) : urls;
      const {same, views} = await agreeOnHead(checked, slot - 1, SLOT_MS);
      assert.ok(same, `epoch ${epoch}: heads differ: ${JSON.stringify(views)}`);
      if (epoch >= 4) {
        for (const v of views) assert.equal(v.finalizedEpoch, epoch - 2, `epoch ${epoch}: ${JSON.stringify(views)}`);
        assert.equal(new Set(views.map((v) => v.finalizedRoot)).size, 1);
      }
    }

    const syncing = (await getJson(`${urls[4]}/eth/v1/node/syncing`)).data;
    assert.equal(syncing.is_syncing, false);
    assert.equal(syncing.is_optimistic, false);
    assert.equal(syncing.el_offline, false);
    assert.ok(Number(syncing.sync_distance) <= 1, JSON.stringify(syncing));
    assert.ok(Number((await getJson(`${urls[4]}/eth/v1/node/peer_count`)).data.connected) >= 1);

    assert.equal(await stopProcess(late, "SIGINT"), 0);
    assert.equal(await stopProcess(devnet, "SIGINT"), 0);
    for (const n of nodes) assert.equal(alive(n.pid), false, `node ${n.index} (pid ${n.pid}) still runs`);
  });
});
