/**
 * The gossip action of every typed validation error: each code names one [IGNORE] or [REJECT]
 * condition of p2p-interface.md, so the verdict follows from the code alone. Gossip, the REST
 * pool endpoints and the networking vectors all run the same validation; only gossip turns the
 * error into a verdict.
 */
import {GnomonError} from "../../util/errors.ts";
import {AttestationErrorCode, BlockErrorCode, OperationErrorCode} from "../errors.ts";
import {GossipAction, type GossipVerdict} from "./interface.ts";

const {IGNORE, REJECT} = GossipAction;

export const GOSSIP_ACTION_BY_CODE: Readonly<Record<string, GossipAction>> = {
  [BlockErrorCode.ALREADY_KNOWN]: IGNORE,
  [BlockErrorCode.PARENT_UNKNOWN]: IGNORE,
  [BlockErrorCode.FUTURE_SLOT]: IGNORE,
  [BlockErrorCode.WOULD_REVERT_FINALIZED]: IGNORE,
  [BlockErrorCode.REPEAT_PROPOSAL]: IGNORE,
  // Fork choice refusing a block the gossip checks passed is a disagreement of views, not proof of a bad peer.
  [BlockErrorCode.FORK_CHOICE_REJECTED]: IGNORE,
  [BlockErrorCode.NOT_LATER_THAN_PARENT]: REJECT,
  [BlockErrorCode.INVALID]: REJECT,
  [BlockErrorCode.DECODE_FAILED]: REJECT,
  [BlockErrorCode.PROPOSER_INDEX_OUT_OF_RANGE]: REJECT,
  [BlockErrorCode.INVALID_PROPOSER_SIGNATURE]: REJECT,
  [BlockErrorCode.PARENT_INVALID]: REJECT,
  [BlockErrorCode.FINALIZED_NOT_ANCESTOR]: REJECT,
  [BlockErrorCode.INCORRECT_PROPOSER]: REJECT,

  [AttestationErrorCode.PAST_SLOT]: IGNORE,
  [AttestationErrorCode.FUTURE_SLOT]: IGNORE,
  [AttestationErrorCode.PRIOR_ATTESTATION_KNOWN]: IGNORE,
  [AttestationErrorCode.UNKNOWN_BEACON_BLOCK_ROOT]: IGNORE,
  [AttestationErrorCode.UNKNOWN_TARGET_ROOT]: IGNORE,
  [AttestationErrorCode.NOT_DESCENDANT_OF_FINALIZED]: IGNORE,
  [AttestationErrorCode.AGGREGATOR_ALREADY_KNOWN]: IGNORE,
  [AttestationErrorCode.AGGREGATE_ALREADY_KNOWN]: IGNORE,
  [AttestationErrorCode.FORK_CHOICE_REJECTED]: IGNORE,
  [AttestationErrorCode.COMMITTEE_INDEX_OUT_OF_RANGE]: REJECT,
  [AttestationErrorCode.WRONG_SUBNET]: REJECT,
  [AttestationErrorCode.BAD_TARGET_EPOCH]: REJECT,
  [AttestationErrorCode.NOT_EXACTLY_ONE_AGGREGATION_BIT_SET]: REJECT,
  [AttestationErrorCode.EMPTY_AGGREGATION_BITFIELD]: REJECT,
  [AttestationErrorCode.WRONG_NUMBER_OF_AGGREGATION_BITS]: REJECT,
  [AttestationErrorCode.INVALID_BEACON_BLOCK]: REJECT,
  [AttestationErrorCode.INVALID_TARGET_ROOT]: REJECT,
  [AttestationErrorCode.INVALID_SIGNATURE]: REJECT,
  [AttestationErrorCode.AGGREGATOR_NOT_IN_COMMITTEE]: REJECT,
  [AttestationErrorCode.INVALID_AGGREGATOR]: REJECT,
  [AttestationErrorCode.INVALID_SELECTION_PROOF]: REJECT,
  [AttestationErrorCode.INVALID_AGGREGATOR_SIGNATURE]: REJECT,
  [AttestationErrorCode.AGGREGATOR_INDEX_OUT_OF_RANGE]: REJECT,

  [OperationErrorCode.ALREADY_KNOWN]: IGNORE,
  [OperationErrorCode.INVALID]: REJECT,
};

export const ACCEPT_VERDICT: GossipVerdict = {action: GossipAction.ACCEPT, reason: ""};

export function verdict(action: GossipAction, reason: string): GossipVerdict {
  return {action, reason};
}

/**
 * The verdict of a validation error. A typed error without a gossip action, or an unexpected
 * error, is IGNORE: the node could not decide, which is no proof against the sender.
 */
export function verdictOfError(e: unknown): GossipVerdict {
  if (e instanceof GnomonError) return {action: GOSSIP_ACTION_BY_CODE[e.code] ?? IGNORE, reason: e.code};
  return {action: IGNORE, reason: "INTERNAL_ERROR"};
}
