/**
 * Two Gnomon nodes on 127.0.0.1 over TCP + noise: `gnomon dev` (all validators) and `gnomon beacon`
 * (none) on the same interop genesis, the second given the first's ENR as discv5 bootnode. They connect and
 * complete the status handshake; the second follows the first's blocks by gossip. A peer made in
 * this test from the network modules then requests status, blocks by range (v2 and v1) and by root
 * from the first node, and misbehaves: undecompressible and oversized gossip (REJECT, its gossip
 * score falls), a wrong fork digest (goodbye 2), absurd by_range counts (InvalidRequest, then a
 * disconnect). The nodes keep producing and following blocks throughout.
 */
import {strict as assert} from "node:assert";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {generateKeyPair} from "@libp2p/crypto/keys";
import {multiaddr} from "@multiformats/multiaddr";
import {createHost, type Libp2pHost} from "../../../src/network/libp2p.ts";
import {createChainConfig} from "../../../src/params/index.ts";
import {compressBlock} from "../../../src/network/encoding/snappyBlock.ts";
import {topicString} from "../../../src/network/gossip/topics.ts";
import {createHandlers} from "../../../src/network/reqresp/handlers.ts";
import {Method, RespCode, GoodbyeReason} from "../../../src/network/reqresp/protocols.ts";
import {ReqResp} from "../../../src/network/reqresp/reqResp.ts";
import {ResponseError} from "../../../src/network/reqresp/chunks.ts";
import {computeForkDigest} from "../../../src/state-transition/index.ts";
import {ssz, type Status} from "../../../src/types/index.ts";
import {fromHex, toHex} from "../../../src/util/bytes.ts";
import {silentLogger} from "../../../src/util/logger.ts";
import {getJson, restUrl, runGnomon, sleep, stopProcess, waitFor, type Proc} from "../helpers/processes.ts";

const VALIDATORS = 16;
const FAR = "18446744073709551615";

interface TestPeer {
  host: Libp2pHost;
  reqResp: ReqResp;
  faults: string[];
}

/** A libp2p peer built from Gnomon's network modules, announcing `status` in its handshakes. */
async function startTestPeer(forkDigest: Uint8Array, status: Status): Promise<TestPeer> {
  const config = createChainConfig("minimal");
  const host = await createHost({
    config,
    privateKey: await generateKeyPair("secp256k1"),
    listenAddress: "127.0.0.1",
    port: 0,
    forkDigest,
    subnetCount: 64,
    maxPeers: 10,
    decompressed: new WeakMap(),
  });
  const faults: string[] = [];
  const reqResp = new ReqResp({
    libp2p: host,
    forkDigest,
    maxPayloadSize: config.MAX_PAYLOAD_SIZE,
    logger: silentLogger,
    onPeerFault: (_peer, fault, detail) => faults.push(`${fault}: ${detail}`),
    handlers: createHandlers({
      config,
      localStatus: () => status,
      metadata: () => ssz.MetaData.defaultValue(),
      onPeerStatus: () => {},
      onGoodbye: () => {},
      blocks: {canonicalRootsInRange: async () => [], blockBytes: async () => null},
    }),
  });
  await reqResp.start();
  return {host, reqResp, faults};
}

function disconnected(host: Libp2pHost, peerId: string): Promise<void> {
  return new Promise((resolve) => {
    const on = (evt: CustomEvent<{toString(): string}>): void => {
      if (evt.detail.toString() !== peerId) return;
      host.removeEventListener("peer:disconnect", on);
      resolve();
    };
    host.addEventListener("peer:disconnect", on);
  });
}

describe("network: two Gnomon nodes", function () {
  this.timeout(150_000);
  let dir: string;
  let nodeA: Proc | undefined;
  let nodeB: Proc | undefined;
  const peers: TestPeer[] = [];

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "gnomon-net-"));
  });

  after(async () => {
    for (const p of peers) await p.host.stop();
    await Promise.all([stopProcess(nodeA), stopProcess(nodeB)]);
    rmSync(dir, {recursive: true, force: true});
  });

  it("connect, handshake, gossip blocks, serve req/resp and shrug off bad input", async () => {
    const genesisTime = Math.floor(Date.now() / 1000) + 12;
    // discv5 needs fixed UDP ports: two random high ones.
    const udpA = 40_000 + Math.floor(Math.random() * 20_000);
    nodeA = runGnomon([
      "dev", "--validators", String(VALIDATORS), "--seconds-per-slot", "1", "--preset", "minimal", "--genesis-time", String(genesisTime),
      "--data-dir", join(dir, "a"), "--rest-port", "0", "--p2p-port", "0", "--discovery-port", String(udpA), "--log-level", "debug",
    ]);
    const urlA = await restUrl(nodeA, "node A");
    const idA = (await getJson(`${urlA}/eth/v1/node/identity`)).data;
    assert.match(idA.enr, /^enr:/);
    assert.equal(idA.p2p_addresses.length, 1);
    assert.deepEqual(idA.discovery_addresses, [`/ip4/127.0.0.1/udp/${udpA}/p2p/${idA.peer_id}`]);
    const addrA: string = idA.p2p_addresses[0];
    assert.ok(addrA.endsWith(`/p2p/${idA.peer_id}`));

    const config = join(dir, "config.yaml");
    const forks = ["ALTAIR", "BELLATRIX", "CAPELLA", "DENEB", "ELECTRA", "FULU"].map((f) => `${f}_FORK_EPOCH: ${FAR}`).join("\n");
    writeFileSync(config, `PRESET_BASE: minimal\nSECONDS_PER_SLOT: 1\n${forks}\n`);
    nodeB = runGnomon([
      "beacon", "--preset", "minimal", "--config", config, "--interop-validators", String(VALIDATORS), "--genesis-time", String(genesisTime),
      "--data-dir", join(dir, "b"), "--rest-port", "0", "--p2p-port", "0", "--discovery-port", String(udpA + 1), "--bootnodes", idA.enr, "--log-level", "info",
    ]);
    const urlB = await restUrl(nodeB, "node B");
    const idB = (await getJson(`${urlB}/eth/v1/node/identity`)).data;

    // Status handshake on both sides.
    await waitFor("B connected to A", 30_000, async () => {
      const peersOfB = (await getJson(`${urlB}/eth/v1/node/peers`)).data;
      return peersOfB.some((p: {peer_id: string; state: string; direction: string}) => p.peer_id === idA.peer_id && p.state === "connected" && p.direction === "outbound") ? true : undefined;
    });
    const peerOfA = await waitFor("A lists B", 10_000, async () => {
      const r = await getJson(`${urlA}/eth/v1/node/peers/${idB.peer_id}`);
      return r.data;
    });
    assert.equal(peerOfA.direction, "inbound");
    assert.equal((await getJson(`${urlA}/eth/v1/node/peer_count`)).data.connected, "1");
    await waitFor("handshake logged", 10_000, () => (nodeB!.lines.some((l) => l.includes("peer connected")) ? true : undefined));

    // B follows A's blocks by gossip alone.
    const followed = await waitFor("B follows A by gossip", 40_000, async () => {
      const headB = (await getJson(`${urlB}/eth/v1/beacon/headers/head`)).data;
      const slot = Number(headB.header.message.slot);
      if (slot < 3) return undefined;
      return {slot, root: headB.root as string};
    });
    const rootA = (await getJson(`${urlA}/eth/v1/beacon/blocks/${followed.slot}/root`)).data.root;
    assert.equal(followed.root, rootA);

    // A peer from this test: status, blocks by range and by root.
    const genesis = (await getJson(`${urlA}/eth/v1/beacon/genesis`)).data;
    const forkDigest = computeForkDigest(fromHex(genesis.genesis_fork_version), fromHex(genesis.genesis_validators_root));
    const genesisRoot = fromHex((await getJson(`${urlA}/eth/v1/beacon/blocks/0/root`)).data.root);
    const goodStatus: Status = {fork_digest: forkDigest, finalized_root: new Uint8Array(32), finalized_epoch: 0, head_root: genesisRoot, head_slot: 0};
    const p1 = await startTestPeer(forkDigest, goodStatus);
    peers.push(p1);
    await p1.host.dial(multiaddr(addrA));
    const statusRes = await p1.reqResp.request(idA.peer_id, Method.status, [1], ssz.Status.serialize(goodStatus));
    const statusA = ssz.Status.deserialize(statusRes.payloads[0]);
    assert.equal(toHex(statusA.fork_digest), toHex(forkDigest));
    assert.ok(statusA.head_slot >= followed.slot);

    const byRange = async (version: number) => {
      const req = ssz.BeaconBlocksByRangeRequest.serialize({start_slot: 1, count: 3, step: 1});
      const res = await p1.reqResp.request(idA.peer_id, Method.beaconBlocksByRange, [version], req, 3);
      assert.equal(res.version, version);
      return res.payloads.map((p) => ssz.SignedBeaconBlock.deserialize(p));
    };
    const v2 = await byRange(2);
    const v1 = await byRange(1);
    assert.deepEqual(v1.map((b) => b.message.slot), v2.map((b) => b.message.slot));
    assert.ok(v2.length >= 1 && v2.length <= 3);
    for (const [i, b] of v2.entries()) {
      const root = toHex(ssz.BeaconBlock.hashTreeRoot(b.message));
      assert.equal(root, (await getJson(`${urlA}/eth/v1/beacon/blocks/${b.message.slot}/root`)).data.root);
      if (i > 0) assert.equal(toHex(b.message.parent_root), toHex(ssz.BeaconBlock.hashTreeRoot(v2[i - 1].message)));
    }
    const wanted = [ssz.BeaconBlock.hashTreeRoot(v2[0].message), new Uint8Array(32).fill(0xab)];
    const byRoot = await p1.reqResp.request(idA.peer_id, Method.beaconBlocksByRoot, [2, 1], ssz.BeaconBlocksByRootRequest.serialize(wanted), 2);
    assert.equal(byRoot.payloads.length, 1);
    assert.deepEqual(ssz.SignedBeaconBlock.deserialize(byRoot.payloads[0]), v2[0]);

    // Bad gossip: undecompressible bytes and a message too large for its type are rejected and
    // the sender's gossip score at A falls below zero.
    const pubsub = p1.host.services.pubsub;
    const blockTopic = topicString(forkDigest, {kind: "beacon_block"});
    const aggregateTopic = topicString(forkDigest, {kind: "beacon_aggregate_and_proof"});
    pubsub.subscribe(blockTopic);
    pubsub.subscribe(aggregateTopic);
    await waitFor("A subscribed as seen by the test peer", 10_000, () =>
      pubsub.getSubscribers(blockTopic).some((p) => p.toString() === idA.peer_id) ? true : undefined
    );
    const rejected = (reason: string) => () =>
      nodeA!.lines.find((l) => l.includes("gossip message rejected") && l.includes(reason) && l.includes(p1.host.peerId.toString()));
    await pubsub.publish(blockTopic, Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]));
    const snappyLine = await waitFor("INVALID_SNAPPY verdict", 10_000, rejected("INVALID_SNAPPY"));
    // gossipsub caches a score for one heartbeat (0.7 s): the next verdict sees the first penalty.
    await sleep(1_000);
    await pubsub.publish(aggregateTopic, compressBlock(new Uint8Array(100_000)));
    const sizeLine = await waitFor("INVALID_SSZ_LENGTH verdict", 10_000, rejected("INVALID_SSZ_LENGTH"));
    assert.ok(JSON.parse(sizeLine).score < 0, `score ${JSON.parse(sizeLine).score} after ${snappyLine}`);

    // Absurd counts: InvalidRequest each time, and after a few A disconnects the peer.
    let isGone = false;
    const gone = disconnected(p1.host, idA.peer_id).then(() => {
      isGone = true;
    });
    let refused = 0;
    for (const count of [2 ** 40, 1025, 2 ** 20, 5000]) {
      if (isGone) break;
      const req = ssz.BeaconBlocksByRangeRequest.serialize({start_slot: 0, count, step: 1});
      try {
        await p1.reqResp.request(idA.peer_id, Method.beaconBlocksByRange, [2], req, 4);
        assert.fail(`count ${count} was served`);
      } catch (e) {
        if (isGone) break;
        assert.ok(e instanceof ResponseError && e.resultCode === RespCode.invalidRequest && /MAX_REQUEST_BLOCKS/.test(e.errorMessage), String(e));
        refused++;
      }
      await sleep(100);
    }
    await Promise.race([gone, sleep(5_000).then(() => assert.fail("A did not disconnect the peer"))]);
    assert.ok(refused >= 2 && refused <= 3, `refused ${refused}`);

    // A peer on another fork digest is sent away after status with goodbye 2.
    const wrongDigest = Uint8Array.from([0xde, 0xad, 0xbe, 0xef]);
    const p2 = await startTestPeer(wrongDigest, {...goodStatus, fork_digest: wrongDigest});
    peers.push(p2);
    const gone2 = disconnected(p2.host, idA.peer_id);
    await p2.host.dial(multiaddr(addrA));
    await gone2;
    await waitFor("A logs the irrelevant peer", 10_000, () =>
      nodeA!.lines.find((l) => l.includes("peer on another chain") && l.includes(p2.host.peerId.toString()) && l.includes("fork digest"))
    );
    assert.ok(nodeA.lines.some((l) => l.includes(`"reason":${GoodbyeReason.irrelevantNetwork}`) && l.includes("disconnecting peer")));

    // Both nodes live on: A produces, B follows.
    const after = (await getJson(`${urlA}/eth/v1/beacon/headers/head`)).data;
    await waitFor("B still following", 20_000, async () => {
      const headB = (await getJson(`${urlB}/eth/v1/beacon/headers/head`)).data;
      return Number(headB.header.message.slot) > Number(after.header.message.slot) ? true : undefined;
    });
    assert.equal(nodeA.proc.exitCode, null);
    assert.equal(nodeB.proc.exitCode, null);
  });
});
