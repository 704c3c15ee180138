/**
 * Fork choice (fork-choice.md): LMD-GHOST with proposer boost over a proto-array, FFG checkpoints
 * with unrealized justification, and the proposer re-org helpers. Pure: time comes in through
 * on_tick, states through the caller.
 */
export {ForkChoiceError, ForkChoiceErrorCode} from "./errors.ts";
export {
  ForkChoice,
  computeProposerScore,
  calculateCommitteeFraction,
  type BlockSummary,
  type CheckpointHex,
  type ForkChoiceOptions,
  type ForkChoiceSnapshot,
  type JustifiedBalances,
  type JustifiedBalancesGetter,
} from "./forkChoice.ts";
export * from "./proposerHead.ts";
export type {ProtoBlock, RootHex, ViabilityContext} from "./protoArray/interface.ts";
export {ProtoArray} from "./protoArray/protoArray.ts";
export {VoteTracker} from "./protoArray/voteTracker.ts";
export {Store, getForkchoiceStore, type StoreOptions, type HeadInfo} from "./store/store.ts";
export {CheckpointStateCache} from "./store/checkpointStateCache.ts";
export {computeJustifiedBalances} from "./store/justifiedBalances.ts";
export * from "./time.ts";
