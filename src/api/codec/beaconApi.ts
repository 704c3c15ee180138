/** The API's JSON forms of the objects in types/beaconApi.ts (the validator client decodes the same forms). */
import type {AttesterDuty, HeadEvent, ProposerDuty} from "../../types/index.ts";
import {toHex} from "../../util/bytes.ts";

export function proposerDutyToJson(d: ProposerDuty): Record<string, string> {
  return {pubkey: toHex(d.pubkey), validator_index: String(d.validatorIndex), slot: String(d.slot)};
}

export function attesterDutyToJson(d: AttesterDuty): Record<string, string> {
  return {
    pubkey: toHex(d.pubkey),
    validator_index: String(d.validatorIndex),
    committee_index: String(d.committeeIndex),
    committee_length: String(d.committeeLength),
    committees_at_slot: String(d.committeesAtSlot),
    validator_committee_index: String(d.validatorCommitteeIndex),
    slot: String(d.slot),
  };
}

/** The `head` topic's data. */
export function headEventToJson(e: HeadEvent): Record<string, string | boolean> {
  return {
    slot: String(e.slot),
    block: toHex(e.block),
    state: toHex(e.state),
    epoch_transition: e.epochTransition,
    previous_duty_dependent_root: toHex(e.previousDutyDependentRoot),
    current_duty_dependent_root: toHex(e.currentDutyDependentRoot),
    execution_optimistic: e.executionOptimistic,
  };
}
