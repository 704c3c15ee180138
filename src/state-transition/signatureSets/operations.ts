/** Signature sets of a block's operations (the deposit signature is not a block condition). */
import {DOMAIN_BEACON_PROPOSER, DOMAIN_VOLUNTARY_EXIT} from "../../params/index.ts";
import type {SignatureSet} from "../../crypto/index.ts";
import {
  ssz,
  type Attestation,
  type AttesterSlashing,
  type ProposerSlashing,
  type SignedBeaconBlockHeader,
  type SignedVoluntaryExit,
} from "../../types/index.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";
import {BlockProcessingError} from "../errors.ts";
import {getIndexedAttestationSignatureSet} from "../util/attestation.ts";
import {computeSigningRoot, getDomain} from "../util/domain.ts";
import {computeEpochAtSlot} from "../util/epoch.ts";

function validatorPubkey(s: CachedBeaconState, index: number, code: string) {
  if (!(index < s.state.validators.length)) throw new BlockProcessingError(code, `validator index ${index} is not a validator`);
  return s.epochCtx.index2pubkey(index);
}

export function getProposerSlashingHeaderSignatureSet(s: CachedBeaconState, signedHeader: SignedBeaconBlockHeader): SignatureSet {
  const header = signedHeader.message;
  const domain = getDomain(s.state, DOMAIN_BEACON_PROPOSER, computeEpochAtSlot(header.slot));
  return {
    type: "single",
    pubkey: validatorPubkey(s, header.proposer_index, "PROPOSER_SLASHING_INVALID_PROPOSER_INDEX"),
    signingRoot: computeSigningRoot(ssz.BeaconBlockHeader, header, domain),
    signature: signedHeader.signature,
  };
}

export function getProposerSlashingSignatureSets(s: CachedBeaconState, slashing: ProposerSlashing): SignatureSet[] {
  return [
    getProposerSlashingHeaderSignatureSet(s, slashing.signed_header_1),
    getProposerSlashingHeaderSignatureSet(s, slashing.signed_header_2),
  ];
}

export function getAttesterSlashingSignatureSets(s: CachedBeaconState, slashing: AttesterSlashing): SignatureSet[] {
  return [slashing.attestation_1, slashing.attestation_2].map((indexed) => {
    const last = indexed.attesting_indices[indexed.attesting_indices.length - 1];
    if (last !== undefined && !(last < s.state.validators.length)) {
      throw new BlockProcessingError("ATTESTER_SLASHING_INVALID_INDEXED_ATTESTATION", `attesting index ${last} is not a validator`);
    }
    return getIndexedAttestationSignatureSet(s, indexed);
  });
}

export function getAttestationSignatureSet(s: CachedBeaconState, attestation: Attestation): SignatureSet {
  return getIndexedAttestationSignatureSet(s, s.epochCtx.getIndexedAttestation(attestation));
}

export function getVoluntaryExitSignatureSet(s: CachedBeaconState, signedExit: SignedVoluntaryExit): SignatureSet {
  const exit = signedExit.message;
  const domain = getDomain(s.state, DOMAIN_VOLUNTARY_EXIT, exit.epoch);
  return {
    type: "single",
    pubkey: validatorPubkey(s, exit.validator_index, "VOLUNTARY_EXIT_INVALID_VALIDATOR_INDEX"),
    signingRoot: computeSigningRoot(ssz.VoluntaryExit, exit, domain),
    signature: signedExit.signature,
  };
}
