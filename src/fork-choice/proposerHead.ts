/**
 * fork-choice.md "Proposer head and reorg helpers": whether a proposer may build on the parent
 * of a late, weakly supported head instead of on the head itself.
 */
import {computeEpochAtSlot} from "../state-transition/index.ts";
import {ForkChoiceError, ForkChoiceErrorCode} from "./errors.ts";
import type {ForkChoice} from "./forkChoice.ts";
import type {RootHex} from "./protoArray/interface.ts";
import {getProposerReorgCutoffMs, isNotEpochBoundary, millisecondsIntoSlot} from "./time.ts";

export function isHeadLate(fc: ForkChoice, headRoot: RootHex): boolean {
  const timely = fc.requireBlock(headRoot).timely;
  if (timely === null) {
    throw new ForkChoiceError(ForkChoiceErrorCode.UNKNOWN_BLOCK, `no timeliness is recorded for ${headRoot}`);
  }
  return !timely;
}

export function isFfgCompetitive(fc: ForkChoice, headRoot: RootHex, parentRoot: RootHex): boolean {
  const h = fc.requireBlock(headRoot);
  const p = fc.requireBlock(parentRoot);
  return h.unrealizedJustifiedEpoch === p.unrealizedJustifiedEpoch && h.unrealizedJustifiedRoot === p.unrealizedJustifiedRoot;
}

export function isFinalizationOk(fc: ForkChoice, slot: number): boolean {
  const epochsSinceFinalization = computeEpochAtSlot(slot) - fc.finalizedCheckpoint.epoch;
  return epochsSinceFinalization <= fc.config.REORG_MAX_EPOCHS_SINCE_FINALIZATION;
}

export function isProposingOnTime(fc: ForkChoice): boolean {
  return millisecondsIntoSlot(fc.config, fc.time - fc.genesisTime) <= getProposerReorgCutoffMs(fc.config);
}

/**
 * is_head_weak, given the effective balance (Gwei, read from the justified checkpoint state) of
 * the head slot's committee members that are in the equivocation set: only a state can tell.
 */
export function isHeadWeak(fc: ForkChoice, headRoot: RootHex, equivocatingCommitteeBalance: bigint): boolean {
  const reorgThreshold = fc.calculateCommitteeFraction(fc.config.REORG_HEAD_WEIGHT_THRESHOLD);
  const headWeight = fc.getAttestationScore(headRoot) + equivocatingCommitteeBalance;
  return headWeight < reorgThreshold;
}

export function isParentStrong(fc: ForkChoice, root: RootHex): boolean {
  const parentThreshold = fc.calculateCommitteeFraction(fc.config.REORG_PARENT_WEIGHT_THRESHOLD);
  const parentWeight = fc.getAttestationScore(fc.requireBlock(root).parentRoot);
  return parentWeight > parentThreshold;
}

/** Two known blocks of the same slot and proposer (a scan of the tree: once per proposal). */
export function isProposerEquivocation(fc: ForkChoice, root: RootHex): boolean {
  const block = fc.requireBlock(root);
  let matching = 0;
  for (let i = 0; i < fc.protoArray.length; i++) {
    const b = fc.protoArray.blockAt(i);
    if (b.proposerIndex === block.proposerIndex && b.slot === block.slot) matching++;
  }
  return matching > 1;
}

/**
 * get_proposer_head. `equivocatingCommitteeBalance(headRoot)` supplies is_head_weak's
 * state-dependent term (see isHeadWeak). Every condition is evaluated, as in the spec, so the
 * spec's assertion on the proposer boost fails the call whatever the other conditions say.
 */
export function getProposerHead(
  fc: ForkChoice,
  headRoot: RootHex,
  slot: number,
  equivocatingCommitteeBalance: (headRoot: RootHex) => bigint
): RootHex {
  const headBlock = fc.requireBlock(headRoot);
  const parentRoot = headBlock.parentRoot;
  const parentBlock = fc.requireBlock(parentRoot);

  // Only re-org the head block if it arrived later than the attestation deadline.
  const headLate = isHeadLate(fc, headRoot);
  // Do not re-org on an epoch boundary.
  const notEpochBoundary = isNotEpochBoundary(slot);
  // The FFG information of the new head must be competitive with the current head's.
  const ffgCompetitive = isFfgCompetitive(fc, headRoot, parentRoot);
  // Do not re-org if the chain is not finalizing with acceptable frequency.
  const finalizationOk = isFinalizationOk(fc, slot);
  // Only re-org if we are proposing on time.
  const proposingOnTime = isProposingOnTime(fc);
  // Only re-org a single slot at most.
  const parentSlotOk = parentBlock.slot + 1 === headBlock.slot;
  const currentTimeOk = headBlock.slot + 1 === slot;
  const singleSlotReorg = parentSlotOk && currentTimeOk;

  if (fc.proposerBoostRoot === headRoot) {
    throw new ForkChoiceError(ForkChoiceErrorCode.PROPOSER_BOOST_NOT_WORN_OFF, `proposer boost still applies to head ${headRoot}`);
  }
  // The head has few enough votes to be overpowered by our proposer boost.
  const headWeak = isHeadWeak(fc, headRoot, equivocatingCommitteeBalance(headRoot));
  // The missing votes are assigned to the parent and not being hoarded.
  const parentStrong = isParentStrong(fc, headRoot);
  // Re-org more aggressively if there is a proposer equivocation in the previous slot.
  const proposerEquivocation = isProposerEquivocation(fc, headRoot);

  if (headLate && notEpochBoundary && ffgCompetitive && finalizationOk && proposingOnTime && singleSlotReorg && headWeak && parentStrong) {
    return parentRoot;
  }
  if (headWeak && currentTimeOk && proposerEquivocation) return parentRoot;
  return headRoot;
}
