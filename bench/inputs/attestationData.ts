/**
 * The attestation data of INPUTS.md for a (slot, committee) pair: head = block_root(slot), target
 * = (epoch(slot), block_root(start(epoch))), and the justified checkpoint that process_attestation
 * expects as source (previous justified for the previous epoch, current justified for the current).
 */
import {computeEpochAtSlot} from "../../src/state-transition/util/epoch.ts";
import type {AttestationData} from "../../src/types/index.ts";
import {benchCheckpoint} from "./baseState.ts";
import {benchBlockRoot} from "./layout.ts";

/** `stateEpoch`: the epoch of the state the attestation is recorded in (E of INPUTS.md). */
export function benchAttestationData(slot: number, index: number, stateEpoch: number): AttestationData {
  const epoch = computeEpochAtSlot(slot);
  // The inputs justify E-2 (previous) and E-1 (current).
  const source = epoch === stateEpoch ? benchCheckpoint(stateEpoch - 1) : benchCheckpoint(stateEpoch - 2);
  return {slot, index, beacon_block_root: benchBlockRoot(slot), source, target: benchCheckpoint(epoch)};
}

/** (slot, committee index) pairs of a slot range, ordered by slot, then committee index. */
export function committeePairs(
  fromSlot: number,
  toSlot: number,
  committeesPerSlot: (slot: number) => number
): {slot: number; index: number}[] {
  const out: {slot: number; index: number}[] = [];
  for (let slot = fromSlot; slot <= toSlot; slot++) {
    const count = committeesPerSlot(slot);
    for (let index = 0; index < count; index++) out.push({slot, index});
  }
  return out;
}
