/**
 * The simulated network between real chains: gossip reaches every node after the link latency
 * and is relayed by nodes that accept it (not by those that reject it), a partition stops it and
 * healing lets the real sync fetch what was missed, loss and jitter follow the seed, and the trace
 * of a run with partitions, loss, jitter, reorgs and sync is the same every time.
 */
import {strict as assert} from "node:assert";
import {createHash} from "node:crypto";
import {GossipAction} from "../../../../src/chain/gossip/interface.ts";
import {FakeTime} from "../../../../src/clock/index.ts";
import {SimNetwork, SimNetworkError} from "../../../../src/sim/network/index.ts";
import {ssz, type Attestation, type SignedBeaconBlock} from "../../../../src/types/index.ts";
import {toHex} from "../../../../src/util/bytes.ts";
import {silentLogger} from "../../../../src/util/logger.ts";
import {buildBlock, buildGossipAttestations, InProcessValidators, useDevNetwork} from "../../chain/helpers.ts";
import {Harness, TestTrace} from "./harness.ts";

/** The trace id of an attestation message (first 8 hex digits of sha256(kind ‖ SSZ)). */
function shortId(attestation: Attestation): string {
  return createHash("sha256").update("beacon_attestation").update(ssz.Attestation.serialize(attestation)).digest("hex").slice(0, 8);
}

function rootOf(block: SignedBeaconBlock): string {
  return toHex(ssz.BeaconBlock.hashTreeRoot(block.message));
}

describe("sim network: gossip, partitions and sync between real chains", function () {
  this.timeout(120_000);
  let h: Harness | undefined;
  before(() => useDevNetwork(6));
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it("a block published on node 0 is imported everywhere after the latency, relayed around a cut link; a rejected block goes no further", async () => {
    h = await Harness.open({nodes: 4, latencyMs: 50});
    const harness = h;
    harness.net.setLinkCut(0, 2, true);
    await harness.runUntil(harness.slotMs(1));
    const v = new InProcessValidators(harness.chains[0], 64);
    const block = (await v.propose(1))!;
    const t0 = harness.time.now();
    assert.equal(await harness.endpoints[0].publish({kind: "beacon_block", value: block}), 2, "sent to the two peers node 0 is linked to");
    await harness.runUntil(t0 + 200);

    const root = rootOf(block);
    for (const chain of harness.chains) assert.equal(toHex(chain.getHead().root), root);
    const id = harness.trace.of("deliver").filter((e) => e.msg === "beacon_block");
    assert.deepEqual(
      id.map((e) => [e.t - t0, e.node, e.from, e.verdict]),
      [
        [50, 1, 0, "ACCEPT"],
        [50, 3, 0, "ACCEPT"],
        // Node 2 hears it from node 1 (and node 3's copy finds it already seen).
        [100, 2, 1, "ACCEPT"],
      ]
    );
    assert.deepEqual(
      harness.trace.of("drop").map((e) => [e.t - t0, e.node, e.from, e.reason]),
      [[0, 2, 0, "partition"]]
    );
    assert.ok(harness.net.stats().duplicates >= 1);

    // A block for slot 2 carrying the signature of another message: node 1 rejects it and relays nothing.
    await harness.runUntil(harness.slotMs(2));
    const bad = buildBlock(harness.chains[0], root, 2);
    bad.signature = block.signature;
    const t1 = harness.time.now();
    harness.net.send(0, {kind: "beacon_block", value: bad}, {to: [1]});
    await harness.runUntil(t1 + 300);
    const late = harness.trace.of("deliver").filter((e) => e.t > t0 + 100);
    assert.deepEqual(
      late.map((e) => [e.t - t1, e.node, e.from, e.verdict]),
      [[50, 1, 0, GossipAction.REJECT]]
    );
    for (const chain of harness.chains) assert.equal(chain.forkChoice.hasBlock(rootOf(bad)), false);
  });

  it("a link is one connection: what is sent at one instant arrives together, block first, and nothing overtakes what was sent before", async () => {
    h = await Harness.open({nodes: 3, latencyMs: 10, jitterMs: 500, seed: "fifo"});
    const harness = h;
    await harness.runUntil(harness.slotMs(1));
    const v = new InProcessValidators(harness.chains[0], 64);
    const block = (await v.propose(1))!;
    const attestations = await buildGossipAttestations(harness.chains[0], 1);
    const t0 = harness.time.now();
    await harness.endpoints[0].publish({kind: "beacon_block", value: block});
    // The first half at once with the block, the rest one per millisecond after it.
    const half = attestations.length / 2;
    for (const {attestation} of attestations.slice(0, half)) await harness.endpoints[0].publish({kind: "beacon_attestation", value: attestation});
    attestations.slice(half).forEach(({attestation}, i) => {
      harness.at(t0 + 1 + i, async () => void (await harness.endpoints[0].publish({kind: "beacon_attestation", value: attestation})));
    });
    await harness.runUntil(t0 + 2000);
    for (const node of [1, 2]) {
      const got = harness.trace.of("deliver").filter((e) => e.node === node && e.from === 0);
      assert.equal(got.length, 1 + attestations.length);
      assert.equal(got[0].msg, "beacon_block");
      assert.ok(got.slice(1, 1 + half).every((e) => e.t === got[0].t && e.msg === "beacon_attestation"), "the first half arrives with the block");
      assert.ok(got.every((e) => e.verdict === GossipAction.ACCEPT), JSON.stringify(got.filter((e) => e.verdict !== GossipAction.ACCEPT)));
      const ids = attestations.slice(half).map(({attestation}) => shortId(attestation));
      const times = ids.map((id) => got.find((e) => e.id === id)!.t);
      for (let i = 1; i < times.length; i++) assert.ok(times[i] >= times[i - 1], `sent later, arrived earlier: ${times.join(",")}`);
    }
  });

  it("a partition stops delivery; once healed, the cut-off node syncs the blocks it missed", async () => {
    h = await Harness.open({nodes: 3, latencyMs: 100, jitterMs: 20, sync: true});
    const harness = h;
    harness.net.setPartition([[0, 1], [2]]);
    harness.duties(0, 1, 12);
    await harness.runUntil(harness.slotMs(13));
    const [a, b, c] = harness.chains;
    assert.equal(a.getHead().slot, 12);
    assert.equal(toHex(b.getHead().root), toHex(a.getHead().root));
    assert.equal(c.getHead().slot, 0, "nothing crossed the partition");
    assert.ok(harness.trace.of("drop").some((e) => e.node === 2 && e.reason === "partition"));
    assert.equal(harness.trace.of("deliver").filter((e) => e.node === 2).length, 0);
    assert.deepEqual(harness.endpoints[2].syncPeers(), []);

    harness.net.setPartition(null);
    await harness.runUntil(harness.slotMs(14));
    assert.equal(toHex(c.getHead().root), toHex(a.getHead().root), "node 2 caught up");
    assert.deepEqual(
      harness.endpoints[2].syncPeers().map((p) => [p.peerId, p.status.head_slot]),
      [
        ["sim-0", 12],
        ["sim-1", 12],
      ]
    );
    const requests = harness.trace.of("request").filter((e) => e.node === 2);
    assert.ok(requests.length > 0 && requests.every((e) => e.method === "beacon_blocks_by_range" && e.error === undefined), JSON.stringify(requests));
    assert.equal(requests.reduce((n, e) => n + (e.blocks as number), 0), 12, "each missed block fetched once");
    assert.deepEqual(harness.errors, []);
  });

  it("loss and jitter: the same seed gives the same deliveries and drops, another seed others", async () => {
    async function run(seed: string): Promise<{lines: string[]; delays: Set<number>; losses: number}> {
      const run = await Harness.open({nodes: 4, seed, latencyMs: 100, jitterMs: 80, loss: 0.25});
      try {
        run.duties(0, 1, 3);
        await run.runUntil(run.slotMs(4));
        const lines = run.trace.canonical().filter((l) => l.includes('"deliver"') || l.includes('"drop"'));
        const delays = new Set(run.trace.of("deliver").map((e) => (e.t - GENESIS_MS) % 2000));
        return {lines, delays, losses: run.trace.of("drop").filter((e) => e.reason === "loss").length};
      } finally {
        await run.close();
      }
    }
    const GENESIS_MS = 1_700_000_000_000;
    const first = await run("alpha");
    const again = await run("alpha");
    const other = await run("beta");
    assert.ok(first.losses > 0, "a quarter of the hops are lost");
    assert.ok(first.delays.size > 10, `arrival offsets vary with jitter: ${[...first.delays].join(",")}`);
    assert.deepEqual(again.lines, first.lines);
    assert.notDeepEqual(other.lines, first.lines);
  });

  it("the trace of a run with a partition, loss, jitter, competing chains and sync is the same every time", async () => {
    async function run(): Promise<{hash: string; heads: string[]; events: number}> {
      const run = await Harness.open({nodes: 4, seed: "replay", latencyMs: 80, jitterMs: 40, loss: 0.05, sync: true});
      try {
        // Both sides build on their own during the partition; then only node 0's validators go on.
        run.net.setPartition([[0, 1], [2, 3]]);
        run.duties(0, 1, 14);
        run.duties(2, 1, 6, {skipProposals: [1, 4]});
        run.at(run.slotMs(7, 500), async () => run.net.setPartition(null));
        run.at(run.slotMs(9), async () => run.net.setOnline(3, false));
        run.at(run.slotMs(10), async () => run.net.setOnline(3, true));
        await run.runUntil(run.slotMs(15));
        return {hash: run.trace.hash(), heads: run.chains.map((c) => toHex(c.getHead().root)), events: run.trace.events.length};
      } finally {
        await run.close();
      }
    }
    const first = await run();
    const second = await run();
    assert.equal(new Set(first.heads).size, 1, "every node ends on one head");
    assert.ok(first.events > 500, `${first.events} trace events`);
    assert.equal(second.hash, first.hash);
    assert.deepEqual(second.heads, first.heads);
  });
});

describe("sim network: requests and arguments", () => {
  it("refuses bad options and indices with a typed error", () => {
    const base = {time: new FakeTime(0), seed: "s", nodeCount: 2, latencyMs: 10, jitterMs: 0, loss: 0, trace: new TestTrace(), logger: silentLogger};
    assert.throws(() => new SimNetwork({...base, loss: 1.5}), SimNetworkError);
    assert.throws(() => new SimNetwork({...base, nodeCount: 0}), SimNetworkError);
    assert.throws(() => new SimNetwork({...base, jitterMs: 2.5}), SimNetworkError);
    const net = new SimNetwork(base);
    assert.throws(() => net.reachable(2), SimNetworkError);
    assert.throws(() => net.setPartition([[0], [0]]), SimNetworkError);
    assert.deepEqual(net.reachable(0), [], "a node not attached reaches nobody");
  });
});
