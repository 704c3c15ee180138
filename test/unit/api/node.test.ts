import {strict as assert} from "node:assert";
import {createApiServer, type ApiNetwork, type ApiServer} from "../../../src/api/index.ts";
import {specValues} from "../../../src/api/specValues.ts";
import {useNetwork} from "../../../src/params/index.ts";
import {createDevChain, type DevChain} from "./helpers/devChain.ts";
import {assertError, get} from "./helpers/http.ts";

const network: ApiNetwork = {
  getNetworkIdentity: () => ({
    peerId: "16Uiu2HAmSLXPsJJgJbmnUpK4VYyW1cCLBQZSnmMxkpKVrMgRFFJc",
    enr: "enr:-abc",
    p2pAddresses: ["/ip4/127.0.0.1/tcp/9000"],
    discoveryAddresses: ["/ip4/127.0.0.1/udp/9000"],
    metadata: {seqNumber: 3, attnets: Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0x80)},
  }),
  getPeers: () => [
    {peerId: "16Uiu2HAm7nVRWYgPUQc3LzbMvCbE5zX9ov2CPGAiBzkANSVyZ9nH", enr: null, lastSeenP2pAddress: "/ip4/10.0.0.1/tcp/9000", state: "connected", direction: "inbound"},
    {peerId: "16Uiu2HAkvMnJZZDwr4uNN4xSDnb5Px1dFE8gCLrUrcqQhPuvDaRL", enr: "enr:-x", lastSeenP2pAddress: "/ip4/10.0.0.2/tcp/9000", state: "disconnected", direction: "outbound"},
  ],
};

describe("api: node and config routes", function () {
  let dev: DevChain;
  let bare: ApiServer;
  let networked: ApiServer;

  before(async () => {
    dev = await createDevChain();
    bare = createApiServer(dev.chain);
    networked = createApiServer(dev.chain, {network});
  });
  after(async () => {
    await bare.close();
    await networked.close();
    await dev.close();
    useNetwork("mainnet");
  });

  it("reports the version (v1 string, v2 ClientVersionV1)", async () => {
    const v1 = await get(bare.app, "/eth/v1/node/version");
    assert.equal(v1.status, 200);
    assert.match(v1.body.data.version, /^Gnomon\/v\d+\.\d+\.\d+/);
    const v2 = await get(bare.app, "/eth/v2/node/version");
    assert.equal(v2.body.data.beacon_node.name, "Gnomon");
    assert.match(v2.body.data.beacon_node.commit, /^0x[0-9a-f]{8}$/);
    assert.match(v2.body.data.beacon_node.code, /^[A-Z]{2}$/);
  });

  it("answers health and syncing from the chain's sync status", async () => {
    const health = await get(bare.app, "/eth/v1/node/health");
    assert.equal(health.status, dev.chain.getSyncStatus().isSyncing ? 206 : 200);
    assertError(await get(bare.app, "/eth/v1/node/health?syncing_status=42"), 400, /syncing_status/);
    assertError(await get(bare.app, "/eth/v1/node/health?syncing_status=2xx"), 400, /syncing_status/);
    const s = await get(bare.app, "/eth/v1/node/syncing");
    const status = dev.chain.getSyncStatus();
    assert.deepEqual(s.body.data, {
      head_slot: String(status.headSlot),
      sync_distance: String(status.syncDistance),
      is_syncing: status.isSyncing,
      is_optimistic: false,
      el_offline: false,
    });
  });

  it("reports an unnetworked node as having no identity and no peers", async () => {
    const id = await get(bare.app, "/eth/v1/node/identity");
    assert.equal(id.status, 200);
    assert.deepEqual(id.body.data.p2p_addresses, []);
    assert.deepEqual(id.body.data.metadata, {seq_number: "0", attnets: "0x0000000000000000"});
    const peers = await get(bare.app, "/eth/v1/node/peers");
    assert.deepEqual(peers.body, {data: [], meta: {count: 0}});
    const count = await get(bare.app, "/eth/v1/node/peer_count");
    assert.deepEqual(count.body.data, {disconnected: "0", connecting: "0", connected: "0", disconnecting: "0"});
  });

  it("reports the network's identity and filters peers by state and direction", async () => {
    const id = await get(networked.app, "/eth/v1/node/identity");
    assert.equal(id.body.data.peer_id, "16Uiu2HAmSLXPsJJgJbmnUpK4VYyW1cCLBQZSnmMxkpKVrMgRFFJc");
    assert.deepEqual(id.body.data.metadata, {seq_number: "3", attnets: "0x0100000000000080"});
    const connected = await get(networked.app, "/eth/v1/node/peers?state=connected");
    assert.equal(connected.body.meta.count, 1);
    assert.equal(connected.body.data[0].direction, "inbound");
    assert.equal(connected.body.data[0].enr, null);
    const both = await get(networked.app, "/eth/v1/node/peers?state=connected&state=disconnected&direction=outbound");
    assert.deepEqual(both.body.data.map((p: {peer_id: string}) => p.peer_id), ["16Uiu2HAkvMnJZZDwr4uNN4xSDnb5Px1dFE8gCLrUrcqQhPuvDaRL"]);
    assertError(await get(networked.app, "/eth/v1/node/peers?state=asleep"), 400, /asleep/);
    const one = await get(networked.app, "/eth/v1/node/peers/16Uiu2HAm7nVRWYgPUQc3LzbMvCbE5zX9ov2CPGAiBzkANSVyZ9nH");
    assert.equal(one.body.data.last_seen_p2p_address, "/ip4/10.0.0.1/tcp/9000");
    assertError(await get(networked.app, "/eth/v1/node/peers/16Uiu2HAm7nVRWYgPUQc3LzbMvCbE5zX9ov2CPGAiBzkANSVyZ9nX"), 404);
    assertError(await get(networked.app, "/eth/v1/node/peers/localhost"), 400, /Invalid peer ID/);
    const count = await get(networked.app, "/eth/v1/node/peer_count");
    assert.deepEqual(count.body.data, {disconnected: "1", connecting: "0", connected: "1", disconnecting: "0"});
  });

  it("serves the spec, the fork schedule and the deposit contract of the active network", async () => {
    const spec = await get(bare.app, "/eth/v1/config/spec");
    assert.deepEqual(spec.body.data, specValues(dev.chain.config));
    assert.equal(spec.body.data.SLOTS_PER_EPOCH, "8");
    const forks = await get(bare.app, "/eth/v1/config/fork_schedule");
    assert.deepEqual(forks.body.data, [{previous_version: "0x00000001", current_version: "0x00000001", epoch: "0"}]);
    const dc = await get(bare.app, "/eth/v1/config/deposit_contract");
    assert.deepEqual(dc.body.data, {chain_id: "5", address: "0x1234567890123456789012345678901234567890"});
  });
});
