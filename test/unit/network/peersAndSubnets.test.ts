/**
 * Attestation subnets (compute_subscribed_subnets against values from an independent
 * implementation of the spec's Python), the req/resp rate limiter and request checks, and the
 * peer score's thresholds.
 */
import {strict as assert} from "node:assert";
import {PeerAction} from "../../../src/network/interface.ts";
import {createChainConfig, useNetwork} from "../../../src/params/index.ts";
import {PeerScore} from "../../../src/network/peers/peerScore.ts";
import {checkBlocksByRange} from "../../../src/network/reqresp/handlers.ts";
import {RespCode} from "../../../src/network/reqresp/protocols.ts";
import {RateLimiter} from "../../../src/network/reqresp/rateLimiter.ts";
import {RequestError} from "../../../src/network/reqresp/reqResp.ts";
import {computeSubscribedSubnets, SubnetService} from "../../../src/network/subnets.ts";
import {computeSubnetForAttestation} from "../../../src/chain/validation/subnet.ts";

const config = createChainConfig("mainnet");

describe("attestation subnets", () => {
  // compute_shuffled_index runs SHUFFLE_ROUND_COUNT rounds: 90 in the mainnet preset the values were computed with.
  before(() => useNetwork("mainnet", {}));
  const ids: [bigint, number, number[]][] = [
    [0n, 0, [49, 50]],
    [0n, 300, [16, 17]],
    [0n, 1_000_000, [60, 61]],
    [2n ** 256n - 1n, 0, [57, 58]],
    [2n ** 256n - 1n, 300, [45, 46]],
    [BigInt("0x964dff5091" + "ab".repeat(27)), 0, [54, 55]],
    [BigInt("0x964dff5091" + "ab".repeat(27)), 1_000_000, [32, 33]],
  ];
  for (const [nodeId, epoch, expected] of ids) {
    it(`compute_subscribed_subnets(${nodeId.toString(16).slice(0, 10)}..., ${epoch}) = ${expected}`, () => {
      assert.deepEqual(computeSubscribedSubnets(config, nodeId, epoch), expected);
    });
  }

  it("compute_subnet_for_attestation counts committees from the epoch start", () => {
    // mainnet SLOTS_PER_EPOCH = 32: slot 33 is the second slot of epoch 1
    assert.equal(computeSubnetForAttestation(config, 4, 33, 2), 6);
    assert.equal(computeSubnetForAttestation(config, 64, 31, 63), (64 * 31 + 63) % 64);
  });

  it("long-lived subnets in attnets, short-lived ones until their slot", () => {
    const s = new SubnetService(config, 0n);
    assert.equal(s.updateEpoch(0), true);
    assert.equal(s.updateEpoch(0), false);
    assert.deepEqual(s.longLivedSubnets(), [49, 50]);
    s.addShortLived(3, 100);
    assert.deepEqual([...s.activeSubnets()].sort((a, b) => a - b), [3, 49, 50]);
    assert.deepEqual(s.attnets().flatMap((b, i) => (b ? [i] : [])), [49, 50]);
    s.pruneShortLived(100);
    assert.ok(s.activeSubnets().has(3));
    s.pruneShortLived(101);
    assert.ok(!s.activeSubnets().has(3));
  });
});

describe("req/resp limits and peer scores", () => {
  it("blocks_by_range: zero step or count and counts above MAX_REQUEST_BLOCKS are invalid requests", () => {
    const invalid = (r: {start_slot: number; count: number; step: number}) =>
      assert.throws(() => checkBlocksByRange(config, r), (e: unknown) => e instanceof RequestError && e.resultCode === RespCode.invalidRequest);
    invalid({start_slot: 0, count: 0, step: 1});
    invalid({start_slot: 0, count: 10, step: 0});
    invalid({start_slot: 0, count: 1025, step: 1});
    invalid({start_slot: 0, count: 2 ** 53 - 1, step: 1});
    checkBlocksByRange(config, {start_slot: 5, count: 1024, step: 1});
  });

  it("rate limiter: a burst up to capacity, then tokens refill with time, per peer", () => {
    let now = 0;
    const rl = new RateLimiter(undefined, () => now);
    assert.equal(rl.allow("a", "beacon_blocks_by_range", 1024), true);
    assert.equal(rl.allow("a", "beacon_blocks_by_range", 1024), true);
    assert.equal(rl.allow("a", "beacon_blocks_by_range", 1), false);
    assert.equal(rl.allow("b", "beacon_blocks_by_range", 1024), true);
    now += 5_000; // half the refill period: half the bucket
    assert.equal(rl.allow("a", "beacon_blocks_by_range", 1024), true);
    assert.equal(rl.allow("a", "beacon_blocks_by_range", 1), false);
    for (let i = 0; i < 5; i++) assert.equal(rl.allow("a", "status"), true);
    assert.equal(rl.allow("a", "status"), false);
    rl.pruneRefilled();
    assert.equal(rl.allow("a", "status"), false, "an exhausted bucket is kept until it has refilled");
    now += 15_000; // every bucket refilled
    rl.pruneRefilled();
    assert.equal(rl.size, 0, "refilled buckets are forgotten");
    assert.equal(rl.allow("a", "status"), true);
  });

  it("peer score: two low-tolerance faults disconnect, a fatal one bans, old faults fade", () => {
    const s = new PeerScore(0);
    s.apply(PeerAction.LowTolerance, 0);
    assert.equal(s.state(0), "healthy");
    s.apply(PeerAction.LowTolerance, 0);
    assert.equal(s.state(0), "disconnect");
    assert.equal(s.state(10 * 60 * 1000), "healthy"); // one half-life later: -10
    const f = new PeerScore(0);
    f.apply(PeerAction.Fatal, 0);
    assert.equal(f.score(0), -100);
    assert.equal(f.state(0), "ban");
  });
});
