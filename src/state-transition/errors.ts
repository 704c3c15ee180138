/**
 * Typed failures of the state transition. `code` names the spec condition that failed, so a
 * caller (chain import, gossip validation, a spec-test runner) can tell why without parsing text.
 * A failed transition never leaves a half-applied state behind for the caller: stateTransition
 * works on a clone, and the lower-level functions document that they mutate their argument.
 */
import {GnomonError} from "../util/errors.ts";

export class StateTransitionError extends GnomonError {}

/** A block (or one of its operations) breaks a `process_block` condition. */
export class BlockProcessingError extends StateTransitionError {}

/** An epoch sub-transition cannot complete (e.g. a uint64 overflow the spec treats as invalid). */
export class EpochProcessingError extends StateTransitionError {}

/** Slot processing was asked to go backwards or stand still. */
export class SlotProcessingError extends StateTransitionError {}

/** Arithmetic that the spec's Uint64 would reject (overflow or underflow). */
export class Uint64Error extends StateTransitionError {}
