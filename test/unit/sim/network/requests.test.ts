/**
 * The simulated network's requests, peer events and Byzantine sends, between real chains: block
 * requests answered from the peer's chain after the round trip and failing with typed errors when
 * the link is down or goes down in flight; peers disconnecting and reconnecting with a status;
 * a send to chosen nodes after a delay; a block early within the clock disparity held until its slot.
 */
import {strict as assert} from "node:assert";
import {GossipAction} from "../../../../src/chain/gossip/interface.ts";
import type {SyncPeer} from "../../../../src/network/interface.ts";
import {SimNetworkError, SimNetworkErrorCode} from "../../../../src/sim/network/index.ts";
import {ssz} from "../../../../src/types/index.ts";
import {toHex} from "../../../../src/util/bytes.ts";
import {buildBlock, useDevNetwork} from "../../chain/helpers.ts";
import {Harness} from "./harness.ts";

async function rejection(p: Promise<unknown>): Promise<SimNetworkError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof SimNetworkError, `not a SimNetworkError: ${String(e)}`);
    return e;
  }
  assert.fail("the request did not fail");
}

describe("sim network: requests, peer events and sends between real chains", function () {
  this.timeout(60_000);
  let h: Harness | undefined;
  before(() => useDevNetwork(6));
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it("answers block requests from the peer's chain after the round trip; a cut link fails them with a typed error; peers go and come back with a status", async () => {
    h = await Harness.open({nodes: 2, latencyMs: 100});
    const harness = h;
    harness.duties(0, 1, 1);
    await harness.runUntil(harness.slotMs(2));
    const [, ep1] = harness.endpoints;
    const root = harness.chains[0].getHead().root;
    assert.equal(toHex(harness.chains[1].getHead().root), toHex(root));

    const t0 = harness.time.now();
    const byRange = ep1.beaconBlocksByRange("sim-0", 1, 8);
    const byRoot = ep1.beaconBlocksByRoot("sim-0", [root, new Uint8Array(32).fill(7)]);
    await harness.runUntil(t0 + 300);
    assert.deepEqual((await byRange).map((b) => b.message.slot), [1]);
    assert.deepEqual((await byRoot).map((b) => toHex(ssz.BeaconBlock.hashTreeRoot(b.message))), [toHex(root)], "the unknown root is left out");
    assert.deepEqual(
      harness.trace.of("request").map((e) => [e.t - t0, e.node, e.peer, e.method, e.blocks, e.ms]).sort(),
      [
        [200, 1, 0, "beacon_blocks_by_range", 1, 200],
        [200, 1, 0, "beacon_blocks_by_root", 1, 200],
      ]
    );

    const events: string[] = [];
    ep1.peerEvents.on("peer:disconnected", (peerId) => events.push(`disconnected ${peerId}`));
    ep1.peerEvents.on("peer:status", (p: SyncPeer) => events.push(`status ${p.peerId} head ${p.status.head_slot}`));
    const inFlight = ep1.beaconBlocksByRoot("sim-0", [root]);
    await harness.runUntil(harness.time.now() + 50);
    harness.net.setOnline(0, false);
    assert.equal((await rejection(inFlight)).code, SimNetworkErrorCode.LINK_DOWN);
    assert.equal((await rejection(ep1.beaconBlocksByRange("sim-0", 0, 8))).code, SimNetworkErrorCode.PEER_UNREACHABLE);
    assert.deepEqual(ep1.syncPeers(), []);
    assert.deepEqual(harness.net.reachable(1), [1]);

    harness.net.setOnline(0, true);
    await harness.runUntil(harness.time.now() + 150);
    assert.deepEqual(events, ["disconnected sim-0", "status sim-0 head 1"]);
    assert.deepEqual(ep1.getPeers().map((p) => [p.peerId, p.state, p.direction]), [["sim-0", "connected", "inbound"]]);
    assert.deepEqual(harness.net.reachable(1), [0, 1]);
  });

  it("connected peers exchange statuses again every interval, each with the chain's status of that moment", async () => {
    h = await Harness.open({nodes: 2, latencyMs: 10, statusIntervalMs: 5000});
    const harness = h;
    const t0 = harness.time.now();
    harness.duties(0, 1, 1);
    await harness.runUntil(t0 + 12_000);
    assert.deepEqual(
      harness.trace.of("status").filter((e) => e.node === 1).map((e) => [e.t - t0, e.from, e.headSlot]),
      [
        [10, 0, 0],
        [5020, 0, 0],
        [10030, 0, 1],
      ]
    );
  });

  it("stopping the network fails the requests still on their way, so a node's sync can stop", async () => {
    h = await Harness.open({nodes: 2, latencyMs: 100, sync: true});
    const harness = h;
    await harness.runUntil(harness.slotMs(1));
    const pending = harness.endpoints[1].beaconBlocksByRange("sim-0", 1, 8);
    await harness.net.stop();
    assert.equal((await rejection(pending)).code, SimNetworkErrorCode.LINK_DOWN);
    assert.equal((await rejection(harness.endpoints[1].beaconBlocksByRange("sim-0", 1, 8))).code, SimNetworkErrorCode.PEER_UNREACHABLE);
  });

  it("a send goes to the chosen nodes after its delay, the sender's own node included; accepting nodes relay it to the rest", async () => {
    h = await Harness.open({nodes: 3, latencyMs: 50});
    const harness = h;
    await harness.runUntil(harness.slotMs(1));
    const genesis = toHex(harness.chains[0].getHead().root);
    const block = buildBlock(harness.chains[0], genesis, 1);
    const t0 = harness.time.now();
    harness.net.send(0, {kind: "beacon_block", value: block}, {to: [0, 2], delayMs: 300});
    await harness.runUntil(t0 + 1000);
    assert.deepEqual(
      harness.trace.of("deliver").map((e) => [e.t - t0, e.node, e.from, e.verdict]),
      [
        [300, 0, 0, GossipAction.ACCEPT],
        [350, 1, 0, GossipAction.ACCEPT],
        [350, 2, 0, GossipAction.ACCEPT],
      ]
    );

    // On its side of a partition a node reaches only its side; a send to the other side is dropped.
    harness.net.setPartition([[0, 1], [2]]);
    assert.deepEqual(harness.net.reachable(0), [0, 1]);
    await harness.runUntil(harness.slotMs(2));
    const block2 = buildBlock(harness.chains[0], toHex(ssz.BeaconBlock.hashTreeRoot(block.message)), 2);
    harness.net.send(0, {kind: "beacon_block", value: block2}, {to: [1, 2]});
    await harness.runUntil(harness.time.now() + 1000);
    assert.equal(harness.chains[1].getHead().slot, 2);
    assert.equal(harness.chains[2].getHead().slot, 1);
    assert.deepEqual(harness.trace.of("drop").map((e) => [e.node, e.from, e.reason]), [[2, 0, "partition"]]);
    // A message that is no SSZ value: a typed error for the behaviour that sent it, nothing queued.
    assert.throws(() => harness.net.send(0, {kind: "voluntary_exit", value: {} as never}), SimNetworkError);
  });

  it("a block early within the clock disparity allowance is held until its slot starts, then accepted", async () => {
    h = await Harness.open({nodes: 2, latencyMs: 50});
    const harness = h;
    const sendAt = harness.slotMs(1) - 400;
    await harness.runUntil(sendAt);
    const block = buildBlock(harness.chains[0], toHex(harness.chains[0].getHead().root), 1);
    harness.net.send(0, {kind: "beacon_block", value: block}, {to: [1]});
    await harness.runUntil(harness.slotMs(1) + 100);
    assert.deepEqual(
      harness.trace.of("deliver").map((e) => [e.t - harness.slotMs(1), e.node, e.verdict]),
      [[0, 1, GossipAction.ACCEPT]]
    );
    assert.equal(harness.chains[1].getHead().slot, 1);
  });
});
