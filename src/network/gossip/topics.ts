/**
 * The phase0 gossip topics: `/eth2/<fork_digest>/<name>/ssz_snappy` and the SSZ type each carries.
 */
import {ssz} from "../../types/index.ts";
import type {GossipKind} from "../../chain/gossip/interface.ts";

export const GOSSIP_ENCODING = "ssz_snappy";

export type GossipTopic = {kind: Exclude<GossipKind, "beacon_attestation">} | {kind: "beacon_attestation"; subnet: number};

/** The kinds with one topic each (attestations have one per subnet). */
export const GLOBAL_KINDS = ["beacon_block", "beacon_aggregate_and_proof", "voluntary_exit", "proposer_slashing", "attester_slashing"] as const;

function topicName(t: GossipTopic): string {
  return t.kind === "beacon_attestation" ? `beacon_attestation_${t.subnet}` : t.kind;
}

export function topicString(forkDigest: Uint8Array, t: GossipTopic): string {
  return `/eth2/${Buffer.from(forkDigest).toString("hex")}/${topicName(t)}/${GOSSIP_ENCODING}`;
}

const TOPIC_RE = /^\/eth2\/([0-9a-f]{8})\/([a-z_]+?)(?:_(\d{1,2}))?\/([a-z_]+)$/;

/** Parses a topic string; null for anything that is not a phase0 topic on `forkDigest` with our encoding. */
export function parseTopic(topic: string, forkDigest: Uint8Array, subnetCount: number): GossipTopic | null {
  const m = TOPIC_RE.exec(topic);
  if (m === null || m[4] !== GOSSIP_ENCODING || m[1] !== Buffer.from(forkDigest).toString("hex")) return null;
  const [, , name, subnet] = m;
  if (name === "beacon_attestation" && subnet !== undefined) {
    const n = Number(subnet);
    return n < subnetCount && String(n) === subnet ? {kind: "beacon_attestation", subnet: n} : null;
  }
  if (subnet !== undefined) return null;
  return (GLOBAL_KINDS as readonly string[]).includes(name) ? {kind: name as GossipTopic["kind"] & (typeof GLOBAL_KINDS)[number]} : null;
}

/** The SSZ type of a topic's messages. */
export function topicType(kind: GossipKind): {minSize: number; maxSize: number; deserialize(b: Uint8Array): unknown; serialize(v: never): Uint8Array} {
  switch (kind) {
    case "beacon_block":
      return ssz.SignedBeaconBlock;
    case "beacon_aggregate_and_proof":
      return ssz.SignedAggregateAndProof;
    case "beacon_attestation":
      return ssz.Attestation;
    case "voluntary_exit":
      return ssz.SignedVoluntaryExit;
    case "proposer_slashing":
      return ssz.ProposerSlashing;
    case "attester_slashing":
      return ssz.AttesterSlashing;
  }
}
