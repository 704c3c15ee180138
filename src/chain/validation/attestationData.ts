/**
 * The checks that p2p-interface.md's beacon_attestation and beacon_aggregate_and_proof share:
 * slot within the propagation range, target epoch of the slot, the voted block known and
 * consistent with the target, the finalized checkpoint an ancestor, the committee index in range.
 * Committees come from the target checkpoint state (the state fork choice's on_attestation
 * validates against), so an attestation on any known branch gets its own branch's shuffling.
 */
import {DOMAIN_BEACON_ATTESTER} from "../../params/index.ts";
import {computeEpochAtSlot, computeSigningRoot, getDomain, type CachedBeaconState} from "../../state-transition/index.ts";
import {ssz, type AttestationData} from "../../types/index.ts";
import {toHex} from "../../util/bytes.ts";
import type {ValidationContext} from "./context.ts";
import {isFutureSlot, isWithinSlotRange} from "./timing.ts";
import {AttestationError, AttestationErrorCode} from "../errors.ts";

export interface ValidatedData {
  dataRoot: Uint8Array;
  dataRootHex: string;
  beaconBlockRootHex: string;
  targetRootHex: string;
  /** The target checkpoint state (read only). */
  targetState: CachedBeaconState;
  committee: Uint32Array;
}

export function validateAttestationData(ctx: ValidationContext, data: AttestationData, nowMs: number): ValidatedData {
  const fc = ctx.forkChoice;
  const slot = data.slot;
  const targetEpoch = data.target.epoch;

  const range = ctx.config.ATTESTATION_PROPAGATION_SLOT_RANGE;
  if (isFutureSlot(ctx.config, ctx.clock, slot, nowMs)) {
    throw new AttestationError(AttestationErrorCode.FUTURE_SLOT, `attestation slot ${slot} is in the future`);
  }
  if (!isWithinSlotRange(ctx.config, ctx.clock, slot, range, nowMs)) {
    throw new AttestationError(AttestationErrorCode.PAST_SLOT, `attestation slot ${slot} is more than ${range} slots in the past`);
  }
  if (targetEpoch !== computeEpochAtSlot(slot)) {
    throw new AttestationError(
      AttestationErrorCode.BAD_TARGET_EPOCH,
      `target epoch ${targetEpoch} is not the epoch of slot ${slot}`
    );
  }

  const beaconBlockRootHex = toHex(data.beacon_block_root);
  const targetRootHex = toHex(data.target.root);
  if (ctx.seen.invalidBlocks.has(beaconBlockRootHex)) {
    throw new AttestationError(AttestationErrorCode.INVALID_BEACON_BLOCK, `block ${beaconBlockRootHex} failed validation`);
  }
  if (!fc.hasBlock(beaconBlockRootHex)) {
    throw new AttestationError(AttestationErrorCode.UNKNOWN_BEACON_BLOCK_ROOT, `block ${beaconBlockRootHex} is unknown`);
  }
  if (fc.getCheckpointBlock(beaconBlockRootHex, targetEpoch) !== targetRootHex) {
    throw new AttestationError(
      AttestationErrorCode.INVALID_TARGET_ROOT,
      `target root ${targetRootHex} is not the epoch ${targetEpoch} checkpoint block of ${beaconBlockRootHex}`
    );
  }
  const finalized = ctx.finalizedCheckpoint();
  if (fc.getCheckpointBlock(beaconBlockRootHex, finalized.epoch) !== finalized.root) {
    throw new AttestationError(
      AttestationErrorCode.NOT_DESCENDANT_OF_FINALIZED,
      `block ${beaconBlockRootHex} does not descend from the finalized checkpoint`
    );
  }

  const targetState = ctx.regen.getCheckpointState(targetEpoch, targetRootHex);
  const committeeCount = targetState.epochCtx.getCommitteeCountPerSlot(targetEpoch);
  if (!(data.index < committeeCount)) {
    throw new AttestationError(
      AttestationErrorCode.COMMITTEE_INDEX_OUT_OF_RANGE,
      `committee index ${data.index} is not below the committee count ${committeeCount}`
    );
  }
  const committee = targetState.epochCtx.getBeaconCommittee(slot, data.index);
  const dataRoot = ssz.AttestationData.hashTreeRoot(data);
  return {dataRoot, dataRootHex: toHex(dataRoot), beaconBlockRootHex, targetRootHex, targetState, committee};
}

/** The signing root an attester signs for this data (DOMAIN_BEACON_ATTESTER at the target epoch). */
export function attestationSigningRoot(s: CachedBeaconState, data: AttestationData): Uint8Array {
  return computeSigningRoot(ssz.AttestationData, data, getDomain(s.state, DOMAIN_BEACON_ATTESTER, data.target.epoch));
}
