/**
 * The libp2p network of a beacon node: host, req/resp, peer manager, gossip, discovery and
 * attestation subnets, composed. It is what sync sees (INetworkPeers), what the REST API reports
 * (identity, peers) and where the node publishes what it produced or received over REST.
 */
import {BitArray} from "@chainsafe/ssz";
import type {PrivateKey} from "@libp2p/interface";
import type {BeaconChain} from "../chain/index.ts";
import type {GossipMessage, GossipSink, GossipVerdict} from "../chain/gossip/interface.ts";
import {FAR_FUTURE_EPOCH} from "../params/index.ts";
import {blockRoot, computeEpochAtSlot, computeForkDigest, computeStartSlotAtEpoch} from "../state-transition/index.ts";
import {ssz, type Attestation, type MetaData, type SignedBeaconBlock, type Status} from "../types/index.ts";
import {bytesEqual, fromHex, toHex} from "../util/bytes.ts";
import type {Logger} from "../util/logger.ts";
import {createLocalEnr, Discovery} from "./discovery.ts";
import {Gossip} from "./gossip/gossip.ts";
import {
  PeerAction,
  type CommitteeSubscription,
  type NetworkIdentity,
  type NodeNetwork,
  type NetworkPeerEvents,
  type PeerInfo,
  type PublishMessage,
  type SyncPeer,
} from "./interface.ts";
import {createHost, type Libp2pHost} from "./libp2p.ts";
import {PeerManager} from "./peers/peerManager.ts";
import {chainBlockSource} from "./reqresp/blockSource.ts";
import {createHandlers} from "./reqresp/handlers.ts";
import {Method, MetaDataV2} from "./reqresp/protocols.ts";
import {ReqResp, ReqRespError, type PeerFault} from "./reqresp/reqResp.ts";
import {SubnetService} from "./subnets.ts";
import {attestationSubnet, computeSubnetForAttestation} from "../chain/validation/subnet.ts";
import {statusOf} from "./status.ts";
import {GnomonError} from "../util/errors.ts";
import type {SignableENR} from "@chainsafe/enr";
import type {EventEmitter} from "node:events";

export interface NetworkOptions {
  /** The address libp2p listens on and the ENR advertises. */
  listenAddress: string;
  /** TCP port (0: any free port). */
  port: number;
  /** UDP port of discv5; null: no discovery. */
  discoveryPort: number | null;
  bootnodes: string[];
  staticPeers: string[];
  targetPeers: number;
  /** Subscribe to every attestation subnet (a node serving many validators). */
  subscribeAllSubnets?: boolean;
}

export class NetworkError extends GnomonError {}

const FAULT_ACTIONS: Record<PeerFault, PeerAction> = {
  invalid_request: PeerAction.LowTolerance,
  rate_limited: PeerAction.HighTolerance,
  invalid_response: PeerAction.LowTolerance,
  timeout: PeerAction.HighTolerance,
  error_response: PeerAction.HighTolerance,
};

const GOODBYE_TIMEOUT_MS = 1_000;

export interface NetworkInit {
  chain: BeaconChain;
  sink: GossipSink;
  privateKey: PrivateKey;
  options: NetworkOptions;
  logger: Logger;
  /** Gossip verdicts per topic go here when the node keeps metrics. */
  onGossipVerdict?: (topic: string, verdict: GossipVerdict) => void;
}

export class Network implements NodeNetwork {
  readonly forkDigest: Uint8Array;
  readonly host: Libp2pHost;
  readonly reqResp: ReqResp;
  readonly peers: PeerManager;
  readonly gossip: Gossip;
  readonly enr: SignableENR;
  private readonly discovery: Discovery | null;
  private readonly chain: BeaconChain;
  private readonly logger: Logger;
  private readonly subnets: SubnetService;
  private readonly subscribeAllSubnets: boolean;
  private metadata: MetaData;
  private readonly onSlot = (slot: number): void => {
    this.updateSubnets(slot);
    this.reqResp.rateLimiter.pruneRefilled();
  };

  private constructor(init: {
    chain: BeaconChain;
    logger: Logger;
    forkDigest: Uint8Array;
    host: Libp2pHost;
    reqResp: ReqResp;
    peers: PeerManager;
    gossip: Gossip;
    enr: SignableENR;
    discovery: Discovery | null;
    subnets: SubnetService;
    subscribeAllSubnets: boolean;
  }) {
    this.chain = init.chain;
    this.logger = init.logger;
    this.forkDigest = init.forkDigest;
    this.host = init.host;
    this.reqResp = init.reqResp;
    this.peers = init.peers;
    this.gossip = init.gossip;
    this.enr = init.enr;
    this.discovery = init.discovery;
    this.subnets = init.subnets;
    this.subscribeAllSubnets = init.subscribeAllSubnets;
    this.metadata = {seq_number: 0, attnets: BitArray.fromBoolArray(new Array<boolean>(init.chain.config.ATTESTATION_SUBNET_COUNT).fill(false))};
  }

  static async start(init: NetworkInit): Promise<Network> {
    const {chain, options, logger} = init;
    const {config} = chain;
    const forkDigest = computeForkDigest(chain.genesis.genesisForkVersion, chain.genesis.genesisValidatorsRoot);
    const decompressed = new WeakMap<object, Uint8Array | null>();
    let host: Libp2pHost;
    try {
      host = await createHost({
        config,
        privateKey: init.privateKey,
        listenAddress: options.listenAddress,
        port: options.port,
        forkDigest,
        subnetCount: config.ATTESTATION_SUBNET_COUNT,
        maxPeers: options.targetPeers,
        decompressed,
      });
    } catch (e) {
      throw new NetworkError("P2P_LISTEN_FAILED", `cannot listen for p2p on ${options.listenAddress}:${options.port}: ${(e as Error).message}`, {cause: e});
    }
    const tcpPort = Number(host.getMultiaddrs()[0]?.getComponents().find((c) => c.name === "tcp")?.value ?? options.port);
    const eth2 = ssz.ENRForkID.serialize({fork_digest: forkDigest, next_fork_version: chain.genesis.genesisForkVersion, next_fork_epoch: FAR_FUTURE_EPOCH});
    const enr = createLocalEnr({privateKey: init.privateKey, address: options.listenAddress, tcpPort, udpPort: options.discoveryPort, eth2});
    let discovery: Discovery | null = null;
    // Forward references: handlers and the peer manager call back into the network object.
    let network: Network | null = null;
    const self = (): Network => {
      if (network === null) throw new NetworkError("NOT_STARTED", "network not started");
      return network;
    };
    try {
      const reqResp = new ReqResp({
        libp2p: host,
        forkDigest,
        maxPayloadSize: config.MAX_PAYLOAD_SIZE,
        logger: logger.child({module: "reqresp"}),
        onPeerFault: (peerId, fault, detail) => self().reportPeer(peerId, FAULT_ACTIONS[fault], `${fault}: ${detail}`),
        handlers: createHandlers({
          config,
          localStatus: () => self().localStatus(),
          metadata: () => self().metadata,
          onPeerStatus: (peerId, status) => void self().peers.onStatus(peerId, status),
          onGoodbye: (peerId, reason) => self().peers.onGoodbye(peerId, reason),
          blocks: chainBlockSource(chain),
        }),
      });
      const peers = new PeerManager(
        {
          host,
          logger: logger.child({module: "peers"}),
          now: () => Date.now(),
          requestStatus: (peerId) => self().requestStatus(peerId),
          requestMetadata: (peerId) => self().requestMetadata(peerId),
          requestPing: (peerId) => self().requestPing(peerId),
          sendGoodbye: (peerId, reason) => self().sendGoodbye(peerId, reason),
          checkStatus: (status) => self().checkStatus(status),
          gossipScore: (peerId) => host.services.pubsub.getScore(peerId),
          discoverPeers: async (count) => (discovery === null ? [] : discovery.discover(count)),
        },
        {targetPeers: options.targetPeers, staticPeers: options.staticPeers}
      );
      const gossip = new Gossip({config, pubsub: host.services.pubsub, forkDigest, sink: init.sink, logger: logger.child({module: "gossip"}), now: () => Date.now(), decompressed, onVerdict: init.onGossipVerdict});
      if (options.discoveryPort !== null) {
        discovery = await Discovery.start({
          privateKey: init.privateKey,
          enr,
          address: options.listenAddress,
          udpPort: options.discoveryPort,
          bootnodes: options.bootnodes,
          forkDigest,
          logger: logger.child({module: "discv5"}),
        });
      }
      const subnets = new SubnetService(config, BigInt(`0x${enr.nodeId}`));
      network = new Network({chain, logger, forkDigest, host, reqResp, peers, gossip, enr, discovery, subnets, subscribeAllSubnets: options.subscribeAllSubnets ?? false});
      await reqResp.start();
      gossip.start();
      network.updateSubnets(chain.currentSlot());
      chain.clock.on("slot", network.onSlot);
      peers.start();
      logger.info({peerId: host.peerId.toString(), addresses: host.getMultiaddrs().map(String), enr: enr.encodeTxt(), discovery: discovery?.listenAddress() ?? null}, "network started");
      return network;
    } catch (e) {
      await discovery?.stop().catch(() => {});
      await host.stop();
      throw e;
    }
  }

  async stop(): Promise<void> {
    this.chain.clock.off("slot", this.onSlot);
    await this.peers.stop();
    this.gossip.stop();
    await this.reqResp.stop().catch(() => {});
    await this.discovery?.stop().catch(() => {});
    await this.host.stop();
    this.logger.info("network stopped");
  }

  get peerId(): string {
    return this.host.peerId.toString();
  }

  // ---- status and metadata ----

  localStatus(): Status {
    return statusOf(this.chain, this.forkDigest);
  }

  /** Why a peer's status puts it on another chain, or null. */
  async checkStatus(status: Status): Promise<string | null> {
    if (!bytesEqual(status.fork_digest, this.forkDigest)) {
      return `fork digest ${toHex(status.fork_digest)} is not ours (${toHex(this.forkDigest)})`;
    }
    const ours = this.chain.getFinalizedCheckpoint();
    if (status.finalized_epoch === 0 || status.finalized_epoch > ours.epoch) return null;
    const root = await this.canonicalRootAtOrBefore(computeStartSlotAtEpoch(status.finalized_epoch));
    if (root !== null && !bytesEqual(root, status.finalized_root)) {
      return `finalized checkpoint ${toHex(status.finalized_root)} at epoch ${status.finalized_epoch} is not on our chain`;
    }
    return null;
  }

  private async canonicalRootAtOrBefore(slot: number): Promise<Uint8Array | null> {
    const chain = this.chain;
    if (slot >= chain.anchorSlot) {
      const root = chain.forkChoice.getAncestor(chain.headRoot, slot);
      return root === null ? null : fromHex(root);
    }
    return (await chain.db.getFinalizedBlockAtOrBefore(slot))?.root ?? null;
  }

  private updateSubnets(slot: number): void {
    this.subnets.pruneShortLived(slot);
    const changed = this.subnets.updateEpoch(computeEpochAtSlot(slot));
    if (changed) {
      const attnets = BitArray.fromBoolArray(this.subnets.attnets());
      this.metadata = {seq_number: this.metadata.seq_number + 1, attnets};
      this.enr.set("attnets", ssz.MetaData.fields.attnets.serialize(attnets));
    }
    const active = this.subscribeAllSubnets ? new Set(Array.from({length: this.chain.config.ATTESTATION_SUBNET_COUNT}, (_, i) => i)) : this.subnets.activeSubnets();
    this.gossip.setSubnets(active);
  }

  /** beacon_committee_subscriptions: join the subnet of each duty until its slot has passed. */
  subscribeCommittees(subs: CommitteeSubscription[]): void {
    for (const s of subs) this.subnets.addShortLived(computeSubnetForAttestation(this.chain.config, s.committeesAtSlot, s.slot, s.committeeIndex), s.slot);
    this.updateSubnets(this.chain.currentSlot());
  }

  // ---- outbound requests ----

  private async requestStatus(peerId: string): Promise<Status> {
    const {payloads} = await this.reqResp.request(peerId, Method.status, [1], ssz.Status.serialize(this.localStatus()));
    return this.decodeResponse(peerId, ssz.Status, payloads[0]);
  }

  private async requestMetadata(peerId: string): Promise<MetaData> {
    const {payloads, version} = await this.reqResp.request(peerId, Method.metadata, [2, 1], null);
    if (version === 2) {
      const v2 = this.decodeResponse(peerId, MetaDataV2, payloads[0]);
      return {seq_number: v2.seq_number, attnets: v2.attnets};
    }
    return this.decodeResponse(peerId, ssz.MetaData, payloads[0]);
  }

  private async requestPing(peerId: string): Promise<number> {
    const {payloads} = await this.reqResp.request(peerId, Method.ping, [1], ssz.Ping.serialize(this.metadata.seq_number));
    return this.decodeResponse(peerId, ssz.Ping, payloads[0]);
  }

  private async sendGoodbye(peerId: string, reason: number): Promise<void> {
    await Promise.race([
      this.reqResp.request(peerId, Method.goodbye, [1], ssz.Goodbye.serialize(reason)).catch(() => {}),
      new Promise((resolve) => setTimeout(resolve, GOODBYE_TIMEOUT_MS).unref()),
    ]);
  }

  private decodeResponse<T>(peerId: string, type: {deserialize(b: Uint8Array): T}, bytes: Uint8Array): T {
    try {
      return type.deserialize(bytes);
    } catch (e) {
      this.reportPeer(peerId, PeerAction.LowTolerance, `undecodable response: ${(e as Error).message}`);
      throw new ReqRespError("INVALID_RESPONSE", `undecodable response from ${peerId}: ${(e as Error).message}`);
    }
  }

  // ---- INetworkPeers ----

  get peerEvents(): EventEmitter<NetworkPeerEvents> {
    return this.peers.events;
  }

  syncPeers(): SyncPeer[] {
    return this.peers.syncPeers();
  }

  async beaconBlocksByRange(peerId: string, startSlot: number, count: number): Promise<SignedBeaconBlock[]> {
    const request = ssz.BeaconBlocksByRangeRequest.serialize({start_slot: startSlot, count, step: 1});
    const {payloads} = await this.reqResp.request(peerId, Method.beaconBlocksByRange, [2, 1], request, count);
    const blocks = payloads.map((p) => this.decodeResponse(peerId, ssz.SignedBeaconBlock, p));
    let previous = startSlot - 1;
    for (const b of blocks) {
      const slot = b.message.slot;
      if (slot <= previous || slot >= startSlot + count) {
        this.reportPeer(peerId, PeerAction.LowTolerance, `blocks_by_range answered slot ${slot} outside or out of order in [${startSlot}, ${startSlot + count})`);
        throw new ReqRespError("INVALID_RESPONSE", `peer ${peerId} answered blocks_by_range with block at slot ${slot} out of order or range`);
      }
      previous = slot;
    }
    return blocks;
  }

  async beaconBlocksByRoot(peerId: string, roots: Uint8Array[]): Promise<SignedBeaconBlock[]> {
    const {payloads} = await this.reqResp.request(peerId, Method.beaconBlocksByRoot, [2, 1], ssz.BeaconBlocksByRootRequest.serialize(roots), roots.length);
    const wanted = new Set(roots.map(toHex));
    const blocks = payloads.map((p) => this.decodeResponse(peerId, ssz.SignedBeaconBlock, p));
    for (const b of blocks) {
      if (!wanted.has(toHex(blockRoot(b.message)))) {
        this.reportPeer(peerId, PeerAction.LowTolerance, "blocks_by_root answered a block that was not requested");
        throw new ReqRespError("INVALID_RESPONSE", `peer ${peerId} answered blocks_by_root with a block not requested`);
      }
    }
    return blocks;
  }

  reportPeer(peerId: string, action: PeerAction, reason: string): void {
    this.peers.reportPeer(peerId, action, reason);
  }

  // ---- publishing ----

  /** Gossips a message the node produced or accepted over REST. Returns the peers it went to. */
  async publish(message: GossipMessage | PublishMessage): Promise<number> {
    if (message.kind === "beacon_attestation" && !("subnet" in message)) return this.publishAttestation(message.value);
    return this.gossip.publish(message as GossipMessage);
  }

  /** Gossips an attestation on the subnet of its committee (needs the head state's shuffling for its epoch). */
  private async publishAttestation(attestation: Attestation): Promise<number> {
    const subnet = attestationSubnet(this.chain, attestation);
    if (subnet === null) return 0;
    return this.gossip.publish({kind: "beacon_attestation", subnet, value: attestation});
  }

  // ---- API view ----

  getNetworkIdentity(): NetworkIdentity {
    const peerId = this.peerId;
    return {
      peerId,
      enr: this.enr.encodeTxt(),
      p2pAddresses: this.host.getMultiaddrs().map(String),
      discoveryAddresses: this.discovery === null ? [] : [`${this.discovery.listenAddress()}/p2p/${peerId}`],
      metadata: {seqNumber: this.metadata.seq_number, attnets: ssz.MetaData.fields.attnets.serialize(this.metadata.attnets)},
    };
  }

  getPeers(): PeerInfo[] {
    return this.peers.all().map((p) => ({
      peerId: p.peerId,
      enr: null,
      lastSeenP2pAddress: p.address,
      state: p.state,
      direction: p.direction,
    }));
  }
}

