/**
 * The libp2p host: TCP with noise, yamux and mplex (older clients, Lodestar 1.5.1 among them,
 * speak mplex only), identify, ping, and gossipsub with the phase0 parameters (p2p-interface.md
 * "gossipsub parameters"), StrictNoSign and the spec's message-id.
 */
import {noise} from "@chainsafe/libp2p-noise";
import {yamux} from "@chainsafe/libp2p-yamux";
import {gossipsub, StrictNoSign, type GossipSub as GossipSubInterface, type TopicValidatorResult} from "@libp2p/gossipsub";
import {identify} from "@libp2p/identify";
import type {Libp2p, PrivateKey} from "@libp2p/interface";
import {mplex} from "@libp2p/mplex";
import {ping} from "@libp2p/ping";
import {tcp} from "@libp2p/tcp";
import type {Multiaddr} from "@multiformats/multiaddr";
import {createLibp2p} from "libp2p";
import {SLOTS_PER_EPOCH, type ChainConfig} from "../params/index.ts";
import {maxCompressedLen} from "./encoding/snappyBlock.ts";
import {computeMessageId, decompressGossip} from "./gossip/messageId.ts";
import {gossipScoreParams} from "./gossip/scoring.ts";
import {VERSION} from "../util/version.ts";

/** The parts of the gossipsub implementation the network uses beyond its exported interface. */
export type GossipSub = GossipSubInterface & {
  reportMessageValidationResult(msgId: string, propagationSource: string, acceptance: TopicValidatorResult): void;
  getScore(peerId: string): number;
  getMeshPeers(topic: string): string[];
  publish(topic: string, data: Uint8Array, opts?: {ignoreDuplicatePublishError?: boolean}): Promise<{recipients: unknown[]}>;
};

/** The /p2p/ component of a multiaddr, if any. */
export function peerIdOfMultiaddr(addr: Multiaddr): string | null {
  return addr.getComponents().find((c) => c.name === "p2p")?.value ?? null;
}

export type NetworkServices = {
  identify: ReturnType<ReturnType<typeof identify>>;
  ping: ReturnType<ReturnType<typeof ping>>;
  pubsub: GossipSub;
};
export type Libp2pHost = Libp2p<NetworkServices>;

export interface HostOptions {
  config: Pick<ChainConfig, "SECONDS_PER_SLOT" | "MAX_PAYLOAD_SIZE" | "MESSAGE_DOMAIN_INVALID_SNAPPY" | "MESSAGE_DOMAIN_VALID_SNAPPY">;
  privateKey: PrivateKey;
  listenAddress: string;
  port: number;
  forkDigest: Uint8Array;
  subnetCount: number;
  maxPeers: number;
  /** The decompressed data of messages whose id was computed, for the validator to reuse. */
  decompressed: WeakMap<object, Uint8Array | null>;
}

export function multiaddrFor(address: string, port: number): string {
  return `/${address.includes(":") ? "ip6" : "ip4"}/${address}/tcp/${port}`;
}

export async function createHost(opts: HostOptions): Promise<Libp2pHost> {
  const {config} = opts;
  const slotMs = config.SECONDS_PER_SLOT * 1000;
  const score = gossipScoreParams(config, opts.forkDigest, opts.subnetCount);
  return createLibp2p({
    privateKey: opts.privateKey,
    addresses: {listen: [multiaddrFor(opts.listenAddress, opts.port)]},
    transports: [tcp()],
    connectionEncrypters: [noise()],
    // mplex closes a connection whose peer opens more than `disconnectThreshold` streams in a
    // second (default 5); a client's first second (identify, status, metadata, ping, gossipsub,
    // then block requests) opens more than that.
    streamMuxers: [yamux(), mplex({disconnectThreshold: 256})],
    connectionManager: {maxConnections: opts.maxPeers * 2, dialTimeout: 10_000},
    nodeInfo: {name: "gnomon", version: VERSION, userAgent: `Gnomon/v${VERSION}`},
    services: {
      identify: identify(),
      ping: ping(),
      pubsub: gossipsub({
        globalSignaturePolicy: StrictNoSign,
        D: 8,
        Dlo: 6,
        Dhi: 12,
        Dlazy: 6,
        heartbeatInterval: 700,
        fanoutTTL: 60_000,
        mcacheLength: 6,
        mcacheGossip: 3,
        seenTTL: (slotMs * SLOTS_PER_EPOCH * 2),
        // The chain's validation decides; gossipsub waits for its verdict before forwarding.
        asyncValidation: true,
        allowPublishToZeroTopicPeers: true,
        fallbackToFloodsub: false,
        floodPublish: true,
        doPX: false,
        maxInboundDataLength: Math.max(maxCompressedLen(config.MAX_PAYLOAD_SIZE) + 1024, 1024 * 1024),
        scoreParams: score.params,
        scoreThresholds: score.thresholds,
        msgIdFn: (msg) => {
          const data = decompressGossip(msg.data, config.MAX_PAYLOAD_SIZE);
          opts.decompressed.set(msg, data);
          return computeMessageId(config, msg.data, data);
        },
        msgIdToStrFn: (id) => Buffer.from(id).toString("base64"),
      }),
    },
  }) as Promise<Libp2pHost>;
}
