/**
 * Picks the block's attestations from the pool: only includable ones (process_attestation's
 * conditions against the block's pre-state: inclusion window, target epoch, source = the state's
 * justified checkpoint of that epoch), chosen greedily by value, the effective balance of the
 * attesters they would include for the first time. Attesters already included in the state's
 * pending attestations (or by an attestation picked before) add nothing: in phase0 only the
 * earliest inclusion of an attester earns the proposer its reward.
 *
 * Greedy with lazy re-evaluation: a candidate's value only falls as others are picked, so a
 * stale value is an upper bound and only the top of the sorted list needs recomputing.
 */
import {
  EFFECTIVE_BALANCE_INCREMENT,
  MAX_ATTESTATIONS,
  MIN_ATTESTATION_INCLUSION_DELAY,
  PROPOSER_REWARD_QUOTIENT,
  SLOTS_PER_EPOCH,
} from "../../params/index.ts";
import {computeBaseReward, computeEpochAtSlot, integerSquareroot, type CachedBeaconState} from "../../state-transition/index.ts";
import type {Attestation, Checkpoint} from "../../types/index.ts";
import {bytesEqual, toHex} from "../../util/bytes.ts";
import type {AttestationPool} from "../opPools/attestationPool.ts";
import {toAttestation} from "../opPools/attestationPool.ts";

interface Candidate {
  attestation: Attestation;
  targetEpoch: number;
  attesters: number[];
  /** Sum of effective balance increments of the attesters not yet included. */
  value: number;
}

export interface PackedAttestations {
  attestations: Attestation[];
  /** phase0 proposer reward for the newly included attesters, Gwei. */
  proposerRewardGwei: bigint;
}

function sameCheckpoint(a: Checkpoint, b: {epoch: number; root: Uint8Array}): boolean {
  return a.epoch === b.epoch && bytesEqual(a.root, b.root);
}

/** Attesters included by the state's pending attestations, per target epoch (current, previous). */
function includedAttesters(s: CachedBeaconState): Map<number, Set<number>> {
  const out = new Map<number, Set<number>>();
  for (const list of [s.state.previous_epoch_attestations, s.state.current_epoch_attestations]) {
    for (const pending of list.getAllReadonlyValues()) {
      const epoch = pending.data.target.epoch;
      let set = out.get(epoch);
      if (set === undefined) out.set(epoch, (set = new Set()));
      for (const i of s.epochCtx.getAttestingIndices(pending.data, pending.aggregation_bits)) set.add(i);
    }
  }
  return out;
}

/** Whether a vote for the block `votedRootHex` was cast under the pre-state's attester shuffling for `epoch` (see chain/shuffling.ts). */
export type SameShuffling = (votedRootHex: string, epoch: number) => boolean;

/**
 * `s` is the block's pre-state, processed to the block's slot. With `sameShuffling`, a vote cast
 * on a branch whose shuffling for the target epoch was fixed by another block is left out: its
 * bits name other validators in this state's committees, and the block would be invalid.
 */
export function packAttestations(s: CachedBeaconState, pool: AttestationPool, sameShuffling?: SameShuffling): PackedAttestations {
  const state = s.state;
  const slot = state.slot;
  const currentEpoch = computeEpochAtSlot(slot);
  const previousEpoch = Math.max(0, currentEpoch - 1);
  const currentJustified = state.current_justified_checkpoint.toValue();
  const previousJustified = state.previous_justified_checkpoint.toValue();
  const increments = s.epochCtx.effectiveBalanceIncrements;
  const included = includedAttesters(s);
  const includedFor = (epoch: number): Set<number> => {
    let set = included.get(epoch);
    if (set === undefined) included.set(epoch, (set = new Set()));
    return set;
  };

  const candidates: Candidate[] = [];
  const fromSlot = Math.max(0, slot - SLOTS_PER_EPOCH);
  const toSlot = slot - MIN_ATTESTATION_INCLUSION_DELAY;
  for (const entry of pool.entriesInSlotRange(fromSlot, toSlot)) {
    const data = entry.data;
    const targetEpoch = data.target.epoch;
    if (targetEpoch !== currentEpoch && targetEpoch !== previousEpoch) continue;
    const justified = targetEpoch === currentEpoch ? currentJustified : previousJustified;
    if (!sameCheckpoint(justified, data.source)) continue;
    let committeeCount: number;
    try {
      committeeCount = s.epochCtx.getCommitteeCountPerSlot(targetEpoch);
    } catch {
      continue;
    }
    if (!(data.index < committeeCount)) continue;
    if (sameShuffling !== undefined && !sameShuffling(toHex(data.beacon_block_root), targetEpoch)) continue;
    for (const agg of entry.aggregates) {
      const attestation = toAttestation(data, agg);
      let attesters: number[];
      try {
        attesters = s.epochCtx.getAttestingIndices(data, agg.bits);
      } catch {
        continue; // another branch's committee shape: not includable here
      }
      candidates.push({attestation, targetEpoch, attesters, value: valueOf(attesters, includedFor(targetEpoch), increments)});
    }
  }

  const sqrtTotal = integerSquareroot(s.epochCtx.totalActiveBalance);
  const ranked = candidates.filter((c) => c.value > 0).sort((a, b) => b.value - a.value);
  const picked: Attestation[] = [];
  let reward = 0;
  while (picked.length < MAX_ATTESTATIONS && ranked.length > 0) {
    const top = ranked[0];
    const fresh = valueOf(top.attesters, includedFor(top.targetEpoch), increments);
    if (fresh <= 0) {
      ranked.shift();
      continue;
    }
    if (fresh < top.value) {
      top.value = fresh;
      ranked.sort((a, b) => b.value - a.value);
      continue;
    }
    ranked.shift();
    picked.push(top.attestation);
    const set = includedFor(top.targetEpoch);
    for (const i of top.attesters) {
      if (!set.has(i)) {
        set.add(i);
        // get_inclusion_delay_deltas: base_reward // PROPOSER_REWARD_QUOTIENT to the including proposer.
        reward += Math.floor(computeBaseReward(increments[i] * EFFECTIVE_BALANCE_INCREMENT, sqrtTotal) / PROPOSER_REWARD_QUOTIENT);
      }
    }
  }
  return {attestations: picked, proposerRewardGwei: BigInt(reward)};
}

function valueOf(attesters: number[], included: Set<number>, increments: Uint16Array): number {
  let v = 0;
  for (const i of attesters) if (!included.has(i)) v += increments[i];
  return v;
}
