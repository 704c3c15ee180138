/**
 * Typed errors of the chain. Each code names the condition that failed, so the REST API can map
 * it to a status (unknown -> 404, invalid -> 400, not ready -> 503) and a log line can say why.
 */
import {GnomonError} from "../util/errors.ts";

/** Codes of BlockImportError. */
export const BlockErrorCode = {
  /** The block is already imported (or is the anchor). Not a fault of the block. */
  ALREADY_KNOWN: "BLOCK_ALREADY_KNOWN",
  /** The parent block is unknown to fork choice. */
  PARENT_UNKNOWN: "BLOCK_PARENT_UNKNOWN",
  /** The block's slot is later than the current clock slot (plus the allowed disparity). */
  FUTURE_SLOT: "BLOCK_FUTURE_SLOT",
  /** The block's slot is at or before the finalized slot, or it does not descend from it. */
  WOULD_REVERT_FINALIZED: "BLOCK_WOULD_REVERT_FINALIZED",
  /** The block's slot is not later than its parent's. */
  NOT_LATER_THAN_PARENT: "BLOCK_NOT_LATER_THAN_PARENT",
  /** The state transition rejected the block; `cause` carries the failed condition. */
  INVALID: "BLOCK_INVALID",
  /** Fork choice rejected the block; `cause` carries the failed condition. */
  FORK_CHOICE_REJECTED: "BLOCK_FORK_CHOICE_REJECTED",
  /** The bytes are not a SignedBeaconBlock of the active preset. */
  DECODE_FAILED: "BLOCK_DECODE_FAILED",
  /** A block with a valid signature was already seen for this slot and proposer (gossip). */
  REPEAT_PROPOSAL: "BLOCK_REPEAT_PROPOSAL",
  /** The proposer index is not a validator index. */
  PROPOSER_INDEX_OUT_OF_RANGE: "BLOCK_PROPOSER_INDEX_OUT_OF_RANGE",
  /** The proposer's signature does not verify. */
  INVALID_PROPOSER_SIGNATURE: "BLOCK_INVALID_PROPOSER_SIGNATURE",
  /** The parent block is known to have failed validation. */
  PARENT_INVALID: "BLOCK_PARENT_INVALID",
  /** The finalized checkpoint is not an ancestor of the block. */
  FINALIZED_NOT_ANCESTOR: "BLOCK_FINALIZED_NOT_ANCESTOR",
  /** The proposer index is not the expected proposer of the slot on the parent's branch. */
  INCORRECT_PROPOSER: "BLOCK_INCORRECT_PROPOSER",
} as const;
export type BlockErrorCode = (typeof BlockErrorCode)[keyof typeof BlockErrorCode];

export class BlockImportError extends GnomonError {
  declare readonly code: BlockErrorCode;
  /** For INVALID / FORK_CHOICE_REJECTED: the code of the underlying error (e.g. INVALID_STATE_ROOT). */
  readonly reason: string | undefined;
  constructor(code: BlockErrorCode, message: string, options?: ErrorOptions & {reason?: string}) {
    super(code, message, options);
    this.reason = options?.reason;
  }
}

/** Codes of AttestationError (p2p-interface.md beacon_attestation / beacon_aggregate_and_proof rules). */
export const AttestationErrorCode = {
  COMMITTEE_INDEX_OUT_OF_RANGE: "ATTESTATION_COMMITTEE_INDEX_OUT_OF_RANGE",
  PAST_SLOT: "ATTESTATION_PAST_SLOT",
  FUTURE_SLOT: "ATTESTATION_FUTURE_SLOT",
  BAD_TARGET_EPOCH: "ATTESTATION_BAD_TARGET_EPOCH",
  NOT_EXACTLY_ONE_AGGREGATION_BIT_SET: "ATTESTATION_NOT_EXACTLY_ONE_AGGREGATION_BIT_SET",
  EMPTY_AGGREGATION_BITFIELD: "ATTESTATION_EMPTY_AGGREGATION_BITFIELD",
  WRONG_NUMBER_OF_AGGREGATION_BITS: "ATTESTATION_WRONG_NUMBER_OF_AGGREGATION_BITS",
  /** The validator already has a different attestation for this target epoch. */
  PRIOR_ATTESTATION_KNOWN: "ATTESTATION_PRIOR_ATTESTATION_KNOWN",
  UNKNOWN_BEACON_BLOCK_ROOT: "ATTESTATION_UNKNOWN_BEACON_BLOCK_ROOT",
  UNKNOWN_TARGET_ROOT: "ATTESTATION_UNKNOWN_TARGET_ROOT",
  INVALID_TARGET_ROOT: "ATTESTATION_INVALID_TARGET_ROOT",
  NOT_DESCENDANT_OF_FINALIZED: "ATTESTATION_NOT_DESCENDANT_OF_FINALIZED",
  INVALID_SIGNATURE: "ATTESTATION_INVALID_SIGNATURE",
  // aggregate-and-proof only
  AGGREGATOR_NOT_IN_COMMITTEE: "ATTESTATION_AGGREGATOR_NOT_IN_COMMITTEE",
  AGGREGATOR_ALREADY_KNOWN: "ATTESTATION_AGGREGATOR_ALREADY_KNOWN",
  INVALID_AGGREGATOR: "ATTESTATION_INVALID_AGGREGATOR",
  INVALID_SELECTION_PROOF: "ATTESTATION_INVALID_SELECTION_PROOF",
  INVALID_AGGREGATOR_SIGNATURE: "ATTESTATION_INVALID_AGGREGATOR_SIGNATURE",
  AGGREGATOR_INDEX_OUT_OF_RANGE: "ATTESTATION_AGGREGATOR_INDEX_OUT_OF_RANGE",
  /** Fork choice's on_attestation refused it; `reason` carries its code. */
  FORK_CHOICE_REJECTED: "ATTESTATION_FORK_CHOICE_REJECTED",
  /** The attestation was received on another subnet than compute_subnet_for_attestation's. */
  WRONG_SUBNET: "ATTESTATION_WRONG_SUBNET",
  /** The block voted for is known to have failed validation. */
  INVALID_BEACON_BLOCK: "ATTESTATION_INVALID_BEACON_BLOCK",
  /** A seen aggregate of the same data already has every bit of this one (gossip). */
  AGGREGATE_ALREADY_KNOWN: "ATTESTATION_AGGREGATE_ALREADY_KNOWN",
} as const;
export type AttestationErrorCode = (typeof AttestationErrorCode)[keyof typeof AttestationErrorCode];

export class AttestationError extends GnomonError {
  declare readonly code: AttestationErrorCode;
  readonly reason: string | undefined;
  constructor(code: AttestationErrorCode, message: string, options?: ErrorOptions & {reason?: string}) {
    super(code, message, options);
    this.reason = options?.reason;
  }
}

/** Codes of OperationError (slashings, exits). */
export const OperationErrorCode = {
  /** The state-transition check failed; `reason` carries its code (e.g. VOLUNTARY_EXIT_NOT_ACTIVE). */
  INVALID: "OPERATION_INVALID",
  /** Already in the pool (or every slashable validator in it is already slashed / covered). */
  ALREADY_KNOWN: "OPERATION_ALREADY_KNOWN",
} as const;
export type OperationErrorCode = (typeof OperationErrorCode)[keyof typeof OperationErrorCode];

export class OperationError extends GnomonError {
  declare readonly code: OperationErrorCode;
  readonly reason: string | undefined;
  constructor(code: OperationErrorCode, message: string, options?: ErrorOptions & {reason?: string}) {
    super(code, message, options);
    this.reason = options?.reason;
  }
}

/** Codes of ChainRequestError: a request the chain cannot serve as asked (REST 400/404/503). */
export const ChainRequestErrorCode = {
  /** The request names an epoch or slot outside what the chain can answer (400). */
  OUT_OF_RANGE: "CHAIN_REQUEST_OUT_OF_RANGE",
  /** A referenced block or state is not known (404). */
  NOT_FOUND: "CHAIN_REQUEST_NOT_FOUND",
  /** Input fails a check (bad randao reveal, unknown validator index...) (400). */
  INVALID: "CHAIN_REQUEST_INVALID",
  /** The node cannot answer yet (before genesis, shutting down) (503). */
  NOT_READY: "CHAIN_REQUEST_NOT_READY",
} as const;
export type ChainRequestErrorCode = (typeof ChainRequestErrorCode)[keyof typeof ChainRequestErrorCode];

export class ChainRequestError extends GnomonError {
  declare readonly code: ChainRequestErrorCode;
  constructor(code: ChainRequestErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}
