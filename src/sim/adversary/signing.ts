/**
 * Signing with the group's keys under the chain's own domains (phase0: the genesis fork version
 * and genesis validators root of the chain the group reads), so that every receiving node's
 * gossip validation verifies what the group sends.
 */
import {BitArray} from "@chainsafe/ssz";
import type {SecretKey} from "@chainsafe/blst";
import type {BeaconChain} from "../../chain/index.ts";
import {sign} from "../../crypto/index.ts";
import type {Attestation, AttestationData, BeaconBlock, SignedBeaconBlock} from "../../types/index.ts";
import {SigningContext} from "../../validator/signing/signingContext.ts";
import type {AdversaryContext} from "../types.ts";
import {AdversaryError, AdversaryErrorCode} from "./errors.ts";

type Signer = Pick<AdversaryContext, "chain" | "secretKeys">;

/** The validator client's signing roots and cached domains, for the chain's one (phase0) fork. */
const contexts = new WeakMap<BeaconChain, SigningContext>();

function signing(ctx: Signer): SigningContext {
  let sc = contexts.get(ctx.chain);
  if (sc === undefined) {
    const {genesisForkVersion: version, genesisValidatorsRoot} = ctx.chain.genesis;
    sc = new SigningContext(genesisValidatorsRoot, [{epoch: 0, previousVersion: version, currentVersion: version}]);
    contexts.set(ctx.chain, sc);
  }
  return sc;
}

function secretKey(ctx: Signer, validator: number): SecretKey {
  const sk = ctx.secretKeys.get(validator);
  if (sk === undefined) throw new AdversaryError(AdversaryErrorCode.NO_KEY, `the group holds no key of validator ${validator}`);
  return sk;
}

export function randaoReveal(ctx: Signer, validator: number, epoch: number): Uint8Array {
  return sign(secretKey(ctx, validator), signing(ctx).randaoRoot(epoch));
}

export function signBlock(ctx: Signer, block: BeaconBlock): SignedBeaconBlock {
  return {message: block, signature: sign(secretKey(ctx, block.proposer_index), signing(ctx).blockRoot(block))};
}

/** An unaggregated attestation: one bit, at the validator's position in its committee. */
export function signAttestation(ctx: Signer, validator: number, data: AttestationData, committeeLength: number, position: number): Attestation {
  return {aggregation_bits: BitArray.fromSingleBit(committeeLength, position), data, signature: sign(secretKey(ctx, validator), signing(ctx).attestationRoot(data))};
}
