/**
 * EIP-3076 for attestations: condition (3), nothing slashable by is_slashable_attestation_data
 * (double vote, surround either way), and conditions (4) and (5), the source and target low
 * watermarks. An exact repeat of a recorded message is allowed whatever the watermarks say
 * (the store keeps every record: the complete strategy).
 */
import {toHex} from "../../util/bytes.ts";
import {SlashingProtectionError} from "./errors.ts";
import {sameSigningRoot, type AttestationRecord} from "./records.ts";
import {putAttestation, putWatermarks, type SlashingRepository} from "./repository.ts";
import type {SigningDecision} from "./blockRules.ts";

const recordDetails = (a: AttestationRecord): Record<string, unknown> => ({
  sourceEpoch: a.sourceEpoch,
  targetEpoch: a.targetEpoch,
  signingRoot: a.signingRoot === null ? null : toHex(a.signingRoot),
});

export async function checkAttestation(
  repo: SlashingRepository,
  pubkey: Uint8Array,
  source: number,
  target: number,
  signingRoot: Uint8Array
): Promise<SigningDecision> {
  if (source > target) {
    throw new SlashingProtectionError("SOURCE_EXCEEDS_TARGET", `source epoch ${source} is after target epoch ${target}`, {source, target});
  }

  // A repeat of a recorded message is not a new vote: the complete strategy re-signs it even
  // below the watermarks, which only stand for messages the store does not hold.
  const sameTarget = await repo.getAttestation(pubkey, target);
  if (sameTarget !== null) {
    if (sameTarget.sourceEpoch === source && sameSigningRoot(sameTarget.signingRoot, signingRoot)) return {kind: "SAME_DATA"};
    throw new SlashingProtectionError("DOUBLE_VOTE", `a different attestation was already signed for target epoch ${target}`, recordDetails(sameTarget));
  }

  const watermarks = await repo.getWatermarks(pubkey);
  if (watermarks.sourceEpoch !== null && source < watermarks.sourceEpoch) {
    throw new SlashingProtectionError("BELOW_MIN_SOURCE", `source epoch ${source} is below the lowest signed source ${watermarks.sourceEpoch}`, {
      source,
      minSource: watermarks.sourceEpoch,
    });
  }


  if (watermarks.targetEpoch !== null && target <= watermarks.targetEpoch) {
    throw new SlashingProtectionError("BELOW_MIN_TARGET", `target epoch ${target} is not above the lowest signed target ${watermarks.targetEpoch}`, {
      target,
      minTarget: watermarks.targetEpoch,
    });
  }

  const surrounded = await repo.findSurroundedBy(pubkey, source, target);
  if (surrounded !== null) {
    throw new SlashingProtectionError(
      "SURROUNDING_VOTE",
      `attestation ${source}->${target} would surround the signed ${surrounded.sourceEpoch}->${surrounded.targetEpoch}`,
      recordDetails(surrounded)
    );
  }
  const surrounding = await repo.findSurrounding(pubkey, source, target);
  if (surrounding !== null) {
    throw new SlashingProtectionError(
      "SURROUNDED_VOTE",
      `attestation ${source}->${target} would be surrounded by the signed ${surrounding.sourceEpoch}->${surrounding.targetEpoch}`,
      recordDetails(surrounding)
    );
  }

  const ops = [putAttestation(pubkey, source, target, signingRoot)];
  if (watermarks.sourceEpoch === null || watermarks.targetEpoch === null) {
    ops.push(putWatermarks(pubkey, {...watermarks, sourceEpoch: watermarks.sourceEpoch ?? source, targetEpoch: watermarks.targetEpoch ?? target}));
  }
  return {kind: "NEW", ops};
}
