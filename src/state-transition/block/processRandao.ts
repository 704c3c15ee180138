/** beacon-chain.md process_randao. */
import {EPOCHS_PER_HISTORICAL_VECTOR} from "../../params/index.ts";
import {digest, verifySignatureSet} from "../../crypto/index.ts";
import type {BeaconBlockBody} from "../../types/index.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";
import {BlockProcessingError} from "../errors.ts";
import {getRandaoRevealSignatureSet} from "../signatureSets/proposer.ts";
import {computeEpochAtSlot} from "../util/epoch.ts";
import {xor} from "../util/math.ts";
import {getRandaoMix} from "../util/seed.ts";
import type {BlockProcessingOpts} from "./types.ts";

export function processRandao(s: CachedBeaconState, body: BeaconBlockBody, opts: BlockProcessingOpts = {}): void {
  const {state} = s;
  const epoch = computeEpochAtSlot(state.slot);
  if (opts.verifySignatures !== false && !verifySignatureSet(getRandaoRevealSignatureSet(s, body))) {
    throw new BlockProcessingError("RANDAO_INVALID_REVEAL", "the RANDAO reveal is not the proposer's signature of the epoch");
  }
  const mix = xor(getRandaoMix(state, epoch), digest(body.randao_reveal));
  state.randao_mixes.set(epoch % EPOCHS_PER_HISTORICAL_VECTOR, mix);
}
