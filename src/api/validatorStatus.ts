/**
 * Validator statuses as the Beacon API defines them (types/api.yaml ValidatorStatus and the
 * "validator status specification" it links), computed at an epoch from the registry record.
 */
import {FAR_FUTURE_EPOCH} from "../params/index.ts";
import {badRequest, clip} from "./errors.ts";

export const VALIDATOR_STATUSES = [
  "pending_initialized",
  "pending_queued",
  "active_ongoing",
  "active_exiting",
  "active_slashed",
  "exited_unslashed",
  "exited_slashed",
  "withdrawal_possible",
  "withdrawal_done",
] as const;
export type ValidatorStatus = (typeof VALIDATOR_STATUSES)[number];

/** The coarse filters: each selects the statuses that start with its name. */
export const COARSE_STATUSES = ["pending", "active", "exited", "withdrawal"] as const;

export interface ValidatorRecord {
  slashed: boolean;
  effective_balance: number;
  activation_eligibility_epoch: number;
  activation_epoch: number;
  exit_epoch: number;
  withdrawable_epoch: number;
}

export function getValidatorStatus(v: ValidatorRecord, epoch: number): ValidatorStatus {
  if (v.activation_epoch > epoch) {
    return v.activation_eligibility_epoch === FAR_FUTURE_EPOCH ? "pending_initialized" : "pending_queued";
  }
  if (epoch < v.exit_epoch) {
    if (v.exit_epoch === FAR_FUTURE_EPOCH) return "active_ongoing";
    return v.slashed ? "active_slashed" : "active_exiting";
  }
  if (epoch < v.withdrawable_epoch) return v.slashed ? "exited_slashed" : "exited_unslashed";
  // Phase0 has no withdrawals: funds are gone only when nothing is left at stake.
  return v.effective_balance !== 0 ? "withdrawal_possible" : "withdrawal_done";
}

/**
 * Expands a status filter (fine statuses and coarse ones, mixed) into the set of fine statuses;
 * undefined or empty means no filtering. Unknown names are a 400.
 */
export function parseStatusFilter(items: readonly string[] | undefined): Set<ValidatorStatus> | undefined {
  if (items === undefined || items.length === 0) return undefined;
  const out = new Set<ValidatorStatus>();
  for (const item of items) {
    if ((VALIDATOR_STATUSES as readonly string[]).includes(item)) {
      out.add(item as ValidatorStatus);
    } else if ((COARSE_STATUSES as readonly string[]).includes(item)) {
      for (const s of VALIDATOR_STATUSES) if (s.startsWith(item + "_")) out.add(s);
    } else {
      throw badRequest(
        `Invalid validator status: "${clip(item)}" (expected one of ${[...VALIDATOR_STATUSES, ...COARSE_STATUSES].join(", ")})`
      );
    }
  }
  return out;
}
