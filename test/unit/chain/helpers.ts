/**
 * Test helpers for the chain: an interop genesis, a chain on a temporary database with a fake
 * clock, and in-process validators that perform every duty through the chain's API methods
 * (the same calls the REST API makes), signing with the interop keys.
 */
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {BitArray} from "@chainsafe/ssz";
import {FakeTime} from "../../../src/clock/index.ts";
import {interopSecretKey, sign, type AsyncSignatureVerifier, type SecretKey} from "../../../src/crypto/index.ts";
import {BeaconDb} from "../../../src/db/index.ts";
import {openChain, type BeaconChain} from "../../../src/chain/index.ts";
import type {GossipSinkOptions} from "../../../src/chain/gossip/sink.ts";
import type {Logger} from "../../../src/util/logger.ts";
import {isAggregator} from "../../../src/chain/validation/aggregateAndProof.ts";
import {computeSubnetForAttestation} from "../../../src/chain/validation/subnet.ts";
import {interopDeposits} from "../../../src/node/genesis/interopDeposits.ts";
import {
  createChainConfig,
  DOMAIN_AGGREGATE_AND_PROOF,
  DOMAIN_BEACON_ATTESTER,
  DOMAIN_BEACON_PROPOSER,
  DOMAIN_RANDAO,
  DOMAIN_SELECTION_PROOF,
  SLOTS_PER_EPOCH,
  useNetwork,
  type ChainConfig,
} from "../../../src/params/index.ts";
import {
  cloneCachedBeaconState,
  computeDomain,
  computeEpochAtSlot,
  computeSigningRoot,
  initializeBeaconStateFromEth1,
  processBlock,
} from "../../../src/state-transition/index.ts";
import {
  primitive,
  ssz,
  type Attestation,
  type BeaconBlock,
  type BeaconBlockBody,
  type BeaconStateView, type SignedAggregateAndProof, type SignedBeaconBlock} from "../../../src/types/index.ts";

export const GENESIS_TIME = 1_700_000_000;

function devOverrides(secondsPerSlot: number, extra: Record<string, string>): Record<string, string> {
  const overrides: Record<string, string> = {SECONDS_PER_SLOT: String(secondsPerSlot), ...extra};
  for (const key of ["ALTAIR", "BELLATRIX", "CAPELLA", "DENEB", "ELECTRA", "FULU", "GLOAS"]) {
    overrides[`${key}_FORK_EPOCH`] = "18446744073709551615";
  }
  return overrides;
}

/** The minimal-preset config of the test chains (phase0 only), without selecting anything. */
export function devConfig(secondsPerSlot = 6, extra: Record<string, string> = {}): ChainConfig {
  return createChainConfig("minimal", devOverrides(secondsPerSlot, extra));
}

/** Selects the minimal preset for the process and returns the test chains' config. */
export function useDevNetwork(secondsPerSlot = 6, extra: Record<string, string> = {}): ChainConfig {
  return useNetwork("minimal", devOverrides(secondsPerSlot, extra));
}

const genesisCache = new Map<number, Uint8Array>();

/** An interop genesis state of `n` validators (built once per n, then copied). */
export function interopGenesis(n: number, genesisTime = GENESIS_TIME): BeaconStateView {
  let bytes = genesisCache.get(n);
  if (bytes === undefined) {
    const config = devConfig();
    const {deposits} = interopDeposits(config, n);
    const s = initializeBeaconStateFromEth1(config, new Uint8Array(32).fill(0x42), 2 ** 40, deposits);
    bytes = s.state.serialize();
    genesisCache.set(n, bytes);
  }
  const state = ssz.BeaconState.deserializeToViewDU(bytes);
  state.genesis_time = genesisTime;
  state.commit();
  return state;
}

export interface TestChain {
  chain: BeaconChain;
  db: BeaconDb;
  time: FakeTime;
  dir: string;
  close(opts?: {keepDir?: boolean}): Promise<void>;
}

export async function openTestChain(
  opts: {
    validators?: number;
    dir?: string;
    time?: FakeTime;
    blsVerifier?: AsyncSignatureVerifier;
    gossip?: GossipSinkOptions;
    logger?: Logger;
    /** The chain's config (default devConfig()). */
    config?: ChainConfig;
  } = {}
): Promise<TestChain> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), "gnomon-chain-"));
  const db = await BeaconDb.open(dir);
  const time = opts.time ?? new FakeTime(GENESIS_TIME * 1000);
  const {chain} = await openChain({
    db,
    genesisState: () => interopGenesis(opts.validators ?? 64),
    network: {preset: "minimal", configOverrides: {}},
    config: opts.config ?? devConfig(),
    time,
    blsVerifier: opts.blsVerifier,
    gossip: opts.gossip,
    logger: opts.logger,
  });
  return {
    chain,
    db,
    time,
    dir,
    async close(closeOpts = {}) {
      await chain.stop();
      await db.close();
      if (!closeOpts.keepDir) rmSync(dir, {recursive: true, force: true});
    },
  };
}

/** Interop validators 0..n-1 doing their duties through the chain's API methods. */
export class InProcessValidators {
  private readonly chain: BeaconChain;
  private readonly keys: SecretKey[];
  /** Attestation data signed per validator and target epoch (a real client's slashing protection in miniature). */
  readonly signed = new Map<string, Uint8Array>();
  errors: string[] = [];

  constructor(chain: BeaconChain, n: number) {
    this.chain = chain;
    this.keys = Array.from({length: n}, (_, i) => interopSecretKey(i));
  }

  private domain(type: Uint8Array): Uint8Array {
    return computeDomain(type, this.chain.config.GENESIS_FORK_VERSION, this.chain.genesis.genesisValidatorsRoot);
  }

  async propose(slot: number): Promise<SignedBeaconBlock | null> {
    const epoch = computeEpochAtSlot(slot);
    const duties = await this.chain.getProposerDuties(epoch);
    const duty = duties.duties.find((d) => d.slot === slot);
    if (duty === undefined || duty.validatorIndex >= this.keys.length) return null;
    const sk = this.keys[duty.validatorIndex];
    const reveal = sign(sk, computeSigningRoot(primitive.Uint64, epoch, this.domain(DOMAIN_RANDAO)));
    const {block} = await this.chain.produceBlock(slot, reveal, new Uint8Array(32));
    const signature = sign(sk, computeSigningRoot(ssz.BeaconBlock, block, this.domain(DOMAIN_BEACON_PROPOSER)));
    const signed = {message: block, signature};
    await this.chain.processBlock(signed, "api");
    return signed;
  }

  /** Every validator with a duty at `slot` attests; returns the attestations submitted. */
  async attest(slot: number): Promise<Attestation[]> {
    const epoch = computeEpochAtSlot(slot);
    const {duties} = await this.chain.getAttesterDuties(epoch, this.keys.map((_, i) => i));
    const out: Attestation[] = [];
    for (const duty of duties.filter((d) => d.slot === slot)) {
      const data = await this.chain.produceAttestationData(slot, duty.committeeIndex);
      const signingRoot = computeSigningRoot(ssz.AttestationData, data, this.domain(DOMAIN_BEACON_ATTESTER));
      const bits = BitArray.fromSingleBit(duty.committeeLength, duty.validatorCommitteeIndex);
      out.push({aggregation_bits: bits, data, signature: sign(this.keys[duty.validatorIndex], signingRoot)});
      this.signed.set(`${duty.validatorIndex}:${data.target.epoch}`, ssz.AttestationData.hashTreeRoot(data));
    }
    const failures = await this.chain.submitAttestations(out);
    for (const f of failures) this.errors.push(`attestation ${f.index} at slot ${slot}: ${f.code} ${f.message}`);
    return out;
  }

  /** Aggregators of `slot` publish the pool's aggregate of their committee. */
  async aggregate(slot: number): Promise<SignedAggregateAndProof[]> {
    const out = await this.buildAggregates(slot);
    const failures = await this.chain.submitAggregateAndProofs(out);
    for (const f of failures) this.errors.push(`aggregate ${f.index} at slot ${slot}: ${f.code} ${f.message}`);
    return out;
  }

  /** The signed aggregates the aggregators of `slot` would publish (the pool's aggregate of their committee). */
  async buildAggregates(slot: number): Promise<SignedAggregateAndProof[]> {
    const epoch = computeEpochAtSlot(slot);
    const {duties} = await this.chain.getAttesterDuties(epoch, this.keys.map((_, i) => i));
    const out: SignedAggregateAndProof[] = [];
    for (const duty of duties.filter((d) => d.slot === slot)) {
      const sk = this.keys[duty.validatorIndex];
      const selectionProof = sign(sk, computeSigningRoot(primitive.Uint64, slot, this.domain(DOMAIN_SELECTION_PROOF)));
      if (!isAggregator(duty.committeeLength, selectionProof)) continue;
      const data = await this.chain.produceAttestationData(slot, duty.committeeIndex);
      const aggregate = this.chain.getAggregateAttestation(slot, ssz.AttestationData.hashTreeRoot(data));
      if (aggregate === null) continue;
      const message = {aggregator_index: duty.validatorIndex, aggregate, selection_proof: selectionProof};
      const signature = sign(sk, computeSigningRoot(ssz.AggregateAndProof, message, this.domain(DOMAIN_AGGREGATE_AND_PROOF)));
      out.push({message, signature});
    }
    return out;
  }
}

/**
 * Runs the chain's clock (FakeTime) slot by slot from the current slot to `toSlot`, with the
 * validators proposing at each slot start, attesting at 1/3 and aggregating at 2/3.
 */
export async function runSlots(t: TestChain, validators: InProcessValidators, toSlot: number, opts: {skipProposals?: Set<number>} = {}): Promise<void> {
  const {chain, time} = t;
  const slotMs = chain.config.SLOT_DURATION_MS;
  for (let slot = chain.clock.currentSlot + 1; slot <= toSlot; slot++) {
    time.advance(chain.clock.slotStartMs(slot) - time.now());
    await chain.lock.run(async () => undefined);
    if (!opts.skipProposals?.has(slot)) await validators.propose(slot);
    time.advance(Math.floor(slotMs / 3));
    await chain.lock.run(async () => undefined);
    await validators.attest(slot);
    time.advance(Math.floor(slotMs / 3));
    await chain.lock.run(async () => undefined);
    await validators.aggregate(slot);
  }
}

export function slotsOfEpochs(epochs: number): number {
  return epochs * SLOTS_PER_EPOCH;
}

/**
 * A signed block at `slot` on any known parent (not only the head), with the given attestations
 * and operations: what another node could publish. `mutate` may spoil it before signing.
 */
export function buildBlock(
  chain: BeaconChain,
  parentRootHex: string,
  slot: number,
  opts: {body?: Partial<BeaconBlockBody>; mutate?: (b: BeaconBlock) => void} = {}
): SignedBeaconBlock {
  const pre = chain.regen.getStateAtSlot(parentRootHex, slot);
  const proposer = pre.epochCtx.getBeaconProposer(slot);
  const sk = interopSecretKey(proposer);
  const domain = (type: Uint8Array): Uint8Array => computeDomain(type, chain.config.GENESIS_FORK_VERSION, chain.genesis.genesisValidatorsRoot);
  const body = ssz.BeaconBlockBody.defaultValue();
  Object.assign(body, opts.body ?? {});
  body.randao_reveal = sign(sk, computeSigningRoot(primitive.Uint64, computeEpochAtSlot(slot), domain(DOMAIN_RANDAO)));
  body.eth1_data = pre.state.eth1_data.toValue();
  const block: BeaconBlock = {slot, proposer_index: proposer, parent_root: fromHexRoot(parentRootHex), state_root: new Uint8Array(32), body};
  const post = cloneCachedBeaconState(pre);
  processBlock(post, block, {verifySignatures: false});
  block.state_root = post.state.hashTreeRoot();
  opts.mutate?.(block);
  return {message: block, signature: sign(sk, computeSigningRoot(ssz.BeaconBlock, block, domain(DOMAIN_BEACON_PROPOSER)))};
}

function fromHexRoot(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.slice(2), "hex"));
}

/** Moves the fake clock to `ms` into `slot` and lets the chain's clock handlers run. */
export async function advanceTo(t: TestChain, slot: number, ms = 0): Promise<void> {
  const target = t.chain.clock.slotStartMs(slot) + ms;
  if (target > t.time.now()) t.time.advance(target - t.time.now());
  await t.chain.lock.run(async () => undefined);
}

/**
 * One unaggregated attestation per member of every committee of `slot`, voting for the head, each
 * with the subnet it belongs on: what the validators' gossip on the subnets carries.
 */
export async function buildGossipAttestations(chain: BeaconChain, slot: number): Promise<{attestation: Attestation; subnet: number}[]> {
  const head = chain.getHead().state;
  const epoch = computeEpochAtSlot(slot);
  const perSlot = head.epochCtx.getCommitteeCountPerSlot(epoch);
  const domain = computeDomain(DOMAIN_BEACON_ATTESTER, chain.config.GENESIS_FORK_VERSION, chain.genesis.genesisValidatorsRoot);
  const out: {attestation: Attestation; subnet: number}[] = [];
  for (let index = 0; index < perSlot; index++) {
    const data = await chain.produceAttestationData(slot, index);
    const signingRoot = computeSigningRoot(ssz.AttestationData, data, domain);
    const committee = head.epochCtx.getBeaconCommittee(slot, index);
    committee.forEach((validatorIndex, position) => {
      const attestation = {aggregation_bits: BitArray.fromSingleBit(committee.length, position), data, signature: sign(interopSecretKey(validatorIndex), signingRoot)};
      out.push({attestation, subnet: computeSubnetForAttestation(chain.config, perSlot, slot, index)});
    });
  }
  return out;
}
