/**
 * The phase0 state transition (beacon-chain.md), pure and tree-backed.
 *
 * Entry points take a CachedBeaconState (a BeaconState ViewDU plus its EpochContext). Spec
 * helpers keep their spec names, camelCased; those that need per-epoch data (committees,
 * proposers, pubkeys, totals) take the CachedBeaconState, the others a BeaconStateView.
 */
export {type CachedBeaconState, createCachedBeaconState, cloneCachedBeaconState} from "./cache/cachedBeaconState.ts";
export {EpochContext, type NextEpochData} from "./cache/epochContext.ts";
export {PubkeyCache} from "./cache/pubkeyCache.ts";
export {type EpochShuffling, LazyShuffling, computeEpochShuffling, computeCommitteeCount} from "./cache/shuffling.ts";
export {BlockProcessingError, EpochProcessingError, SlotProcessingError, StateTransitionError, Uint64Error} from "./errors.ts";
export {stateTransition, stateTransitionAsync, type StateTransitionOpts, type StateTransitionAsyncOpts} from "./stateTransition.ts";
export {processSlots} from "./slot/processSlots.ts";
export {processSlot} from "./slot/processSlot.ts";
export {initializeBeaconStateFromEth1, isValidGenesisState} from "./genesis.ts";

// Block processing
export type {BlockProcessingOpts} from "./block/types.ts";
export {processBlock} from "./block/processBlock.ts";
export {processBlockHeader} from "./block/processBlockHeader.ts";
export {processRandao} from "./block/processRandao.ts";
export {processEth1Data} from "./block/processEth1Data.ts";
export {processOperations} from "./block/processOperations.ts";
export {processProposerSlashing} from "./block/processProposerSlashing.ts";
export {processAttesterSlashing} from "./block/processAttesterSlashing.ts";
export {processAttestation} from "./block/processAttestation.ts";
export {processDeposit, applyDeposit, addValidatorToRegistry, getValidatorFromDeposit} from "./block/processDeposit.ts";
export {processVoluntaryExit} from "./block/processVoluntaryExit.ts";
export {initiateValidatorExit} from "./block/initiateValidatorExit.ts";
export {slashValidator} from "./block/slashValidator.ts";
export {bodyRoot, blockRoot} from "./block/bodyRoot.ts";

// Epoch processing
export {processEpoch} from "./epoch/processEpoch.ts";
export {beforeProcessEpoch, type EpochTransitionCache} from "./epoch/epochTransitionCache.ts";
export {
  processJustificationAndFinalization,
  weighJustificationAndFinalization,
} from "./epoch/processJustificationAndFinalization.ts";
export {processRewardsAndPenalties} from "./epoch/processRewardsAndPenalties.ts";
export {
  type Deltas,
  getAttestationDeltas,
  getSourceDeltas,
  getTargetDeltas,
  getHeadDeltas,
  getInclusionDelayDeltas,
  getInactivityPenaltyDeltas,
  computeBaseReward,
} from "./epoch/getAttestationDeltas.ts";
export {processRegistryUpdates} from "./epoch/processRegistryUpdates.ts";
export {processSlashings} from "./epoch/processSlashings.ts";
export {processEth1DataReset} from "./epoch/processEth1DataReset.ts";
export {processEffectiveBalanceUpdates} from "./epoch/processEffectiveBalanceUpdates.ts";
export {processSlashingsReset} from "./epoch/processSlashingsReset.ts";
export {processRandaoMixesReset} from "./epoch/processRandaoMixesReset.ts";
export {processHistoricalRootsUpdate} from "./epoch/processHistoricalRootsUpdate.ts";
export {processParticipationRecordUpdates} from "./epoch/processParticipationRecordUpdates.ts";
export {computeUnrealizedCheckpoints} from "./epoch/computeUnrealizedCheckpoints.ts";

// Signature sets
export {getBlockSignatureSets} from "./signatureSets/index.ts";
export * from "./signatureSets/proposer.ts";
export * from "./signatureSets/operations.ts";

// Spec helpers
export {
  addUint64,
  subUint64,
  integerSquareroot,
  xor,
  uint64ToBytes,
  bytesToUint64,
  GweiSum,
} from "./util/math.ts";
export {
  computeEpochAtSlot,
  computeStartSlotAtEpoch,
  computeActivationExitEpoch,
  computeTimeAtSlot,
  getCurrentEpoch,
  getPreviousEpoch,
} from "./util/epoch.ts";
export {
  computeForkDataRoot,
  computeForkDigest,
  computeDomain,
  getDomain,
  computeSigningRoot,
  computeSigningRootFromRoot,
} from "./util/domain.ts";
export {
  isActiveValidator,
  isEligibleForActivationQueue,
  isEligibleForActivation,
  isSlashableValidator,
  getActiveValidatorIndices,
  computeChurnLimit,
} from "./util/validator.ts";
export {
  isSlashableAttestationData,
  isValidIndexedAttestation,
  getIndexedAttestationSignatureSet,
  getAttestingIndices,
  getIndexedAttestation,
  getBeaconCommitteeAnyIndex,
} from "./util/attestation.ts";
export {computeMerkleBranchRoot, isValidMerkleBranch} from "./util/merkle.ts";
export {getRandaoMix, getSeed, computeProposerIndex, computeEpochProposers} from "./util/seed.ts";
export {getBlockRoot, getBlockRootAtSlot} from "./util/blockRoot.ts";
export {increaseBalance, decreaseBalance, getTotalBalance, getTotalActiveBalance} from "./util/balance.ts";
export {getBeaconProposerIndex, getCommitteeCountPerSlot, getBeaconCommittee, getValidatorChurnLimit} from "./util/proposer.ts";
