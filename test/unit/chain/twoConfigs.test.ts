/**
 * Two real chains of different chain configs in one process (the simulator's premise): each
 * follows its own slot time, proposer boost and fork version, whatever the other one runs.
 */
import {strict as assert} from "node:assert";
import {openChain, type BeaconChain} from "../../../src/chain/index.ts";
import {FakeTime} from "../../../src/clock/index.ts";
import {interopSecretKey, sign} from "../../../src/crypto/index.ts";
import {BeaconDb} from "../../../src/db/index.ts";
import {interopDeposits} from "../../../src/node/genesis/interopDeposits.ts";
import {createChainConfig, DOMAIN_BEACON_PROPOSER, type ChainConfig} from "../../../src/params/index.ts";
import {computeDomain, computeSigningRoot, getDomain, initializeBeaconStateFromEth1} from "../../../src/state-transition/index.ts";
import {ssz, type BeaconStateView} from "../../../src/types/index.ts";
import {toHex} from "../../../src/util/bytes.ts";
import {buildBlock, GENESIS_TIME, useDevNetwork} from "./helpers.ts";

const VALIDATORS = 64;

/** An interop genesis built under `config` (its fork version signs the deposits and names the fork). */
function genesisFor(config: ChainConfig): BeaconStateView {
  const {deposits} = interopDeposits(config, VALIDATORS);
  const genesis = initializeBeaconStateFromEth1(config, new Uint8Array(32).fill(0x42), 2 ** 40, deposits);
  genesis.state.genesis_time = GENESIS_TIME;
  genesis.state.commit();
  return genesis.state;
}

async function chainOf(config: ChainConfig, time: FakeTime): Promise<BeaconChain> {
  const overrides = {SECONDS_PER_SLOT: String(config.SECONDS_PER_SLOT), PROPOSER_SCORE_BOOST: String(config.PROPOSER_SCORE_BOOST), GENESIS_FORK_VERSION: toHex(config.GENESIS_FORK_VERSION)};
  const {chain} = await openChain({
    db: BeaconDb.inMemory(),
    genesisState: () => genesisFor(config),
    network: {preset: "minimal", configOverrides: overrides},
    config,
    time,
  });
  return chain;
}

describe("chain: two chains of different configs in one process", function () {
  this.timeout(60_000);
  const configA = createChainConfig("minimal", {SECONDS_PER_SLOT: "6", PROPOSER_SCORE_BOOST: "40", GENESIS_FORK_VERSION: "0x00000001"});
  const configB = createChainConfig("minimal", {SECONDS_PER_SLOT: "12", PROPOSER_SCORE_BOOST: "0", GENESIS_FORK_VERSION: "0x0000b0b0"});
  let time: FakeTime;
  let a: BeaconChain;
  let b: BeaconChain;

  before(async () => {
    useDevNetwork();
    time = new FakeTime(GENESIS_TIME * 1000);
    a = await chainOf(configA, time);
    b = await chainOf(configB, time);
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
  });

  it("each chain reads its own config", () => {
    assert.equal(a.config, configA);
    assert.equal(b.config, configB);
    assert.equal(a.getHead().state.epochCtx.config, configA);
    assert.equal(b.getHead().state.epochCtx.config, configB);
    assert.equal(a.forkChoice.config, configA);
    assert.equal(b.forkChoice.config, configB);
  });

  it("each genesis carries its own fork version, and every deposit verified under it", () => {
    for (const [chain, config] of [[a, configA], [b, configB]] as const) {
      const state = chain.getHead().state.state;
      assert.equal(toHex(state.fork.current_version), toHex(config.GENESIS_FORK_VERSION));
      assert.equal(toHex(chain.genesis.genesisForkVersion), toHex(config.GENESIS_FORK_VERSION));
      assert.equal(state.validators.length, VALIDATORS);
    }
  });

  it("each fork choice applies its own proposer boost", async () => {
    const boosted = async (chain: BeaconChain, slot: number): Promise<{weight: bigint; score: bigint}> => {
      const signed = buildBlock(chain, toHex(chain.getHead().root), slot);
      const {root} = await chain.processBlock(signed, "api");
      const rootHex = toHex(root);
      assert.equal(chain.forkChoice.proposerBoostRoot, rootHex, "a timely block gets the boost root");
      return {weight: chain.forkChoice.getWeight(rootHex), score: chain.forkChoice.getProposerScore()};
    };
    // Early in slot 2 of A (12 s + 100 ms) and slot 1 of B: both blocks are timely.
    time.advanceTo((GENESIS_TIME + 12) * 1000 + 100);
    const onA = await boosted(a, 2);
    const onB = await boosted(b, 1);
    // compute_proposer_score: (64 validators x 32 ETH / SLOTS_PER_EPOCH 8) x 40 / 100.
    const committeeWeight = (BigInt(VALIDATORS) * 32_000_000_000n) / 8n;
    assert.equal(onA.score, (committeeWeight * 40n) / 100n);
    assert.equal(onA.weight, onA.score);
    assert.equal(onB.score, 0n);
    assert.equal(onB.weight, 0n);
  });

  it("each chain signs and verifies under its own domain", async () => {
    const domainA = getDomain(a.getHead().state.state, DOMAIN_BEACON_PROPOSER);
    const domainB = getDomain(b.getHead().state.state, DOMAIN_BEACON_PROPOSER);
    assert.equal(toHex(domainA), toHex(computeDomain(DOMAIN_BEACON_PROPOSER, configA.GENESIS_FORK_VERSION, a.genesis.genesisValidatorsRoot)));
    assert.equal(toHex(domainB), toHex(computeDomain(DOMAIN_BEACON_PROPOSER, configB.GENESIS_FORK_VERSION, b.genesis.genesisValidatorsRoot)));
    assert.notEqual(toHex(domainA), toHex(domainB));

    // B's block signed with A's fork version: B refuses the signature.
    time.advanceTo((GENESIS_TIME + 24) * 1000 + 100);
    const block = buildBlock(b, toHex(b.getHead().root), 2);
    const wrongDomain = computeDomain(DOMAIN_BEACON_PROPOSER, configA.GENESIS_FORK_VERSION, b.genesis.genesisValidatorsRoot);
    const resigned = {
      message: block.message,
      signature: sign(interopSecretKey(block.message.proposer_index), computeSigningRoot(ssz.BeaconBlock, block.message, wrongDomain)),
    };
    await assert.rejects(b.processBlock(resigned, "api"), /signature/i);
  });

  it("each clock counts slots of its own length", () => {
    time.advanceTo((GENESIS_TIME + 60) * 1000);
    assert.equal(a.clock.currentSlot, 10);
    assert.equal(b.clock.currentSlot, 5);
    assert.equal(a.clock.slotStartMs(3), (GENESIS_TIME + 18) * 1000);
    assert.equal(b.clock.slotStartMs(3), (GENESIS_TIME + 36) * 1000);
  });
});
