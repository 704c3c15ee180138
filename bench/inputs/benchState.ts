/**
 * The complete benchmark pre-state of INPUTS.md at a slot: the base state plus its pending
 * attestations, whose committees and proposers come from the state transition's EpochContext.
 */
import {
  computeEpochAtSlot,
  computeStartSlotAtEpoch,
  createCachedBeaconState,
  getBeaconProposerIndex,
  type EpochContext,
} from "../../src/state-transition/index.ts";
import {ACTIVE_PRESET, createChainConfig} from "../../src/params/index.ts";
import type {BeaconStateView} from "../../src/types/index.ts";
import {buildBaseState} from "./baseState.ts";
import {setPendingAttestations} from "./pendingAttestations.ts";

/**
 * get_beacon_proposer_index as of any slot of the state's previous or current epoch: the state
 * moved to that slot, with the context of that slot's epoch. Moving the slot back is faithful for
 * these inputs: the active set and effective balances are the same in every epoch, and the
 * proposer seed depends only on the epoch, the slot and the randao mixes.
 */
export function proposerLookup(state: BeaconStateView, epochCtx: EpochContext): (slot: number) => number {
  const epoch = computeEpochAtSlot(state.slot);
  const moved = state.clone();
  let previousCtx: EpochContext | null = null;
  return (slot) => {
    const at = computeEpochAtSlot(slot);
    if (at !== epoch && at !== epoch - 1) {
      throw new RangeError(`proposer lookup: slot ${slot} is outside epochs ${epoch - 1}..${epoch}`);
    }
    if (at !== epoch && previousCtx === null) {
      moved.slot = computeStartSlotAtEpoch(epoch - 1);
      previousCtx = createCachedBeaconState(moved, epochCtx.config, {pubkeyCache: epochCtx.pubkeyCache}).epochCtx;
    }
    moved.slot = slot;
    return getBeaconProposerIndex({state: moved, epochCtx: at === epoch ? epochCtx : (previousCtx as EpochContext)});
  };
}

/** `pubkeys`: at least `count` interop keys, 48 bytes each. */
export function buildBenchState(count: number, slot: number, pubkeys: Uint8Array): BeaconStateView {
  const state = buildBaseState(count, slot, pubkeys);
  const {epochCtx} = createCachedBeaconState(state, createChainConfig(ACTIVE_PRESET));
  setPendingAttestations(state, epochCtx, proposerLookup(state, epochCtx));
  return state;
}
