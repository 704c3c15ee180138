/**
 * Signing with the group's keys under the chain's own domains (phase0: the genesis fork version
 * and genesis validators root of the chain the group reads), so that every receiving node's
 * gossip validation verifies what the group sends.
 */
import {BitArray} from "@chainsafe/ssz";
import type {SecretKey} from "@chainsafe/blst";
import {sign} from "../../crypto/index.ts";
import {DOMAIN_BEACON_ATTESTER, DOMAIN_BEACON_PROPOSER, DOMAIN_RANDAO} from "../../params/index.ts";
import {computeDomain, computeSigningRoot} from "../../state-transition/index.ts";
import {primitive, ssz, type Attestation, type AttestationData, type BeaconBlock, type SignedBeaconBlock} from "../../types/index.ts";
import type {AdversaryContext} from "../types.ts";
import {AdversaryError, AdversaryErrorCode} from "./errors.ts";

type Signer = Pick<AdversaryContext, "chain" | "secretKeys">;

function domain(ctx: Signer, type: Uint8Array): Uint8Array {
  return computeDomain(type, ctx.chain.genesis.genesisForkVersion, ctx.chain.genesis.genesisValidatorsRoot);
}

function secretKey(ctx: Signer, validator: number): SecretKey {
  const sk = ctx.secretKeys.get(validator);
  if (sk === undefined) throw new AdversaryError(AdversaryErrorCode.NO_KEY, `the group holds no key of validator ${validator}`);
  return sk;
}

export function randaoReveal(ctx: Signer, validator: number, epoch: number): Uint8Array {
  return sign(secretKey(ctx, validator), computeSigningRoot(primitive.Uint64, epoch, domain(ctx, DOMAIN_RANDAO)));
}

export function signBlock(ctx: Signer, block: BeaconBlock): SignedBeaconBlock {
  const signingRoot = computeSigningRoot(ssz.BeaconBlock, block, domain(ctx, DOMAIN_BEACON_PROPOSER));
  return {message: block, signature: sign(secretKey(ctx, block.proposer_index), signingRoot)};
}

/** An unaggregated attestation: one bit, at the validator's position in its committee. */
export function signAttestation(ctx: Signer, validator: number, data: AttestationData, committeeLength: number, position: number): Attestation {
  const signingRoot = computeSigningRoot(ssz.AttestationData, data, domain(ctx, DOMAIN_BEACON_ATTESTER));
  return {aggregation_bits: BitArray.fromSingleBit(committeeLength, position), data, signature: sign(secretKey(ctx, validator), signingRoot)};
}
