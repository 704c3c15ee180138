/**
 * The peer manager on real libp2p hosts over 127.0.0.1: a static peer is dialled on start, gets a
 * status handshake and is redialled after it hangs up; a peer whose status is on another chain is
 * sent away; a peer reported for a fatal fault is disconnected and refused when it comes back.
 * The req/resp calls are stand-ins (the remote side here is a bare host).
 */
import {strict as assert} from "node:assert";
import {generateKeyPair} from "@libp2p/crypto/keys";
import {multiaddr} from "@multiformats/multiaddr";
import {PeerAction} from "../../../src/network/interface.ts";
import {createHost, type Libp2pHost} from "../../../src/network/libp2p.ts";
import {PeerManager, type PeerManagerDeps} from "../../../src/network/peers/peerManager.ts";
import {ssz, type Status} from "../../../src/types/index.ts";
import {silentLogger} from "../../../src/util/logger.ts";
import {waitFor} from "../helpers/processes.ts";
import {createChainConfig} from "../../../src/params/index.ts";

const DIGEST = Uint8Array.from([1, 2, 3, 4]);

async function host(): Promise<Libp2pHost> {
  return createHost({config: createChainConfig("minimal"), privateKey: await generateKeyPair("secp256k1"), listenAddress: "127.0.0.1", port: 0, forkDigest: DIGEST, subnetCount: 64, maxPeers: 10, decompressed: new WeakMap()});
}

function deps(h: Libp2pHost, status: () => Status, goodbyes: number[]): PeerManagerDeps {
  return {
    host: h,
    logger: silentLogger,
    now: () => Date.now(),
    requestStatus: async () => status(),
    requestMetadata: async () => ssz.MetaData.defaultValue(),
    requestPing: async () => 0,
    sendGoodbye: async (_peer, reason) => {
      goodbyes.push(reason);
    },
    checkStatus: async (s) => (s.fork_digest.every((b, i) => b === DIGEST[i]) ? null : "another fork digest"),
    gossipScore: () => 0,
    discoverPeers: async () => [],
  };
}

describe("network: peer manager", function () {
  this.timeout(60_000);
  const hosts: Libp2pHost[] = [];
  const managers: PeerManager[] = [];
  after(async () => {
    for (const m of managers) await m.stop();
    for (const h of hosts) await h.stop();
  });

  it("dials a static peer, handshakes, redials it after a hang-up, sends away another chain, refuses a banned peer", async () => {
    const remote = await host();
    const local = await host();
    hosts.push(remote, local);
    const remoteId = remote.peerId.toString();
    let status: Status = {...ssz.Status.defaultValue(), fork_digest: DIGEST, head_slot: 7};
    const goodbyes: number[] = [];
    const pm = new PeerManager(deps(local, () => status, goodbyes), {targetPeers: 5, staticPeers: [`${remote.getMultiaddrs()[0].toString()}`]});
    managers.push(pm);
    const statuses: string[] = [];
    pm.events.on("peer:status", (p) => statuses.push(`${p.peerId}:${p.status.head_slot}`));
    pm.start();

    await waitFor("static peer handshake", 10_000, () => (pm.syncPeers().length === 1 ? true : undefined));
    assert.deepEqual(statuses, [`${remoteId}:7`]);
    assert.equal(pm.get(remoteId)?.direction, "outbound");

    // The remote hangs up: the manager notices and dials it again.
    const disconnected: string[] = [];
    pm.events.on("peer:disconnected", (id) => disconnected.push(id));
    await remote.hangUp(local.peerId);
    await waitFor("disconnect seen", 5_000, () => (disconnected.includes(remoteId) ? true : undefined));
    assert.equal(pm.all().find((p) => p.peerId === remoteId)?.state, "disconnected");
    await waitFor("redialled", 15_000, () => (pm.syncPeers().length === 1 ? true : undefined));

    // Its status changes to another fork digest: goodbye 2 and a disconnect.
    status = {...status, fork_digest: Uint8Array.from([9, 9, 9, 9])};
    assert.equal(await pm.onStatus(remoteId, status), false);
    assert.deepEqual(goodbyes, [2]);
    await waitFor("sent away", 5_000, () => (pm.syncPeers().length === 0 ? true : undefined));

    // Back on our chain it is redialled; then a fatal report bans it, and it is refused.
    status = {...status, fork_digest: DIGEST};
    await waitFor("redialled again", 15_000, () => (pm.syncPeers().length === 1 ? true : undefined));
    pm.reportPeer(remoteId, PeerAction.Fatal, "test: invalid block");
    assert.equal(pm.isBanned(remoteId), true);
    await waitFor("banned peer gone", 5_000, () => (local.getConnections(remote.peerId).length === 0 ? true : undefined));
    assert.equal(goodbyes.at(-1), 251);
    const seen: string[] = [];
    local.addEventListener("connection:open", (evt) => seen.push(evt.detail.remotePeer.toString()));
    await remote.dial(multiaddr(local.getMultiaddrs()[0].toString())).catch(() => undefined);
    await waitFor("banned peer's connection seen", 5_000, () => (seen.includes(remoteId) ? true : undefined));
    await waitFor("banned peer refused", 5_000, () => (local.getConnections(remote.peerId).length === 0 ? true : undefined));
    assert.equal(pm.syncPeers().length, 0);
  });
});
