/** validator.md compute_subnet_for_attestation. */
import {SLOTS_PER_EPOCH, type ChainConfig} from "../../params/index.ts";
import {computeEpochAtSlot} from "../../state-transition/index.ts";
import type {Attestation} from "../../types/index.ts";
import type {BeaconChain} from "../chain.ts";

export function computeSubnetForAttestation(
  config: Pick<ChainConfig, "ATTESTATION_SUBNET_COUNT">,
  committeesPerSlot: number, slot: number, committeeIndex: number): number {
  const committeesSinceEpochStart = committeesPerSlot * (slot % SLOTS_PER_EPOCH);
  return (committeesSinceEpochStart + committeeIndex) % config.ATTESTATION_SUBNET_COUNT;
}

/**
 * The subnet an attestation published by this node goes on, by the head state's committees for
 * its epoch; null when the head state has no shuffling for that epoch (it cannot be placed).
 */
export function attestationSubnet(chain: Pick<BeaconChain, "config" | "getHead">, attestation: Attestation): number | null {
  let committeesPerSlot: number;
  try {
    committeesPerSlot = chain.getHead().state.epochCtx.getCommitteeCountPerSlot(computeEpochAtSlot(attestation.data.slot));
  } catch {
    return null;
  }
  return computeSubnetForAttestation(chain.config, committeesPerSlot, attestation.data.slot, attestation.data.index);
}
