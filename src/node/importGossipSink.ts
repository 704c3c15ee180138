/**
 * A GossipSink over the chain's own import entry points (processBlock, submitAttestations, ...),
 * which already run the gossip checks the REST pool endpoints share. Their typed errors become
 * verdicts: a message that is known, early or waiting for its parent is IGNOREd, one that breaks
 * a rule is REJECTed. The chain's dedicated gossip validation, where present, replaces this.
 */
import type {BeaconChain} from "../chain/index.ts";
import {AttestationErrorCode, BlockErrorCode, BlockImportError, OperationError, OperationErrorCode} from "../chain/index.ts";
import {GossipAction, type GossipMessage, type GossipSink, type GossipVerdict} from "../chain/gossip/interface.ts";
import type {ItemFailure} from "../chain/interface.ts";

const ACCEPT: GossipVerdict = {action: GossipAction.ACCEPT, reason: ""};

const BLOCK_IGNORE = new Set<string>([BlockErrorCode.ALREADY_KNOWN, BlockErrorCode.PARENT_UNKNOWN, BlockErrorCode.FUTURE_SLOT, BlockErrorCode.WOULD_REVERT_FINALIZED]);
const ATTESTATION_IGNORE = new Set<string>([
  AttestationErrorCode.PAST_SLOT,
  AttestationErrorCode.FUTURE_SLOT,
  AttestationErrorCode.PRIOR_ATTESTATION_KNOWN,
  AttestationErrorCode.UNKNOWN_BEACON_BLOCK_ROOT,
  AttestationErrorCode.UNKNOWN_TARGET_ROOT,
  AttestationErrorCode.AGGREGATOR_ALREADY_KNOWN,
  AttestationErrorCode.FORK_CHOICE_REJECTED,
]);

function fromFailures(failures: ItemFailure[]): GossipVerdict {
  const f = failures[0];
  if (f === undefined) return ACCEPT;
  return {action: ATTESTATION_IGNORE.has(f.code) ? GossipAction.IGNORE : GossipAction.REJECT, reason: f.code};
}

function fromError(e: unknown): GossipVerdict {
  if (e instanceof BlockImportError) return {action: BLOCK_IGNORE.has(e.code) ? GossipAction.IGNORE : GossipAction.REJECT, reason: e.code};
  if (e instanceof OperationError) return {action: e.code === OperationErrorCode.ALREADY_KNOWN ? GossipAction.IGNORE : GossipAction.REJECT, reason: e.code};
  // Anything else (the node stopping, a storage error) is not the sender's fault.
  return {action: GossipAction.IGNORE, reason: (e as {code?: string}).code ?? "INTERNAL_ERROR"};
}

export function importGossipSink(chain: BeaconChain): GossipSink {
  return {
    async onGossip(message: GossipMessage): Promise<GossipVerdict> {
      try {
        switch (message.kind) {
          case "beacon_block":
            await chain.processBlock(message.value, "gossip");
            return ACCEPT;
          case "beacon_attestation":
            return fromFailures(await chain.submitAttestations([message.value]));
          case "beacon_aggregate_and_proof":
            return fromFailures(await chain.submitAggregateAndProofs([message.value]));
          case "voluntary_exit":
            await chain.submitVoluntaryExit(message.value);
            return ACCEPT;
          case "proposer_slashing":
            await chain.submitProposerSlashing(message.value);
            return ACCEPT;
          case "attester_slashing":
            await chain.submitAttesterSlashing(message.value);
            return ACCEPT;
        }
      } catch (e) {
        return fromError(e);
      }
    },
  };
}
