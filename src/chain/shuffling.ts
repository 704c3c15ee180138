/**
 * Which attester shuffling a vote was cast under. A committee's members are fixed by the block
 * at the shuffling's decision slot (the last slot before the epoch's seed lookahead); a vote on a
 * branch that forked before that slot has bits naming other validators than the same bits in
 * another branch's state, and its signature means nothing there.
 */
import {computeShufflingDependentSlot, type ForkChoice} from "../fork-choice/index.ts";
import {getBlockRootAtSlot} from "../state-transition/index.ts";
import type {BeaconStateView} from "../types/index.ts";
import {toHex} from "../util/bytes.ts";

/** The block that decided `state`'s shuffling for `epoch`: its block at the decision slot, or its latest block (`parentRootHex`) when it has not passed that slot. */
function shufflingDecisionRoot(state: BeaconStateView, parentRootHex: string, epoch: number): string {
  const slot = computeShufflingDependentSlot(epoch);
  return slot < state.slot ? toHex(getBlockRootAtSlot(state, slot)) : parentRootHex;
}

/**
 * Whether a vote for a block was cast under the shuffling `state` has for the vote's target
 * epoch (its decision root computed once per epoch asked about).
 */
export function votedUnderShufflingOf(fc: ForkChoice, state: BeaconStateView, parentRootHex: string): (votedRootHex: string, epoch: number) => boolean {
  const decisionRoots = new Map<number, string>();
  return (votedRootHex, epoch) => {
    let decisionRootHex = decisionRoots.get(epoch);
    if (decisionRootHex === undefined) decisionRoots.set(epoch, (decisionRootHex = shufflingDecisionRoot(state, parentRootHex, epoch)));
    return sameShufflingInForkChoice(fc, votedRootHex, epoch, decisionRootHex);
  };
}

/**
 * Whether a vote for `votedRootHex` was cast under the shuffling `decisionRootHex` decided. Below
 * the finalized block every block in fork choice has one history (and pruned ancestors are gone),
 * so a decision slot before it always matches. An unknown voted block matches nothing.
 */
function sameShufflingInForkChoice(fc: ForkChoice, votedRootHex: string, epoch: number, decisionRootHex: string): boolean {
  if (!fc.hasBlock(votedRootHex)) return false;
  const finalized = fc.getBlock(fc.finalizedCheckpoint.root);
  if (finalized !== undefined && computeShufflingDependentSlot(epoch) < finalized.slot) return true;
  return fc.getShufflingDependentRoot(votedRootHex, epoch) === decisionRootHex;
}
