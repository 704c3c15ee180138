/**
 * validator.md "Attestation data": the head block (the canonical block at the slot, for a slot
 * before the head), the epoch boundary block of the slot's epoch as target, and the justified
 * checkpoint of the head state processed into that epoch as source.
 */
import {SLOTS_PER_EPOCH} from "../../params/index.ts";
import {
  computeEpochAtSlot,
  computeStartSlotAtEpoch,
  getBlockRootAtSlot,
} from "../../state-transition/index.ts";
import type {AttestationData} from "../../types/index.ts";
import {fromHex} from "../../util/bytes.ts";
import type {BeaconChain} from "../chain.ts";
import {ChainRequestError, ChainRequestErrorCode} from "../errors.ts";

export function produceAttestationData(chain: BeaconChain, slot: number, committeeIndex: number): AttestationData {
  const clock = chain.clock;
  if (clock.nowMs() + chain.config.MAXIMUM_GOSSIP_CLOCK_DISPARITY < clock.slotStartMs(slot)) {
    throw new ChainRequestError(ChainRequestErrorCode.OUT_OF_RANGE, `slot ${slot} is in the future (current slot ${clock.currentSlot})`);
  }
  if (slot + SLOTS_PER_EPOCH < clock.currentSlot) {
    throw new ChainRequestError(ChainRequestErrorCode.OUT_OF_RANGE, `slot ${slot} is more than an epoch before the current slot ${clock.currentSlot}`);
  }
  const fc = chain.forkChoice;
  const head = chain.getHead();
  const blockRootHex = head.slot <= slot ? chain.headRoot : fc.getAncestor(chain.headRoot, slot);
  if (blockRootHex === null) {
    throw new ChainRequestError(ChainRequestErrorCode.OUT_OF_RANGE, `slot ${slot} is before the finalized block`);
  }
  const block = fc.getBlock(blockRootHex)!;
  const epoch = computeEpochAtSlot(slot);
  const s =
    computeEpochAtSlot(block.slot) < epoch ? chain.regen.getCheckpointState(epoch, blockRootHex) : chain.regen.getBlockState(blockRootHex);

  const committeeCount = s.epochCtx.getCommitteeCountPerSlot(epoch);
  if (!(committeeIndex < committeeCount)) {
    throw new ChainRequestError(
      ChainRequestErrorCode.INVALID,
      `committee index ${committeeIndex} is not below the committee count ${committeeCount} of slot ${slot}`
    );
  }
  const startSlot = computeStartSlotAtEpoch(epoch);
  const targetRoot = block.slot <= startSlot ? fromHex(blockRootHex) : getBlockRootAtSlot(s.state, startSlot);
  const source = s.state.current_justified_checkpoint;
  return {
    slot,
    index: committeeIndex,
    beacon_block_root: fromHex(blockRootHex),
    source: {epoch: source.epoch, root: source.root},
    target: {epoch, root: targetRoot},
  };
}
