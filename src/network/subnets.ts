/**
 * Attestation subnets: the long-lived ones the phase0 spec derives from the node id
 * (compute_subscribed_subnets, rotating every EPOCHS_PER_SUBNET_SUBSCRIPTION epochs), advertised
 * in the ENR and metadata `attnets`, plus short-lived ones for the validators' committee
 * subscriptions (beacon_committee_subscriptions), kept until the duty's slot has passed.
 */
import {digest} from "../crypto/index.ts";
import {computeShuffledIndex} from "../crypto/index.ts";
import {NODE_ID_BITS, type ChainConfig} from "../params/index.ts";
import {uint64ToBytesLE} from "../util/bytes.ts";

/** The config values the subnet functions read. */
export type SubnetConfig = Pick<
  ChainConfig,
  "ATTESTATION_SUBNET_COUNT" | "ATTESTATION_SUBNET_EXTRA_BITS" | "EPOCHS_PER_SUBNET_SUBSCRIPTION" | "SUBNETS_PER_NODE"
>;

/** compute_attestation_subnet_prefix_bits */
export function computeAttestationSubnetPrefixBits(config: SubnetConfig): number {
  return Math.ceil(Math.log2(config.ATTESTATION_SUBNET_COUNT)) + config.ATTESTATION_SUBNET_EXTRA_BITS;
}

/** compute_subscribed_subnet; `nodeId` is the 256-bit discv5 node id. */
export function computeSubscribedSubnet(config: SubnetConfig, nodeId: bigint, epoch: number, index: number): number {
  const prefixBits = computeAttestationSubnetPrefixBits(config);
  const nodeIdPrefix = Number(nodeId >> BigInt(NODE_ID_BITS - prefixBits));
  const nodeOffset = Number(nodeId % BigInt(config.EPOCHS_PER_SUBNET_SUBSCRIPTION));
  const permutationSeed = digest(uint64ToBytesLE(Math.floor((epoch + nodeOffset) / config.EPOCHS_PER_SUBNET_SUBSCRIPTION)));
  const permutatedPrefix = computeShuffledIndex(nodeIdPrefix, 1 << prefixBits, permutationSeed);
  return (permutatedPrefix + index) % config.ATTESTATION_SUBNET_COUNT;
}

/** compute_subscribed_subnets */
export function computeSubscribedSubnets(config: SubnetConfig, nodeId: bigint, epoch: number): number[] {
  const out: number[] = [];
  for (let index = 0; index < config.SUBNETS_PER_NODE; index++) out.push(computeSubscribedSubnet(config, nodeId, epoch, index));
  return out;
}

/** The subnets this node is on: long-lived ones and short-lived ones with their expiry slot. */
export class SubnetService {
  private readonly config: SubnetConfig;
  private readonly nodeId: bigint;
  private longLived: number[] = [];
  private longLivedEpoch = -1;
  /** subnet -> last slot it is needed for */
  private readonly shortLived = new Map<number, number>();

  constructor(config: SubnetConfig, nodeId: bigint) {
    this.config = config;
    this.nodeId = nodeId;
  }

  /** Recomputes the long-lived subnets for `epoch`; true if they changed. */
  updateEpoch(epoch: number): boolean {
    if (epoch === this.longLivedEpoch) return false;
    this.longLivedEpoch = epoch;
    const next = computeSubscribedSubnets(this.config, this.nodeId, epoch);
    const changed = next.join() !== this.longLived.join();
    this.longLived = next;
    return changed;
  }

  /** A committee subscription: stay on `subnet` through `slot`. */
  addShortLived(subnet: number, slot: number): void {
    this.shortLived.set(subnet, Math.max(this.shortLived.get(subnet) ?? 0, slot));
  }

  /** Forgets short-lived subscriptions whose slot is before `currentSlot`. */
  pruneShortLived(currentSlot: number): void {
    for (const [subnet, untilSlot] of this.shortLived) if (untilSlot < currentSlot) this.shortLived.delete(subnet);
  }

  longLivedSubnets(): number[] {
    return [...this.longLived];
  }

  /** Every subnet to be subscribed to now. */
  activeSubnets(): Set<number> {
    return new Set([...this.longLived, ...this.shortLived.keys()]);
  }

  /** The `attnets` bitvector: long-lived subnets only, as the spec advertises. */
  attnets(): boolean[] {
    const bits = new Array<boolean>(this.config.ATTESTATION_SUBNET_COUNT).fill(false);
    for (const s of this.longLived) bits[s] = true;
    return bits;
  }
}
