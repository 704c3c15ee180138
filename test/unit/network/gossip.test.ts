/**
 * The gossip wire: topic strings, the spec's message-id (hashes worked out independently with
 * SHA-256 over the domain and the data), and decoding with its REJECT verdicts.
 */
import {strict as assert} from "node:assert";
import {GossipAction} from "../../../src/chain/gossip/interface.ts";
import {compressBlock} from "../../../src/network/encoding/snappyBlock.ts";
import {decodeGossip} from "../../../src/network/gossip/gossip.ts";
import {computeMessageId, decompressGossip} from "../../../src/network/gossip/messageId.ts";
import {gossipScoreParams, scoreParameterDecay} from "../../../src/network/gossip/scoring.ts";
import {parseTopic, topicString} from "../../../src/network/gossip/topics.ts";
import {createChainConfig} from "../../../src/params/index.ts";
import {ssz} from "../../../src/types/index.ts";

const config = createChainConfig("mainnet");
const DIGEST = Uint8Array.from([0x44, 0x6a, 0x72, 0x32]);
const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, "hex"));

describe("gossip wire", () => {
  it("formats and parses the phase0 topics", () => {
    assert.equal(topicString(DIGEST, {kind: "beacon_aggregate_and_proof"}), "/eth2/446a7232/beacon_aggregate_and_proof/ssz_snappy");
    assert.equal(topicString(DIGEST, {kind: "beacon_attestation", subnet: 13}), "/eth2/446a7232/beacon_attestation_13/ssz_snappy");
    assert.deepEqual(parseTopic("/eth2/446a7232/beacon_block/ssz_snappy", DIGEST, 64), {kind: "beacon_block"});
    assert.deepEqual(parseTopic("/eth2/446a7232/beacon_attestation_63/ssz_snappy", DIGEST, 64), {kind: "beacon_attestation", subnet: 63});
    for (const bad of [
      "/eth2/446a7233/beacon_block/ssz_snappy", // another fork digest
      "/eth2/446a7232/beacon_block/ssz", // another encoding
      "/eth2/446a7232/beacon_attestation_64/ssz_snappy", // no such subnet
      "/eth2/446a7232/beacon_attestation_07/ssz_snappy",
      "/eth2/446a7232/beacon_block_1/ssz_snappy",
      "/eth2/446a7232/sync_committee_0/ssz_snappy", // not phase0
      "/eth2/446a7232/beacon_block/ssz_snappy/x",
    ]) {
      assert.equal(parseTopic(bad, DIGEST, 64), null, bad);
    }
  });

  it("message-id: the valid-snappy domain over the decompressed data", () => {
    // snappy block of "hello": length 5, one 5-byte literal
    const data = hex("051068656c6c6f");
    const decompressed = decompressGossip(data, config.MAX_PAYLOAD_SIZE);
    assert.deepEqual(decompressed, new TextEncoder().encode("hello"));
    assert.equal(Buffer.from(computeMessageId(config, data, decompressed)).toString("hex"), "79d62a59d0e47597aeb73cb85ba034c3f67f90e8");
  });

  it("message-id: the invalid-snappy domain over the raw data", () => {
    const data = hex("ffffff");
    assert.equal(decompressGossip(data, config.MAX_PAYLOAD_SIZE), null);
    assert.equal(Buffer.from(computeMessageId(config, data, null)).toString("hex"), "d75acb8adcf7076212111cab0d827764b713660b");
  });

  it("decodes a valid message and REJECTs what cannot be decoded", () => {
    const exit = {message: {epoch: 3, validator_index: 7}, signature: new Uint8Array(96).fill(1)};
    const ok = decodeGossip({kind: "voluntary_exit"}, compressBlock(ssz.SignedVoluntaryExit.serialize(exit)), undefined, config.MAX_PAYLOAD_SIZE);
    assert.ok(!("action" in ok));
    assert.equal(ok.kind, "voluntary_exit");
    assert.deepEqual(ok.value, exit);

    const verdict = (kind: "voluntary_exit" | "beacon_attestation", data: Uint8Array) =>
      decodeGossip(kind === "beacon_attestation" ? {kind, subnet: 0} : {kind}, data, undefined, config.MAX_PAYLOAD_SIZE) as {action: string; reason: string};
    assert.deepEqual(verdict("voluntary_exit", hex("ffffffff0f00")), {action: GossipAction.REJECT, reason: "INVALID_SNAPPY"});
    assert.deepEqual(verdict("voluntary_exit", compressBlock(new Uint8Array(111))), {action: GossipAction.REJECT, reason: "INVALID_SSZ_LENGTH"});
    assert.deepEqual(verdict("beacon_attestation", compressBlock(new Uint8Array(100_000))), {action: GossipAction.REJECT, reason: "INVALID_SSZ_LENGTH"});
    // Right size range for an attestation, but the offset of aggregation_bits is wrong.
    assert.deepEqual(verdict("beacon_attestation", compressBlock(new Uint8Array(229).fill(0xff))), {action: GossipAction.REJECT, reason: "INVALID_SSZ"});
    assert.deepEqual(verdict("voluntary_exit", new Uint8Array(13 * 2 ** 20)), {action: GossipAction.REJECT, reason: "MESSAGE_TOO_LARGE"});
    // An epoch of 2^60 is no value the node can hold (it reads as a nearby number): not the bytes that were signed.
    const hugeEpoch = ssz.SignedVoluntaryExit.serialize(exit);
    hugeEpoch[7] = 0x10;
    assert.deepEqual(verdict("voluntary_exit", compressBlock(hugeEpoch)), {action: GossipAction.REJECT, reason: "INVALID_SSZ"});
  });

  it("topic scores: slot-long decay, a weight per topic, invalid messages outweigh every reward", () => {
    assert.ok(Math.abs(scoreParameterDecay(10_000, 1_000) ** 10 - 0.01) < 1e-12);
    const {params, thresholds} = gossipScoreParams(config, DIGEST, 64);
    const topics = params.topics!;
    assert.equal(Object.keys(topics).length, 5 + 64);
    const block = topics["/eth2/446a7232/beacon_block/ssz_snappy"];
    assert.equal(block.topicWeight, 0.5);
    assert.equal(topics["/eth2/446a7232/beacon_attestation_5/ssz_snappy"].topicWeight, 1 / 64);
    // Two invalid blocks cost more than the whole positive score cap.
    assert.ok(2 * block.invalidMessageDeliveriesWeight * block.topicWeight < -2 * params.topicScoreCap!);
    assert.ok(thresholds.graylistThreshold < thresholds.publishThreshold && thresholds.publishThreshold < thresholds.gossipThreshold);
  });
});
