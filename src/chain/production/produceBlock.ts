/**
 * validator.md block proposal: an unsigned block for `slot` on the current head. The randao
 * reveal is checked against the slot's proposer, operations come from the pools (each re-checked
 * against the block's pre-state with the state transition's own functions, in order, so they
 * cannot conflict), and the state root is that of the post-state.
 *
 * With an eth1 follower (chain.eth1) the block carries get_eth1_vote and the deposits that are
 * due; without one it re-votes the state's current eth1_data and includes no deposits (valid
 * while the state has no pending deposits, as with interop genesis).
 */
import {verifySignatureSet} from "../../crypto/index.ts";
import {
  MAX_ATTESTER_SLASHINGS,
  MAX_PROPOSER_SLASHINGS,
  MAX_VOLUNTARY_EXITS,
  WHISTLEBLOWER_REWARD_QUOTIENT,
} from "../../params/index.ts";
import {
  cloneCachedBeaconState,
  getRandaoRevealSignatureSet,
  processAttesterSlashing,
  processBlock,
  processProposerSlashing,
  processVoluntaryExit,
  StateTransitionError,
  type CachedBeaconState,
} from "../../state-transition/index.ts";
import {ssz, type BeaconBlock, type BeaconBlockBody} from "../../types/index.ts";
import {bytesEqual, fromHex} from "../../util/bytes.ts";
import type {BeaconChain} from "../chain.ts";
import {ChainRequestError, ChainRequestErrorCode} from "../errors.ts";
import type {ProduceBlockOptions, ProducedBlock} from "../interface.ts";
import {packAttestations} from "./packAttestations.ts";
import {votedUnderShufflingOf} from "../shuffling.ts";
import {eth1VoteAndDeposits} from "./eth1Vote.ts";

const INFINITY_SIGNATURE = (() => {
  const sig = new Uint8Array(96);
  sig[0] = 0xc0;
  return sig;
})();

export function produceBlock(
  chain: BeaconChain,
  slot: number,
  randaoReveal: Uint8Array,
  graffiti: Uint8Array,
  opts: ProduceBlockOptions
): ProducedBlock {
  const head = chain.getHead();
  if (slot <= head.slot) {
    throw new ChainRequestError(ChainRequestErrorCode.OUT_OF_RANGE, `slot ${slot} is not after the head block's slot ${head.slot}`);
  }
  const current = chain.clock.currentSlot;
  if (slot > current + 1) {
    throw new ChainRequestError(ChainRequestErrorCode.OUT_OF_RANGE, `slot ${slot} is too far ahead of the current slot ${current}`);
  }
  const pre = chain.regen.getStateAtSlot(chain.headRoot, slot);
  const proposerIndex = pre.epochCtx.getBeaconProposer(slot);

  const body: BeaconBlockBody = ssz.BeaconBlockBody.defaultValue();
  body.randao_reveal = randaoReveal;
  body.graffiti = graffiti;
  body.eth1_data = pre.state.eth1_data.toValue();
  if (chain.eth1 !== null) {
    const {eth1Data, deposits} = eth1VoteAndDeposits(chain.config, pre.state, chain.eth1);
    if (deposits === null) {
      throw new ChainRequestError(
        ChainRequestErrorCode.NOT_READY,
        `the state awaits deposits ${pre.state.eth1_deposit_index}.. of ${pre.state.eth1_data.deposit_count} that the eth1 follower does not hold yet`
      );
    }
    body.eth1_data = eth1Data;
    body.deposits = deposits;
  }
  if (opts.skipRandaoVerification) {
    if (!bytesEqual(randaoReveal, INFINITY_SIGNATURE)) {
      throw new ChainRequestError(ChainRequestErrorCode.INVALID, "with skip_randao_verification the randao reveal must be the point at infinity");
    }
  } else if (!verifySignatureSet(getRandaoRevealSignatureSet(pre, body))) {
    throw new ChainRequestError(ChainRequestErrorCode.INVALID, `randao reveal is not a valid signature of proposer ${proposerIndex} for slot ${slot}`);
  }

  const packed = packAttestations(pre, chain.attestationPool, votedUnderShufflingOf(chain.forkChoice, pre.state, chain.headRoot));
  body.attestations = packed.attestations;
  const whistleblowerGwei = selectOperations(chain, pre, body);

  const block: BeaconBlock = {
    slot,
    proposer_index: proposerIndex,
    parent_root: fromHex(chain.headRoot),
    state_root: new Uint8Array(32),
    body,
  };
  const post = cloneCachedBeaconState(pre);
  try {
    processBlock(post, block, {verifySignatures: false});
  } catch (e) {
    if (e instanceof StateTransitionError) {
      throw new ChainRequestError(ChainRequestErrorCode.INVALID, `produced block does not apply: ${e.code}: ${e.message}`, {cause: e});
    }
    throw e;
  }
  block.state_root = post.state.hashTreeRoot();
  return {block, consensusBlockValueGwei: packed.proposerRewardGwei + whistleblowerGwei};
}

/**
 * Slashings and exits that still apply to the pre-state, each tried on a scratch state after the
 * ones already picked. Returns the whistleblower (here: proposer) rewards of the slashings, Gwei.
 */
function selectOperations(chain: BeaconChain, pre: CachedBeaconState, body: BeaconBlockBody): bigint {
  const scratch = cloneCachedBeaconState(pre);
  const state = scratch.state;
  let reward = 0n;
  const tryApply = (fn: () => void): boolean => {
    try {
      fn();
      return true;
    } catch (e) {
      if (e instanceof StateTransitionError) return false;
      throw e;
    }
  };
  const slashingReward = (indices: number[]): bigint => {
    let r = 0n;
    for (const i of indices) r += BigInt(Math.floor(state.validators.getReadonly(i).effective_balance / WHISTLEBLOWER_REWARD_QUOTIENT));
    return r;
  };

  for (const s of chain.opPool.getProposerSlashings()) {
    if (body.proposer_slashings.length >= MAX_PROPOSER_SLASHINGS) break;
    const index = s.signed_header_1.message.proposer_index;
    if (tryApply(() => processProposerSlashing(scratch, s, {verifySignatures: false}))) {
      body.proposer_slashings.push(s);
      reward += slashingReward([index]);
    }
  }
  for (const {slashing, indices} of chain.opPool.getAttesterSlashingEntries()) {
    if (body.attester_slashings.length >= MAX_ATTESTER_SLASHINGS) break;
    const before = indices.filter((i) => !state.validators.getReadonly(i).slashed);
    if (tryApply(() => processAttesterSlashing(scratch, slashing, {verifySignatures: false}))) {
      body.attester_slashings.push(slashing);
      reward += slashingReward(before);
    }
  }
  for (const exit of chain.opPool.getVoluntaryExits()) {
    if (body.voluntary_exits.length >= MAX_VOLUNTARY_EXITS) break;
    if (tryApply(() => processVoluntaryExit(scratch, exit, {verifySignatures: false}))) body.voluntary_exits.push(exit);
  }
  return reward;
}

