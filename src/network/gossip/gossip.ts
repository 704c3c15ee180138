/**
 * The gossip wire: topic subscriptions, inbound messages decoded (snappy, then SSZ; a failure is
 * a REJECT) and handed to the GossipSink, whose verdict goes back to gossipsub (ACCEPT forwards,
 * IGNORE drops, REJECT drops and counts against the sender's topic score), and the publish path.
 */
import {TopicValidatorResult, type GossipsubMessage} from "@libp2p/gossipsub";
import type {GossipSub} from "../libp2p.ts";
import type {ChainConfig} from "../../params/index.ts";
import type {Logger} from "../../util/logger.ts";
import {GossipAction, type GossipMessage, type GossipSink, type GossipVerdict} from "../../chain/gossip/interface.ts";
import {compressBlock, maxCompressedLen} from "../encoding/snappyBlock.ts";
import {deserializeCanonical} from "../../types/index.ts";
import type {Type} from "@chainsafe/ssz";
import {decompressGossip} from "./messageId.ts";
import {GLOBAL_KINDS, parseTopic, topicString, topicType, type GossipTopic} from "./topics.ts";

export interface GossipOptions {
  config: Pick<ChainConfig, "MAX_PAYLOAD_SIZE" | "ATTESTATION_SUBNET_COUNT">;
  pubsub: GossipSub;
  forkDigest: Uint8Array;
  sink: GossipSink;
  logger: Logger;
  now(): number;
  /** Decompressed payloads the message-id function already produced. */
  decompressed: WeakMap<object, Uint8Array | null>;
  /** Every verdict, by topic name (e.g. "beacon_block", "beacon_attestation"), for metrics. */
  onVerdict?: (topic: string, verdict: GossipVerdict) => void;
}

const ACCEPTANCE: Record<GossipAction, TopicValidatorResult> = {
  ACCEPT: TopicValidatorResult.Accept,
  IGNORE: TopicValidatorResult.Ignore,
  REJECT: TopicValidatorResult.Reject,
};

/** Decodes a gossip message's data for its topic; a verdict when it cannot be decoded. */
export function decodeGossip(
  topic: GossipTopic,
  data: Uint8Array,
  decompressed: Uint8Array | null | undefined,
  maxPayloadSize: number
): GossipMessage | GossipVerdict {
  if (data.length > maxCompressedLen(maxPayloadSize)) return {action: GossipAction.REJECT, reason: "MESSAGE_TOO_LARGE"};
  const payload = decompressed === undefined ? decompressGossip(data, maxPayloadSize) : decompressed;
  if (payload === null) return {action: GossipAction.REJECT, reason: "INVALID_SNAPPY"};
  const type = topicType(topic.kind);
  if (payload.length < type.minSize || payload.length > type.maxSize) return {action: GossipAction.REJECT, reason: "INVALID_SSZ_LENGTH"};
  let value: unknown;
  try {
    // Malformed, or not the canonical encoding of its value (types/canonical.ts).
    value = deserializeCanonical(type as Type<unknown>, payload);
  } catch {
    return {action: GossipAction.REJECT, reason: "INVALID_SSZ"};
  }
  if (topic.kind === "beacon_attestation") return {kind: topic.kind, subnet: topic.subnet, value} as GossipMessage;
  return {kind: topic.kind, value} as GossipMessage;
}

export class Gossip {
  private readonly opts: GossipOptions;
  private readonly subnets = new Set<number>();

  constructor(opts: GossipOptions) {
    this.opts = opts;
  }

  start(): void {
    const {pubsub, forkDigest} = this.opts;
    pubsub.addEventListener("gossipsub:message", this.onMessage);
    for (const kind of GLOBAL_KINDS) pubsub.subscribe(topicString(forkDigest, {kind}));
  }

  stop(): void {
    this.opts.pubsub.removeEventListener("gossipsub:message", this.onMessage);
  }

  /** Subscribes to exactly these attestation subnets. */
  setSubnets(subnets: Set<number>): void {
    const {pubsub, forkDigest} = this.opts;
    for (const s of this.subnets) {
      if (!subnets.has(s)) {
        pubsub.unsubscribe(topicString(forkDigest, {kind: "beacon_attestation", subnet: s}));
        this.subnets.delete(s);
      }
    }
    for (const s of subnets) {
      if (!this.subnets.has(s)) {
        pubsub.subscribe(topicString(forkDigest, {kind: "beacon_attestation", subnet: s}));
        this.subnets.add(s);
      }
    }
  }

  private readonly onMessage = (evt: CustomEvent<GossipsubMessage>): void => {
    void this.validate(evt.detail);
  };

  private async validate({msg, msgId, propagationSource}: GossipsubMessage): Promise<void> {
    const receivedAtMs = this.opts.now();
    const peerId = propagationSource.toString();
    const topic = parseTopic(msg.topic, this.opts.forkDigest, this.opts.config.ATTESTATION_SUBNET_COUNT);
    let verdict: GossipVerdict;
    if (topic === null) {
      verdict = {action: GossipAction.REJECT, reason: "UNKNOWN_TOPIC"};
    } else {
      const decoded = decodeGossip(topic, msg.data, this.opts.decompressed.get(msg), this.opts.config.MAX_PAYLOAD_SIZE);
      if ("action" in decoded) verdict = decoded;
      else {
        try {
          verdict = await this.opts.sink.onGossip(decoded, receivedAtMs, peerId);
        } catch (e) {
          // The sink promises never to throw; if it does, the message is not the peer's fault.
          this.opts.logger.warn({err: (e as Error).message, topic: msg.topic}, "gossip sink threw");
          verdict = {action: GossipAction.IGNORE, reason: "SINK_ERROR"};
        }
      }
    }
    this.opts.pubsub.reportMessageValidationResult(msgId, peerId, ACCEPTANCE[verdict.action]);
    this.opts.onVerdict?.(topic?.kind ?? "unknown", verdict);
    if (verdict.action === GossipAction.REJECT) {
      const score = this.opts.pubsub.getScore(peerId);
      this.opts.logger.debug({peer: peerId, topic: msg.topic, reason: verdict.reason, score}, "gossip message rejected");
    }
  }

  /** Publishes a message the node produced or received over REST. */
  async publish(message: GossipMessage): Promise<number> {
    const {forkDigest, pubsub} = this.opts;
    const topic: GossipTopic = message.kind === "beacon_attestation" ? {kind: message.kind, subnet: message.subnet} : {kind: message.kind};
    const bytes = serializeGossip(message);
    try {
      const result = await pubsub.publish(topicString(forkDigest, topic), compressBlock(bytes), {ignoreDuplicatePublishError: true});
      return result.recipients.length;
    } catch (e) {
      this.opts.logger.debug({kind: message.kind, err: (e as Error).message}, "gossip publish failed");
      return 0;
    }
  }
}

function serializeGossip(m: GossipMessage): Uint8Array {
  return topicType(m.kind).serialize(m.value as never);
}
