/**
 * /eth/v{1,2}/node/*: version, health, syncing, identity, peers, peer_count.
 * Peers come from the node's network view; a node without networking has none.
 */
import type {ApiContext, PeerInfo, RouteGroup} from "../context.ts";
import {badRequest, clip, notFound} from "../errors.ts";
import {json} from "../http/response.ts";
import {parseList, parseUint, single} from "../params.ts";
import {clientVersionV1, versionString} from "../clientVersion.ts";
import {toHex} from "../../util/bytes.ts";

const PEER_STATES = ["disconnected", "connecting", "connected", "disconnecting"] as const;
const PEER_DIRECTIONS = ["inbound", "outbound"] as const;
/** base58btc (Qm..., 12D3Koo...) or a multibase base32 CID (b...). */
const PEER_ID = /^([1-9A-HJ-NP-Za-km-z]{30,100}|b[a-z2-7]{30,120})$/;

function peersOf(ctx: ApiContext): PeerInfo[] {
  return ctx.network?.getPeers() ?? [];
}

function peerJson(p: PeerInfo): Record<string, unknown> {
  return {peer_id: p.peerId, enr: p.enr, last_seen_p2p_address: p.lastSeenP2pAddress, state: p.state, direction: p.direction};
}

function filterValues<T extends string>(raw: unknown, allowed: readonly T[], name: string): Set<T> | undefined {
  const items = parseList(raw);
  if (items === undefined || items.length === 0) return undefined;
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) throw badRequest(`Invalid ${name}: "${clip(item)}" (expected one of ${allowed.join(", ")})`);
  }
  return new Set(items as T[]);
}

export const nodeRoutes: RouteGroup = (app, ctx) => {
  app.get("/eth/v1/node/version", async (req, reply) => json(req, reply, {version: versionString()}));

  app.get("/eth/v2/node/version", async (req, reply) => json(req, reply, {beacon_node: clientVersionV1()}));

  app.get("/eth/v1/node/health", async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    let syncingStatus = 206;
    if (q.syncing_status !== undefined) {
      syncingStatus = parseUint(single(q.syncing_status, "syncing_status"), "syncing_status");
      if (syncingStatus < 100 || syncingStatus > 599) throw badRequest(`Invalid syncing_status: ${syncingStatus} (expected 100..599)`);
    }
    const {isSyncing, elOffline} = ctx.chain.getSyncStatus();
    // beacon-APIs: 206 also when the execution node is offline (data served may be stale).
    return reply.code(isSyncing || elOffline ? syncingStatus : 200).send();
  });

  app.get("/eth/v1/node/syncing", async (req, reply) => {
    const s = ctx.chain.getSyncStatus();
    return json(req, reply, {
      head_slot: String(s.headSlot),
      sync_distance: String(s.syncDistance),
      is_syncing: s.isSyncing,
      is_optimistic: s.isOptimistic,
      el_offline: s.elOffline,
    });
  });

  app.get("/eth/v1/node/identity", async (req, reply) => {
    const id = ctx.network?.getNetworkIdentity();
    return json(req, reply, {
      peer_id: id?.peerId ?? "",
      enr: id?.enr ?? "",
      p2p_addresses: id?.p2pAddresses ?? [],
      discovery_addresses: id?.discoveryAddresses ?? [],
      metadata: {
        seq_number: String(id?.metadata.seqNumber ?? 0),
        attnets: toHex(id?.metadata.attnets ?? new Uint8Array(8)),
      },
    });
  });

  app.get("/eth/v1/node/peers", async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const states = filterValues(q.state, PEER_STATES, "state");
    const directions = filterValues(q.direction, PEER_DIRECTIONS, "direction");
    const peers = peersOf(ctx).filter(
      (p) => (states === undefined || states.has(p.state)) && (directions === undefined || directions.has(p.direction))
    );
    return {...json(req, reply, peers.map(peerJson)), meta: {count: peers.length}};
  });

  app.get("/eth/v1/node/peers/:peer_id", async (req, reply) => {
    const {peer_id} = req.params as {peer_id: string};
    if (!PEER_ID.test(peer_id)) throw badRequest(`Invalid peer ID: ${peer_id.slice(0, 120)}`);
    const peer = peersOf(ctx).find((p) => p.peerId === peer_id);
    if (peer === undefined) throw notFound("Peer not found", "PEER_NOT_FOUND");
    return json(req, reply, peerJson(peer));
  });

  app.get("/eth/v1/node/peer_count", async (req, reply) => {
    const counts = {disconnected: 0, connecting: 0, connected: 0, disconnecting: 0};
    for (const p of peersOf(ctx)) counts[p.state]++;
    return json(req, reply, {
      disconnected: String(counts.disconnected),
      connecting: String(counts.connecting),
      connected: String(counts.connected),
      disconnecting: String(counts.disconnecting),
    });
  });
};
