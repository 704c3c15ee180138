/**
 * The contract between the network layer and the chain for gossip: the network decodes a message
 * (snappy, SSZ) and hands the value to a GossipSink; the sink runs the p2p spec's validation for the
 * topic and, on ACCEPT, imports or pools it. The verdict goes back to gossipsub (ACCEPT forwards,
 * IGNORE drops, REJECT drops and penalises the sender). The same validation serves the REST pool
 * endpoints and the spec's networking vectors.
 */
import type {
  Attestation,
  AttesterSlashing,
  ProposerSlashing,
  SignedAggregateAndProof,
  SignedBeaconBlock,
  SignedVoluntaryExit,
} from "../../types/index.ts";

export const GossipAction = {ACCEPT: "ACCEPT", IGNORE: "IGNORE", REJECT: "REJECT"} as const;
export type GossipAction = (typeof GossipAction)[keyof typeof GossipAction];

export interface GossipVerdict {
  action: GossipAction;
  /** A short, stable code for logs and metrics (e.g. "FUTURE_SLOT", "INVALID_SIGNATURE"); empty on ACCEPT. */
  reason: string;
}

export type GossipKind =
  | "beacon_block"
  | "beacon_aggregate_and_proof"
  | "beacon_attestation"
  | "voluntary_exit"
  | "proposer_slashing"
  | "attester_slashing";

export type GossipMessage =
  | {kind: "beacon_block"; value: SignedBeaconBlock}
  | {kind: "beacon_aggregate_and_proof"; value: SignedAggregateAndProof}
  | {kind: "beacon_attestation"; subnet: number; value: Attestation}
  | {kind: "voluntary_exit"; value: SignedVoluntaryExit}
  | {kind: "proposer_slashing"; value: ProposerSlashing}
  | {kind: "attester_slashing"; value: AttesterSlashing};

export interface GossipSink {
  /**
   * Validates the message as the p2p spec says for its topic and, on ACCEPT, imports or pools it.
   * Never throws for bad input: every failure is a verdict. `receivedAtMs` is the time the message
   * arrived (for clock-disparity checks); `peerId` identifies the sender for logs.
   */
  onGossip(message: GossipMessage, receivedAtMs: number, peerId?: string): Promise<GossipVerdict>;
}
