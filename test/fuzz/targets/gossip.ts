/**
 * Gossip decoding (src/network/gossip): topic strings through parseTopic, message data through
 * decodeGossip (snappy block, then the topic's SSZ type). Oracle: a topic parses only to a topic
 * that prints back to the same string; data from an independent producer (the SSZ type's
 * serialize, snappyjs's compressor) decodes to exactly the value that was sent; mutated or random
 * data decodes to a value whose one encoding it is, or is answered with a REJECT verdict, never
 * an exception.
 */
import fc from "fast-check";
import {createRequire} from "node:module";
import type {Type} from "@chainsafe/ssz";
import {createChainConfig} from "../../../src/params/index.ts";
import {GossipAction} from "../../../src/chain/gossip/interface.ts";
import {decodeGossip} from "../../../src/network/gossip/gossip.ts";
import {decompressGossip} from "../../../src/network/gossip/messageId.ts";
import {GLOBAL_KINDS, parseTopic, topicString, topicType, type GossipTopic} from "../../../src/network/gossip/topics.ts";
import {hexOf, mutatedBytes, mutatedText, type InProcessTarget} from "../target.ts";

// snappyjs ships no type declarations; only its compressor is used.
const config = createChainConfig("mainnet");
const snappyjs = createRequire(import.meta.url)("snappyjs") as {compress(b: Uint8Array): Uint8Array};

const FORK_DIGEST = Uint8Array.from([0x12, 0x34, 0xab, 0xcd]);

interface GossipInput {
  topic: string;
  /** The topic the data is decoded for when `topic` does not parse. */
  fallback: GossipTopic;
  data: Uint8Array;
  /** The SSZ bytes `data` compresses, for inputs from the producer; null for mutated ones. */
  ssz: Uint8Array | null;
}

function sszType(topic: GossipTopic): Type<unknown> {
  return topicType(topic.kind) as unknown as Type<unknown>;
}

/** A value of a fixed-size type read from random bytes (u64 fields above 2^53 become values too), else the default value; serialized. */
function validSsz(topic: GossipTopic): fc.Arbitrary<Uint8Array> {
  const type = sszType(topic);
  if (type.fixedSize !== null) return fc.uint8Array({minLength: type.fixedSize, maxLength: type.fixedSize}).map((b) => type.serialize(type.deserialize(b)));
  return fc.constant(type.serialize(type.defaultValue()));
}

const topicArb: fc.Arbitrary<GossipTopic> = fc.oneof(
  fc.constantFrom(...GLOBAL_KINDS).map((kind) => ({kind}) as GossipTopic),
  fc.nat({max: config.ATTESTATION_SUBNET_COUNT - 1}).map((subnet) => ({kind: "beacon_attestation", subnet}) as GossipTopic)
);

function mutatedTopic(valid: string): fc.Arbitrary<string> {
  return fc.oneof(fc.constant(valid), mutatedText(valid, 1), fc.string({maxLength: 64}));
}

export function gossipTarget(): InProcessTarget<GossipInput> {
  const arbitrary = topicArb.chain((topic) => {
    const valid = validSsz(topic).map((ssz) => ({ssz, data: snappyjs.compress(ssz)}));
    const data = fc.oneof(
      {arbitrary: valid.map((v) => ({data: v.data, ssz: v.ssz as Uint8Array | null})), weight: 1},
      {arbitrary: mutatedBytes(valid.map((v) => v.data), 1024).map((d) => ({data: d, ssz: null})), weight: 3}
    );
    return fc.tuple(mutatedTopic(topicString(FORK_DIGEST, topic)), data).map(([t, d]) => ({topic: t, fallback: topic, ...d}));
  });
  return {
    name: "gossip",
    description: "gossip topics and messages: canonical topic parses, exact round trips, REJECT for bad data",
    arbitrary,
    check({topic, fallback, data, ssz}) {
      let parsed: GossipTopic | null;
      try {
        parsed = parseTopic(topic, FORK_DIGEST, config.ATTESTATION_SUBNET_COUNT);
      } catch (e) {
        return `parseTopic threw ${(e as Error).constructor.name}: ${(e as Error).message}`;
      }
      if (parsed !== null && topicString(FORK_DIGEST, parsed) !== topic) return `topic ${JSON.stringify(topic)} parsed to ${JSON.stringify(parsed)}, which prints differently`;
      if (topic === topicString(FORK_DIGEST, fallback) && JSON.stringify(parsed) !== JSON.stringify(fallback)) return `the valid topic ${topic} did not parse`;
      const t = parsed ?? fallback;
      // The producer's bytes are valid for `fallback`; a mutated topic may name another one.
      const valid = ssz !== null && JSON.stringify(t) === JSON.stringify(fallback);
      let decoded: ReturnType<typeof decodeGossip>;
      try {
        decoded = decodeGossip(t, data, undefined, config.MAX_PAYLOAD_SIZE);
      } catch (e) {
        return `decodeGossip threw ${(e as Error).constructor.name}: ${(e as Error).message}`;
      }
      if ("action" in decoded) {
        if (valid) return `a valid message was refused: ${decoded.reason}`;
        return decoded.action !== GossipAction.REJECT ? `undecodable data got ${decoded.action}, not REJECT` : null;
      }
      if (decoded.kind !== t.kind || (t.kind === "beacon_attestation" && (decoded as {subnet?: number}).subnet !== t.subnet)) return "decoded for another topic";
      let back: Uint8Array;
      try {
        back = sszType(t).serialize(decoded.value);
      } catch (e) {
        return `a decoded message could not be re-serialized: ${(e as Error).message}`;
      }
      if (valid && hexOf(back) !== hexOf(ssz!)) return "a round trip changed the message";
      // Accepted data must be the one encoding of its value, or the message's root is not that of its bytes.
      const payload = decompressGossip(data, config.MAX_PAYLOAD_SIZE);
      if (payload === null || hexOf(back) !== hexOf(payload)) return "accepted a non-canonical encoding";
      return null;
    },
    show: ({topic, fallback, data}) => ({topic, fallback, data: hexOf(data)}),
  };
}
