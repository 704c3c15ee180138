/**
 * Gossipsub v1.1 peer scoring for the phase0 topics, after the parameters Ethereum clients share
 * (the "gossipsub v1.1 scoring" recommendation): a slot-long decay interval, topic weights that sum
 * to about 2.15 (blocks 0.5, aggregates 0.5, all attestation subnets together 1, each operation
 * topic 0.05), rewards for time in mesh and first deliveries capped so that the positive score of
 * a perfect peer is bounded, and an invalid-message penalty large enough that a few invalid
 * messages on a topic outweigh that whole bound. Mesh-delivery penalties (P3) stay off, as their
 * thresholds depend on traffic estimates a small network does not meet.
 */
import type {PeerScoreParams, PeerScoreThresholds, TopicScoreParams} from "@libp2p/gossipsub/score";
import {SLOTS_PER_EPOCH, type ChainConfig} from "../../params/index.ts";
import {GLOBAL_KINDS, topicString, type GossipTopic} from "./topics.ts";

const MAX_IN_MESH_SCORE = 10;
const MAX_FIRST_MESSAGE_DELIVERIES_SCORE = 40;
const DECAY_TO_ZERO = 0.01;

export const SCORE_THRESHOLDS: PeerScoreThresholds = {
  gossipThreshold: -4000,
  publishThreshold: -8000,
  graylistThreshold: -16000,
  acceptPXThreshold: 100,
  opportunisticGraftThreshold: 5,
};

const TOPIC_WEIGHTS: Record<(typeof GLOBAL_KINDS)[number], number> = {
  beacon_block: 0.5,
  beacon_aggregate_and_proof: 0.5,
  voluntary_exit: 0.05,
  proposer_slashing: 0.05,
  attester_slashing: 0.05,
};

/** The decay factor per interval that takes a counter to DECAY_TO_ZERO over `decayMs`. */
export function scoreParameterDecay(decayMs: number, intervalMs: number): number {
  const ticks = decayMs / intervalMs;
  return DECAY_TO_ZERO ** (1 / ticks);
}

/** The value a counter that grows by `rate` per interval and decays by `decay` converges to. */
function decayConvergence(decay: number, rate: number): number {
  return rate / (1 - decay);
}

export function gossipScoreParams(
  config: Pick<ChainConfig, "SECONDS_PER_SLOT">,
  forkDigest: Uint8Array,
  subnetCount: number
): {params: Partial<PeerScoreParams>; thresholds: PeerScoreThresholds} {
  const slotMs = config.SECONDS_PER_SLOT * 1000;
  const epochMs = slotMs * SLOTS_PER_EPOCH;
  const attestationWeight = 1 / subnetCount;
  const totalWeight = Object.values(TOPIC_WEIGHTS).reduce((a, b) => a + b, 0) + attestationWeight * subnetCount;
  const maxPositiveScore = (MAX_IN_MESH_SCORE + MAX_FIRST_MESSAGE_DELIVERIES_SCORE) * totalWeight;

  // expected first deliveries per slot from one good mesh peer
  const topicParams = (weight: number, messagesPerSlot: number): TopicScoreParams => {
    const firstDecay = scoreParameterDecay(20 * epochMs, slotMs);
    const firstCap = decayConvergence(firstDecay, (2 * messagesPerSlot) / 8);
    const timeInMeshCap = 3600 / config.SECONDS_PER_SLOT;
    return {
      topicWeight: weight,
      timeInMeshWeight: MAX_IN_MESH_SCORE / timeInMeshCap,
      timeInMeshQuantum: slotMs,
      timeInMeshCap,
      firstMessageDeliveriesWeight: MAX_FIRST_MESSAGE_DELIVERIES_SCORE / firstCap,
      firstMessageDeliveriesDecay: firstDecay,
      firstMessageDeliveriesCap: firstCap,
      meshMessageDeliveriesWeight: 0,
      meshMessageDeliveriesDecay: 0,
      meshMessageDeliveriesCap: 0,
      meshMessageDeliveriesThreshold: 0,
      meshMessageDeliveriesWindow: 0,
      meshMessageDeliveriesActivation: 0,
      meshFailurePenaltyWeight: 0,
      meshFailurePenaltyDecay: 0,
      invalidMessageDeliveriesWeight: -maxPositiveScore / weight,
      invalidMessageDeliveriesDecay: scoreParameterDecay(50 * epochMs, slotMs),
    };
  };

  const topics: Record<string, TopicScoreParams> = {};
  const rates: Record<(typeof GLOBAL_KINDS)[number], number> = {
    beacon_block: 1,
    beacon_aggregate_and_proof: 16,
    voluntary_exit: 4 / SLOTS_PER_EPOCH,
    proposer_slashing: 1 / SLOTS_PER_EPOCH,
    attester_slashing: 1 / SLOTS_PER_EPOCH,
  };
  for (const kind of GLOBAL_KINDS) topics[topicString(forkDigest, {kind} as GossipTopic)] = topicParams(TOPIC_WEIGHTS[kind], rates[kind]);
  for (let subnet = 0; subnet < subnetCount; subnet++) {
    topics[topicString(forkDigest, {kind: "beacon_attestation", subnet})] = topicParams(attestationWeight, 16);
  }

  const behaviourThreshold = 6;
  return {
    params: {
      topics,
      topicScoreCap: maxPositiveScore / 2,
      appSpecificWeight: 1,
      IPColocationFactorWeight: -maxPositiveScore,
      IPColocationFactorThreshold: 3,
      // Devnets and tests put every node on 127.0.0.1.
      IPColocationFactorWhitelist: new Set(["127.0.0.1"]),
      behaviourPenaltyWeight: SCORE_THRESHOLDS.gossipThreshold / behaviourThreshold ** 2,
      behaviourPenaltyThreshold: behaviourThreshold,
      behaviourPenaltyDecay: scoreParameterDecay(10 * epochMs, slotMs),
      decayInterval: slotMs,
      decayToZero: DECAY_TO_ZERO,
      retainScore: 100 * epochMs,
    },
    thresholds: SCORE_THRESHOLDS,
  };
}
