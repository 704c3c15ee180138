/**
 * An in-process stand-in for the libp2p network (the outside world of sync): peers that serve
 * the blocks of a real chain built in the test, each with a behaviour (honest, invalid blocks,
 * withheld blocks, failing requests), and a record of every request and peer report.
 */
import {EventEmitter} from "node:events";
import type {BeaconChain} from "../../../src/chain/index.ts";
import type {INetworkPeers, NetworkPeerEvents, PeerAction, SyncPeer} from "../../../src/network/interface.ts";
import {ssz, type SignedBeaconBlock, type Status} from "../../../src/types/index.ts";
import {toHex} from "../../../src/util/bytes.ts";

export interface FakePeerBehaviour {
  /** Replace the block at this slot with a copy whose signature is wrong. */
  invalidAtSlot?: number;
  /** Leave out blocks at slots where slot % n === 0. */
  withholdEvery?: number;
  /** Every request fails. */
  failing?: boolean;
  /** Answer by-root requests with this block whatever is asked. */
  wrongByRoot?: SignedBeaconBlock;
}

export interface FakePeer {
  peerId: string;
  source: BeaconChain;
  status: Status;
  behaviour: FakePeerBehaviour;
}

export class FakeNetwork implements INetworkPeers {
  readonly peerEvents = new EventEmitter<NetworkPeerEvents>();
  readonly peers = new Map<string, FakePeer>();
  readonly reports: {peerId: string; action: PeerAction; reason: string}[] = [];
  readonly requests: {peerId: string; kind: "range" | "root"; startSlot?: number; count?: number; roots?: number}[] = [];

  /** Connects a peer serving `source`'s canonical chain; its status is the source's head now, or what `announce` says. */
  addPeer(peerId: string, source: BeaconChain, behaviour: FakePeerBehaviour = {}, announce: Partial<Status> = {}): FakePeer {
    const head = source.getHead();
    const finalized = source.getFinalizedCheckpoint();
    const status: Status = {
      fork_digest: new Uint8Array(4),
      finalized_root: finalized.root,
      finalized_epoch: finalized.epoch,
      head_root: head.root,
      head_slot: head.slot,
      ...announce,
    };
    const peer = {peerId, source, status, behaviour};
    this.peers.set(peerId, peer);
    this.peerEvents.emit("peer:status", {peerId, status});
    return peer;
  }

  removePeer(peerId: string): void {
    this.peers.delete(peerId);
    this.peerEvents.emit("peer:disconnected", peerId);
  }

  syncPeers(): SyncPeer[] {
    return [...this.peers.values()].map((p) => ({peerId: p.peerId, status: p.status}));
  }

  async beaconBlocksByRange(peerId: string, startSlot: number, count: number): Promise<SignedBeaconBlock[]> {
    this.requests.push({peerId, kind: "range", startSlot, count});
    const peer = this.peer(peerId);
    await tick();
    const out: SignedBeaconBlock[] = [];
    for (let slot = startSlot; slot < startSlot + count; slot++) {
      const found = await peer.source.getBlockById(slot);
      if (found === null) continue;
      if (peer.behaviour.withholdEvery !== undefined && slot % peer.behaviour.withholdEvery === 0) continue;
      out.push(slot === peer.behaviour.invalidAtSlot ? spoil(found.signedBlock) : found.signedBlock);
    }
    return out;
  }

  async beaconBlocksByRoot(peerId: string, roots: Uint8Array[]): Promise<SignedBeaconBlock[]> {
    this.requests.push({peerId, kind: "root", roots: roots.length});
    const peer = this.peer(peerId);
    await tick();
    if (peer.behaviour.wrongByRoot !== undefined) return [peer.behaviour.wrongByRoot];
    const out: SignedBeaconBlock[] = [];
    for (const root of roots) {
      const found = await peer.source.getBlockById(root);
      if (found !== null) out.push(found.signedBlock);
    }
    return out;
  }

  reportPeer(peerId: string, action: PeerAction, reason: string): void {
    this.reports.push({peerId, action, reason});
  }

  private peer(peerId: string): FakePeer {
    const peer = this.peers.get(peerId);
    if (peer === undefined) throw new Error(`peer ${peerId} is not connected`);
    if (peer.behaviour.failing) throw new Error("request timed out");
    return peer;
  }
}

function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function spoil(signed: SignedBeaconBlock): SignedBeaconBlock {
  const copy = ssz.SignedBeaconBlock.clone(signed);
  copy.signature = new Uint8Array(96);
  copy.signature[0] = 0xc0;
  return copy;
}

export function rootHex(signed: SignedBeaconBlock): string {
  return toHex(ssz.BeaconBlock.hashTreeRoot(signed.message));
}
