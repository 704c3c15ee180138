/**
 * The block of the block benchmark (INPUTS.md): on the pre-state at slot 32015, the block at
 * 32016 carrying the 128 newest (slot, committee) attestations, all bits set, each signed with the
 * sum (mod r) of its committee's interop secret keys, so that the aggregate verifies against the
 * aggregate of the members' public keys. Randao reveal and block signature are real, and
 * state_root is the post-state root, found by running the transition once without the root check.
 */
import {CURVE_ORDER, interopSecretKey, interopSecretKeyBytes, secretKeyFromBytes, sign, type SecretKey} from "../../src/crypto/index.ts";
import {ACTIVE_PRESET, createChainConfig, DOMAIN_BEACON_ATTESTER, DOMAIN_BEACON_PROPOSER, DOMAIN_RANDAO, SLOTS_PER_EPOCH} from "../../src/params/index.ts";
import {
  cloneCachedBeaconState,
  computeEpochAtSlot,
  computeSigningRoot,
  createCachedBeaconState,
  getBeaconProposerIndex,
  getDomain,
  processSlots,
  stateTransition,
  type CachedBeaconState,
} from "../../src/state-transition/index.ts";
import {primitive, ssz, type Attestation, type BeaconBlock, type BeaconStateView, type SignedBeaconBlock} from "../../src/types/index.ts";
import {benchAttestationData} from "./attestationData.ts";
import {BenchInputError} from "./errors.ts";
import {fullAggregationBits} from "./pendingAttestations.ts";

export interface BenchBlock {
  block: SignedBeaconBlock;
  postStateRoot: Uint8Array;
}

function bigintFromBytesBE(bytes: Uint8Array): bigint {
  return BigInt("0x" + Buffer.from(bytes).toString("hex"));
}

function bytesBEFromBigint(value: bigint): Uint8Array {
  return Uint8Array.from(Buffer.from(value.toString(16).padStart(64, "0"), "hex"));
}

/** The secret key whose public key is the aggregate of the committee's interop keys. */
export function committeeSecretKey(committee: ArrayLike<number>): SecretKey {
  let sum = 0n;
  for (let i = 0; i < committee.length; i++) sum += bigintFromBytesBE(interopSecretKeyBytes(committee[i]));
  sum %= CURVE_ORDER;
  return secretKeyFromBytes(bytesBEFromBigint(sum));
}

/**
 * The newest `count` (slot, committee) pairs with slot <= `maxSlot` that a block at maxSlot+1 can
 * include (attestation slot within the previous SLOTS_PER_EPOCH slots), ascending.
 */
export function newestCommitteePairs(s: CachedBeaconState, maxSlot: number, count: number): {slot: number; index: number}[] {
  const pairs: {slot: number; index: number}[] = [];
  const lowest = Math.max(0, maxSlot + 1 - SLOTS_PER_EPOCH);
  for (let slot = maxSlot; slot >= lowest && pairs.length < count; slot--) {
    const committees = s.epochCtx.getCommitteeCountPerSlot(computeEpochAtSlot(slot));
    for (let index = committees - 1; index >= 0 && pairs.length < count; index--) pairs.push({slot, index});
  }
  if (pairs.length < count) {
    throw new BenchInputError(
      "BENCH_UNSUPPORTED_INPUT",
      `only ${pairs.length} committees can be included at slot ${maxSlot + 1}; the block needs ${count} (use more validators)`
    );
  }
  return pairs.reverse();
}

function signedAttestations(s: CachedBeaconState, blockSlot: number, count: number): Attestation[] {
  const stateEpoch = computeEpochAtSlot(s.state.slot);
  return newestCommitteePairs(s, blockSlot - 1, count).map(({slot, index}) => {
    const committee = s.epochCtx.getBeaconCommittee(slot, index);
    const data = benchAttestationData(slot, index, stateEpoch);
    const domain = getDomain(s.state, DOMAIN_BEACON_ATTESTER, data.target.epoch);
    const signature = sign(committeeSecretKey(committee), computeSigningRoot(ssz.AttestationData, data, domain));
    return {aggregation_bits: fullAggregationBits(committee.length), data, signature};
  });
}

/** Builds, signs and self-checks (full transition with every verification) the benchmark block. */
export function buildBenchBlock(pre: BeaconStateView, blockSlot: number, attestationCount: number): BenchBlock {
  const cachedPre = createCachedBeaconState(pre, createChainConfig(ACTIVE_PRESET));
  const attestations = signedAttestations(cachedPre, blockSlot, attestationCount);

  const atSlot = cloneCachedBeaconState(cachedPre);
  processSlots(atSlot, blockSlot);
  const proposerIndex = getBeaconProposerIndex(atSlot);
  const proposerKey = interopSecretKey(proposerIndex);
  const epoch = computeEpochAtSlot(blockSlot);
  const randaoReveal = sign(proposerKey, computeSigningRoot(primitive.Epoch, epoch, getDomain(atSlot.state, DOMAIN_RANDAO)));

  const block: BeaconBlock = {
    slot: blockSlot,
    proposer_index: proposerIndex,
    parent_root: atSlot.state.latest_block_header.hashTreeRoot(),
    state_root: new Uint8Array(32),
    body: {
      randao_reveal: randaoReveal,
      eth1_data: ssz.Eth1Data.toValueFromViewDU(pre.eth1_data),
      graffiti: new Uint8Array(32),
      proposer_slashings: [],
      attester_slashings: [],
      attestations,
      deposits: [],
      voluntary_exits: [],
    },
  };
  const unsigned = {message: block, signature: new Uint8Array(96)};
  const trial = stateTransition(cachedPre, unsigned, {verifyStateRoot: false, verifyProposer: false, verifySignatures: false});
  const postStateRoot = trial.state.hashTreeRoot();
  block.state_root = postStateRoot;
  const signature = sign(proposerKey, computeSigningRoot(ssz.BeaconBlock, block, getDomain(atSlot.state, DOMAIN_BEACON_PROPOSER)));
  const signed: SignedBeaconBlock = {message: block, signature};

  // The block must pass the real thing: every signature and the state root.
  stateTransition(cachedPre, signed, {verifyStateRoot: true, verifyProposer: true, verifySignatures: true});
  return {block: signed, postStateRoot};
}
