/** validator.md compute_subnet_for_attestation. */
import {config, SLOTS_PER_EPOCH} from "../../params/index.ts";

export function computeSubnetForAttestation(committeesPerSlot: number, slot: number, committeeIndex: number): number {
  const committeesSinceEpochStart = committeesPerSlot * (slot % SLOTS_PER_EPOCH);
  return (committeesSinceEpochStart + committeeIndex) % config.ATTESTATION_SUBNET_COUNT;
}
