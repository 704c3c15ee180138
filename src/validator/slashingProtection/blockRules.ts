/**
 * EIP-3076 for blocks: condition (1), no second block at a slot (process_proposer_slashing),
 * and condition (2), nothing at or below the lowest slot known, except an exact re-sign.
 */
import {toHex} from "../../util/bytes.ts";
import {SlashingProtectionError} from "./errors.ts";
import {sameSigningRoot} from "./records.ts";
import {putBlock, putWatermarks, type SlashingRepository, type WriteOp} from "./repository.ts";

export type SigningDecision = {kind: "SAME_DATA"} | {kind: "NEW"; ops: WriteOp[]};

export async function checkBlockProposal(repo: SlashingRepository, pubkey: Uint8Array, slot: number, signingRoot: Uint8Array): Promise<SigningDecision> {
  const existing = await repo.getBlock(pubkey, slot);
  if (existing !== null) {
    if (sameSigningRoot(existing.signingRoot, signingRoot)) return {kind: "SAME_DATA"};
    throw new SlashingProtectionError("DOUBLE_PROPOSAL", `a different block was already signed at slot ${slot}`, {
      slot,
      existingSigningRoot: existing.signingRoot === null ? null : toHex(existing.signingRoot),
    });
  }

  const watermarks = await repo.getWatermarks(pubkey);
  if (watermarks.blockSlot !== null && slot <= watermarks.blockSlot) {
    throw new SlashingProtectionError("BELOW_MIN_SLOT", `slot ${slot} is not above the lowest signed slot ${watermarks.blockSlot}`, {
      slot,
      minSlot: watermarks.blockSlot,
    });
  }

  const ops = [putBlock(pubkey, slot, signingRoot)];
  if (watermarks.blockSlot === null) ops.push(putWatermarks(pubkey, {...watermarks, blockSlot: slot}));
  return {kind: "NEW", ops};
}
