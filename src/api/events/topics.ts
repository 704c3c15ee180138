/**
 * The event-stream topics Gnomon emits and their JSON, exactly as the beacon-APIs eventstream
 * defines them. `head_v2` is the newer form of `head` (same event, dependent roots named by the
 * epoch they decide).
 */
import type {ChainEvents} from "../../chain/interface.ts";
import {ssz} from "../../types/index.ts";
import {toHex} from "../../util/bytes.ts";
import {headEventToJson} from "../codec/beaconApi.ts";
import {FORK_NAME} from "../http/response.ts";

export const EMITTED_TOPICS = [
  "head",
  "head_v2",
  "block",
  "attestation",
  "voluntary_exit",
  "finalized_checkpoint",
  "chain_reorg",
  "attester_slashing",
  "proposer_slashing",
] as const;
export type Topic = (typeof EMITTED_TOPICS)[number];

/** Topics the API defines for later forks or for gossip Gnomon does not have: accepted, never sent. */
export const SILENT_TOPICS = [
  "block_gossip",
  "single_attestation",
  "bls_to_execution_change",
  "contribution_and_proof",
  "light_client_finality_update",
  "light_client_optimistic_update",
  "payload_attributes",
  "blob_sidecar",
  "data_column_sidecar",
  "execution_payload",
  "execution_payload_gossip",
  "execution_payload_available",
  "execution_payload_bid",
  "payload_attestation_message",
  "fast_confirmation",
  "proposer_preferences",
] as const;

/** The chain event each topic listens to, and how its payload becomes the API's JSON. */
export const TOPIC_SOURCES: {[T in Topic]: {event: keyof ChainEvents; toJson(payload: never): unknown}} = {
  head: {
    event: "head",
    toJson: headEventToJson,
  },
  head_v2: {
    event: "head",
    toJson: (e: ChainEvents["head"][0]) => ({
      version: FORK_NAME,
      data: {
        slot: String(e.slot),
        block: toHex(e.block),
        state: toHex(e.state),
        epoch_transition: e.epochTransition,
        current_epoch_dependent_root: toHex(e.previousDutyDependentRoot),
        next_epoch_dependent_root: toHex(e.currentDutyDependentRoot),
        execution_optimistic: e.executionOptimistic,
      },
    }),
  },
  block: {
    event: "block",
    toJson: (e: ChainEvents["block"][0]) => ({slot: String(e.slot), block: toHex(e.block), execution_optimistic: e.executionOptimistic}),
  },
  attestation: {event: "attestation", toJson: (a: ChainEvents["attestation"][0]) => ssz.Attestation.toJson(a)},
  voluntary_exit: {event: "voluntary_exit", toJson: (x: ChainEvents["voluntary_exit"][0]) => ssz.SignedVoluntaryExit.toJson(x)},
  attester_slashing: {event: "attester_slashing", toJson: (x: ChainEvents["attester_slashing"][0]) => ssz.AttesterSlashing.toJson(x)},
  proposer_slashing: {event: "proposer_slashing", toJson: (x: ChainEvents["proposer_slashing"][0]) => ssz.ProposerSlashing.toJson(x)},
  finalized_checkpoint: {
    event: "finalized_checkpoint",
    toJson: (e: ChainEvents["finalized_checkpoint"][0]) => ({
      block: toHex(e.block),
      state: toHex(e.state),
      epoch: String(e.epoch),
      execution_optimistic: e.executionOptimistic,
    }),
  },
  chain_reorg: {
    event: "chain_reorg",
    toJson: (e: ChainEvents["chain_reorg"][0]) => ({
      slot: String(e.slot),
      depth: String(e.depth),
      old_head_block: toHex(e.oldHeadBlock),
      new_head_block: toHex(e.newHeadBlock),
      old_head_state: toHex(e.oldHeadState),
      new_head_state: toHex(e.newHeadState),
      epoch: String(e.epoch),
      execution_optimistic: e.executionOptimistic,
    }),
  },
};
