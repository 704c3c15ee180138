/** Signature sets of the block itself: the proposer's block signature and the RANDAO reveal. */
import {DOMAIN_BEACON_PROPOSER, DOMAIN_RANDAO} from "../../params/index.ts";
import type {SignatureSet} from "../../crypto/index.ts";
import {primitive, type BeaconBlockBody, type SignedBeaconBlock} from "../../types/index.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";
import {BlockProcessingError} from "../errors.ts";
import {blockRoot} from "../block/bodyRoot.ts";
import {computeSigningRoot, computeSigningRootFromRoot, getDomain} from "../util/domain.ts";
import {computeEpochAtSlot} from "../util/epoch.ts";

function proposerPubkey(s: CachedBeaconState, index: number) {
  if (!(index < s.state.validators.length)) {
    throw new BlockProcessingError("BLOCK_INVALID_PROPOSER_INDEX", `proposer index ${index} is not a validator`);
  }
  return s.epochCtx.index2pubkey(index);
}

/** verify_block_signature as a set. */
export function getBlockProposerSignatureSet(s: CachedBeaconState, signedBlock: SignedBeaconBlock): SignatureSet {
  const block = signedBlock.message;
  const domain = getDomain(s.state, DOMAIN_BEACON_PROPOSER);
  return {
    type: "single",
    pubkey: proposerPubkey(s, block.proposer_index),
    signingRoot: computeSigningRootFromRoot(blockRoot(block), domain),
    signature: signedBlock.signature,
  };
}

/** process_randao's reveal check as a set: the current proposer signed the epoch. */
export function getRandaoRevealSignatureSet(s: CachedBeaconState, body: BeaconBlockBody): SignatureSet {
  const epoch = computeEpochAtSlot(s.state.slot);
  const proposerIndex = s.epochCtx.getBeaconProposer(s.state.slot);
  const domain = getDomain(s.state, DOMAIN_RANDAO);
  return {
    type: "single",
    pubkey: proposerPubkey(s, proposerIndex),
    signingRoot: computeSigningRoot(primitive.Epoch, epoch, domain),
    signature: body.randao_reveal,
  };
}
