/**
 * Finality under lost stake, on `gnomon devnet --nodes 4 --validators 64` (2-s slots): with the
 * node of 16 validators stopped, finality goes on; with a second one stopped (half the stake),
 * blocks go on but finality stops; with both started again (the command lines the devnet wrote;
 * they range-sync what they missed), finality is back within 3 epochs.
 *
 * Several minutes long, so not in `npm test`: `npm run test:devnet:liveness`.
 */
import {strict as assert} from "node:assert";
import {spawn, type ChildProcess} from "node:child_process";
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {sleep, stopProcess, type Proc} from "../helpers/processes.ts";
import {devnetNodes, genesisTime, nodeView, SLOTS_PER_EPOCH, untilSlot, type DevnetNode, startDevnet} from "./helpers.ts";

const SLOT_MS = 2000;
const EPOCH_MS = SLOT_MS * SLOTS_PER_EPOCH;

function stopPid(pid: number): Promise<void> {
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return Promise.resolve();
  }
  return (async () => {
    for (let i = 0; i < 100; i++) {
      try {
        process.kill(pid, 0);
      } catch {
        return;
      }
      await sleep(200);
    }
    process.kill(pid, "SIGKILL");
  })();
}

/** Starts a stopped devnet node again with the command line the devnet wrote for it. */
function restart(dir: string, node: DevnetNode): ChildProcess {
  const line = readFileSync(join(dir, `node-${node.index}`, "command.txt"), "utf8").trim();
  return spawn("sh", ["-c", `exec ${line} >> ${node.log} 2>&1`], {stdio: "ignore"});
}

describe("e2e (long): devnet finality with one and two of four nodes stopped", function () {
  this.timeout(1_200_000);
  let dir: string;
  let devnet: Proc | undefined;
  const restarted: ChildProcess[] = [];

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "gnomon-e2e-liveness-"));
  });
  after(async () => {
    for (const c of restarted) if (c.exitCode === null) c.kill("SIGKILL");
    await stopProcess(devnet, "SIGINT");
    rmSync(dir, {recursive: true, force: true});
  });

  it("finalizes without 16 of 64 validators, stops finalizing without 32, and finalizes again once they are back", async () => {
    ({devnet} = await startDevnet(dir, {nodes: 4, validators: 64, slotMs: SLOT_MS}));
    const {nodes} = await devnetNodes(devnet, 4);
    const genesis = await genesisTime(nodes[0].url);
    const epochNow = (): number => Math.floor((Date.now() - genesis * 1000) / EPOCH_MS);
    const view = () => nodeView(nodes[0].url);

    // Healthy start, then node 3 (validators 48..63) stops. With 75% of the stake attesting, an
    // epoch's votes included within the epoch stay under 2/3, so justification (and finality)
    // come one epoch later than with everyone, but they go on.
    await untilSlot(genesis, SLOT_MS, 4 * SLOTS_PER_EPOCH, SLOT_MS / 2);
    const healthy = await view();
    assert.equal(healthy.finalizedEpoch, 2);
    await stopPid(nodes[3].pid);
    const stop1 = epochNow();
    await untilSlot(genesis, SLOT_MS, (stop1 + 4) * SLOTS_PER_EPOCH, SLOT_MS / 2);
    const three = await view();
    assert.ok(three.finalizedEpoch >= stop1, `48 of 64 validators, finality goes on: ${JSON.stringify(three)}`);

    // Node 2 (32..47) stops too: half the stake. Checkpoints justified before may still finalize
    // in the next two epochs; after that, nothing more.
    await stopPid(nodes[2].pid);
    const stop2 = epochNow();
    await untilSlot(genesis, SLOT_MS, (stop2 + 3) * SLOTS_PER_EPOCH, SLOT_MS / 2);
    const frozen = await view();
    await untilSlot(genesis, SLOT_MS, (stop2 + 5) * SLOTS_PER_EPOCH, SLOT_MS / 2);
    const two = await view();
    // Half the proposers are gone: over two epochs about half the slots get a block.
    assert.ok(two.headSlot - frozen.headSlot >= SLOTS_PER_EPOCH / 2, `blocks go on: ${JSON.stringify([frozen, two])}`);
    assert.equal(two.finalizedEpoch, frozen.finalizedEpoch, `finality stops at half the stake: ${JSON.stringify([frozen, two])}`);

    // Both back (each range-syncs what it missed): finality within 3 epochs.
    restarted.push(restart(dir, nodes[2]), restart(dir, nodes[3]));
    const back = epochNow();
    let finalized = two.finalizedEpoch;
    while (Date.now() < genesis * 1000 + ((back + 3) * SLOTS_PER_EPOCH + SLOTS_PER_EPOCH / 2) * SLOT_MS) {
      await sleep(SLOT_MS);
      finalized = (await view()).finalizedEpoch;
      if (finalized > two.finalizedEpoch) break;
    }
    assert.ok(finalized > two.finalizedEpoch, `finality back within 3 epochs of the restart (epoch ${back}): finalized ${finalized}`);
  });
});
