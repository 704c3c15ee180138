/** validator.md compute_subnet_for_attestation. */
import {SLOTS_PER_EPOCH, type ChainConfig} from "../../params/index.ts";

export function computeSubnetForAttestation(
  config: Pick<ChainConfig, "ATTESTATION_SUBNET_COUNT">,
  committeesPerSlot: number, slot: number, committeeIndex: number): number {
  const committeesSinceEpochStart = committeesPerSlot * (slot % SLOTS_PER_EPOCH);
  return (committeesSinceEpochStart + committeeIndex) % config.ATTESTATION_SUBNET_COUNT;
}
