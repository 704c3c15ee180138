/**
 * Which of the group's validators propose or attest at a slot, on a given branch, and the votes
 * they cast there. A branch is a block root with a state of its chain in the vote's epoch: the
 * chain's own caches for a block the node knows, or the group's private post-state for a block
 * nobody else has seen. Committees come from that state, as the receivers' validation takes
 * them from the target checkpoint state of the same branch.
 */
import {computeSubnetForAttestation} from "../../chain/validation/subnet.ts";
import type {BeaconChain} from "../../chain/index.ts";
import {
  cloneCachedBeaconState,
  computeEpochAtSlot,
  computeStartSlotAtEpoch,
  getBlockRootAtSlot,
  processSlots,
  type CachedBeaconState,
} from "../../state-transition/index.ts";
import type {Attestation, AttestationData} from "../../types/index.ts";
import {fromHex} from "../../util/bytes.ts";
import type {AdversaryContext} from "../types.ts";
import {signAttestation} from "./signing.ts";

/** A branch to vote on: its tip and a state of the tip's chain in the vote's epoch (read only). */
export interface VoteBase {
  rootHex: string;
  blockSlot: number;
  state: CachedBeaconState;
}

export function baseOnChain(chain: BeaconChain, rootHex: string, slot: number): VoteBase {
  // The state a block at `slot` on `rootHex` would start from has that slot's epoch's committees.
  return {rootHex, blockSlot: chain.forkChoice.requireBlock(rootHex).slot, state: chain.regen.getPreState(rootHex, slot)};
}

/** A branch whose tip only the group knows: its post-state, advanced to the vote's epoch if needed. */
export function basePrivate(post: CachedBeaconState, rootHex: string, blockSlot: number, slot: number): VoteBase {
  const epoch = computeEpochAtSlot(slot);
  if (computeEpochAtSlot(blockSlot) >= epoch) return {rootHex, blockSlot, state: post};
  const state = cloneCachedBeaconState(post);
  processSlots(state, computeStartSlotAtEpoch(epoch));
  return {rootHex, blockSlot, state};
}

/** validator.md attestation data for a vote on `base` at `slot`. */
export function attestationData(base: VoteBase, slot: number, index: number): AttestationData {
  const epoch = computeEpochAtSlot(slot);
  const startSlot = computeStartSlotAtEpoch(epoch);
  const root = fromHex(base.rootHex);
  const source = base.state.state.current_justified_checkpoint;
  return {
    slot,
    index,
    beacon_block_root: root,
    source: {epoch: source.epoch, root: source.root},
    target: {epoch, root: base.blockSlot <= startSlot ? root : getBlockRootAtSlot(base.state.state, startSlot)},
  };
}

export interface AttesterDuty {
  validator: number;
  committeeIndex: number;
  committeeLength: number;
  position: number;
  subnet: number;
}

/** The group's members in the committees of `slot`, by the shuffling `state` holds for its epoch. */
export function groupAttesters(ctx: Pick<AdversaryContext, "validators">, state: CachedBeaconState, slot: number): AttesterDuty[] {
  const members = new Set(ctx.validators);
  const perSlot = state.epochCtx.getCommitteeCountPerSlot(computeEpochAtSlot(slot));
  const out: AttesterDuty[] = [];
  for (let committeeIndex = 0; committeeIndex < perSlot; committeeIndex++) {
    const committee = state.epochCtx.getBeaconCommittee(slot, committeeIndex);
    const subnet = computeSubnetForAttestation(state.epochCtx.config, perSlot, slot, committeeIndex);
    committee.forEach((validator, position) => {
      if (members.has(validator)) out.push({validator, committeeIndex, committeeLength: committee.length, position, subnet});
    });
  }
  return out;
}

/** The group's validator that proposes at `slot` on the branch of `parentRootHex`, or null. */
export function groupProposer(ctx: Pick<AdversaryContext, "validators" | "chain">, parentRootHex: string, slot: number): number | null {
  // Read only: the proposers are the epoch's, no copy advanced to the slot is needed.
  const proposer = ctx.chain.regen.getPreState(parentRootHex, slot).epochCtx.getBeaconProposer(slot);
  return ctx.validators.includes(proposer) ? proposer : null;
}

/** The group's proposer at `slot` on a private branch (its post-state, not advanced). */
export function groupProposerPrivate(ctx: Pick<AdversaryContext, "validators">, post: CachedBeaconState, slot: number): number | null {
  let state = post;
  if (computeEpochAtSlot(post.state.slot) < computeEpochAtSlot(slot)) {
    state = cloneCachedBeaconState(post);
    processSlots(state, computeStartSlotAtEpoch(computeEpochAtSlot(slot)));
  }
  const proposer = state.epochCtx.getBeaconProposer(slot);
  return ctx.validators.includes(proposer) ? proposer : null;
}

export interface Vote {
  validator: number;
  slot: number;
  data: AttestationData;
  attestation: Attestation;
  subnet: number;
}

/**
 * Every group member with a duty at `slot` votes for `base`; `include` picks the members that
 * sign now (called in committee order, just before each one signs), `edit` may change a
 * member's data before it is signed (a surround vote's older source).
 */
export function castVotes(
  ctx: Pick<AdversaryContext, "validators" | "chain" | "secretKeys">,
  slot: number,
  base: VoteBase,
  opts: {edit?: (data: AttestationData, validator: number) => AttestationData; include?: (validator: number) => boolean} = {}
): Vote[] {
  const byCommittee = new Map<number, AttestationData>();
  const out: Vote[] = [];
  for (const duty of groupAttesters(ctx, base.state, slot)) {
    if (opts.include !== undefined && !opts.include(duty.validator)) continue;
    let data = byCommittee.get(duty.committeeIndex);
    if (data === undefined) byCommittee.set(duty.committeeIndex, (data = attestationData(base, slot, duty.committeeIndex)));
    const own = opts.edit === undefined ? data : opts.edit(data, duty.validator);
    const attestation = signAttestation(ctx, duty.validator, own, duty.committeeLength, duty.position);
    out.push({validator: duty.validator, slot, data: own, attestation, subnet: duty.subnet});
  }
  return out;
}
