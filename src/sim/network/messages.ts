/**
 * Gossip messages as the simulated wire carries them: the SSZ bytes (each receiver decodes its
 * own copy, as over a real network, so no two nodes share a mutable object), the attestation
 * subnet, and the message id that the seen caches and the random draws key on.
 */
import type {GossipKind, GossipMessage} from "../../chain/gossip/interface.ts";
import {digest} from "../../crypto/index.ts";
import {topicType} from "../../network/gossip/topics.ts";
import {concatBytes} from "../../util/bytes.ts";

export interface WireMessage {
  kind: GossipKind;
  /** The attestation subnet (null for other kinds). */
  subnet: number | null;
  bytes: Uint8Array;
  /** sha256(kind ‖ SSZ bytes), 64 hex digits. */
  id: string;
  /** A block's slot (null for other kinds): a block early for its slot waits for it. */
  slot: number | null;
}

/** Order of delivery at one instant to one node: blocks first, as the chain's processor takes them. */
export const KIND_RANK: Readonly<Record<GossipKind, number>> = {
  beacon_block: 0,
  beacon_aggregate_and_proof: 1,
  beacon_attestation: 2,
  attester_slashing: 3,
  proposer_slashing: 4,
  voluntary_exit: 5,
};

const KIND_BYTES = new Map<GossipKind, Uint8Array>((Object.keys(KIND_RANK) as GossipKind[]).map((k) => [k, new TextEncoder().encode(k)]));

export function encodeMessage(message: GossipMessage): WireMessage {
  const bytes = topicType(message.kind).serialize(message.value as never);
  const id = Buffer.from(digest(concatBytes(KIND_BYTES.get(message.kind)!, bytes))).toString("hex");
  return {
    kind: message.kind,
    subnet: message.kind === "beacon_attestation" ? message.subnet : null,
    bytes,
    id,
    slot: message.kind === "beacon_block" ? message.value.message.slot : null,
  };
}

/** A fresh copy of the message for one receiver. */
export function decodeMessage(wire: WireMessage): GossipMessage {
  const value = topicType(wire.kind).deserialize(wire.bytes);
  if (wire.kind === "beacon_attestation") return {kind: wire.kind, subnet: wire.subnet!, value} as GossipMessage;
  return {kind: wire.kind, value} as GossipMessage;
}
