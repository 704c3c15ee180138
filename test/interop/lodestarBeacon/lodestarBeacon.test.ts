/**
 * Gnomon and the published Lodestar 1.5.1 beacon node on one phase0 chain, over libp2p on
 * 127.0.0.1 (Lodestar on the machine's Node 20, Gnomon on its own Node 24):
 * - a Gnomon node started late from a Lodestar `dev` chain's genesis.ssz and config.yaml, given its
 *   multiaddr, range-syncs to Lodestar's head and finalized checkpoint and then follows by gossip;
 * - a Lodestar node started late from a Gnomon devnet's genesis.ssz and config.yaml, dialled to
 *   the Gnomon node, syncs from it and follows;
 * - 64 validators split between a Gnomon node (0..31) and a Lodestar node (32..63) finalize one chain.
 *
 * Not part of `npm test` (it installs Lodestar first): `npm run test:interop:beacon`.
 */
import {strict as assert} from "node:assert";
import {existsSync, mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {restUrl, runGnomon, sleep, stopProcess, type Proc} from "../../e2e/helpers/processes.ts";
import {agreeOnHead, devnetNodes, freePortRange, genesisTime, nodeView, SLOTS_PER_EPOCH, untilSlot} from "../../e2e/devnet/helpers.ts";
import {checkInstalled, connectPeer, LODESTAR_CONFIG, lodestarBeacon, lodestarDev, stopLodestar, waitForRest, type LodestarNode} from "./lodestar.ts";

const SLOT_MS = 2000;

async function waitForFile(path: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > end) throw new Error(`${path} did not appear`);
    await sleep(250);
  }
}

async function ports(): Promise<{lsP2p: number; lsRest: number; gP2p: number; gRest: number}> {
  const base = await freePortRange(4);
  return {lsP2p: base, lsRest: base + 1, gP2p: base + 2, gRest: base + 3};
}

/** Waits until both nodes report the same head and finalized checkpoint, with finalized >= `minFinalized`. */
async function converge(urls: string[], minFinalized: number, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < end) {
    try {
      const views = await Promise.all(urls.map(nodeView));
      last = JSON.stringify(views);
      const [a, b] = views;
      if (a.headRoot === b.headRoot && a.finalizedRoot === b.finalizedRoot && a.finalizedEpoch >= minFinalized && b.finalizedEpoch === a.finalizedEpoch) return;
    } catch (e) {
      last = (e as Error).message;
    }
    await sleep(500);
  }
  assert.fail(`no common head and finalized checkpoint (>= ${minFinalized}) in time: ${last}`);
}

describe("interop: Gnomon and the Lodestar 1.5.1 beacon node on one chain", function () {
  this.timeout(600_000);
  let dir: string;
  let lodestar: LodestarNode | undefined;
  let gnomon: Proc | undefined;

  before(() => checkInstalled());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "gnomon-interop-bn-"));
  });
  afterEach(async () => {
    await stopProcess(gnomon, "SIGINT");
    await stopLodestar(lodestar);
    gnomon = undefined;
    lodestar = undefined;
    rmSync(dir, {recursive: true, force: true});
  });

  it("a Gnomon node syncs a Lodestar dev chain to its head and finalized checkpoint, then follows it", async () => {
    const p = await ports();
    const genesis = Math.floor(Date.now() / 1000) + 20;
    lodestar = lodestarDev(dir, {validators: 16, genesisTime: genesis, p2pPort: p.lsP2p, restPort: p.lsRest});
    await waitForFile(join(dir, "genesis.ssz"), 60_000);
    const id = await waitForRest(lodestar);
    // Two epochs late: everything before comes by range sync.
    await untilSlot(genesis, SLOT_MS, 2 * SLOTS_PER_EPOCH);
    gnomon = runGnomon([
      "beacon", "--genesis-state", join(dir, "genesis.ssz"), "--config", LODESTAR_CONFIG, "--preset", "minimal",
      "--data-dir", join(dir, "gnomon"), "--rest-port", String(p.gRest), "--p2p-port", String(p.gP2p), "--discovery", "false",
      "--static-peers", `/ip4/127.0.0.1/tcp/${p.lsP2p}/p2p/${id.peerId}`, "--log-level", "info",
    ]);
    const gUrl = await restUrl(gnomon, "gnomon beacon");
    await converge([lodestar.restUrl, gUrl], 2, 150_000);
    // Following: at a later epoch boundary, still the same head.
    const now = Math.floor((Date.now() / 1000 - genesis) / (SLOT_MS / 1000));
    const next = (Math.floor(now / SLOTS_PER_EPOCH) + 1) * SLOTS_PER_EPOCH;
    await untilSlot(genesis, SLOT_MS, next, (SLOT_MS * 3) / 4);
    const {same, views} = await agreeOnHead([lodestar.restUrl, gUrl], next - 1, 2 * SLOT_MS);
    assert.ok(same, `after sync: ${JSON.stringify(views)}`);
  });

  it("a Lodestar node syncs a Gnomon chain from the Gnomon node, then follows it", async () => {
    const p = await ports();
    gnomon = runGnomon([
      "devnet", "--nodes", "1", "--validators", "16", "--seconds-per-slot", String(SLOT_MS / 1000), "--data-dir", dir,
      "--rest-port", String(p.gRest), "--p2p-port", String(p.gP2p), "--genesis-delay", "15",
    ]);
    const {nodes} = await devnetNodes(gnomon, 1);
    const gUrl = nodes[0].url;
    const genesis = await genesisTime(gUrl);
    await untilSlot(genesis, SLOT_MS, 2 * SLOTS_PER_EPOCH);
    lodestar = lodestarBeacon(dir, {genesisState: join(dir, "genesis.ssz"), paramsFile: join(dir, "config.yaml"), p2pPort: p.lsP2p, restPort: p.lsRest});
    await waitForRest(lodestar);
    await connectPeer(lodestar, nodes[0].peerId, `/ip4/127.0.0.1/tcp/${p.gP2p}`);
    await converge([gUrl, lodestar.restUrl], 2, 150_000);
    const now = Math.floor((Date.now() / 1000 - genesis) / (SLOT_MS / 1000));
    const next = (Math.floor(now / SLOTS_PER_EPOCH) + 1) * SLOTS_PER_EPOCH;
    await untilSlot(genesis, SLOT_MS, next, (SLOT_MS * 3) / 4);
    const {same, views} = await agreeOnHead([gUrl, lodestar.restUrl], next - 1, 2 * SLOT_MS);
    assert.ok(same, `after sync: ${JSON.stringify(views)}`);
  });

  it("64 validators split between a Gnomon node and a Lodestar node finalize one chain", async () => {
    const p = await ports();
    const genesis = Math.floor(Date.now() / 1000) + 30;
    lodestar = lodestarDev(dir, {validators: 64, genesisTime: genesis, p2pPort: p.lsP2p, restPort: p.lsRest, startValidators: "32..63"});
    await waitForFile(join(dir, "genesis.ssz"), 60_000);
    const id = await waitForRest(lodestar);
    gnomon = runGnomon([
      "dev", "--genesis-state", join(dir, "genesis.ssz"), "--seconds-per-slot", String(SLOT_MS / 1000), "--preset", "minimal",
      "--interop-indices", "0..31", "--data-dir", join(dir, "gnomon"), "--rest-port", String(p.gRest), "--p2p-port", String(p.gP2p),
      "--discovery", "false", "--static-peers", `/ip4/127.0.0.1/tcp/${p.lsP2p}/p2p/${id.peerId}`, "--log-level", "info",
    ]);
    const gUrl = await restUrl(gnomon, "gnomon dev");
    // Finality needs more than two thirds of the stake: both halves must attest on one chain.
    await untilSlot(genesis, SLOT_MS, 5 * SLOTS_PER_EPOCH, SLOT_MS / 2);
    await converge([gUrl, lodestar.restUrl], 3, 4 * SLOT_MS);
  });
});
