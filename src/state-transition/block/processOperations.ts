/** beacon-chain.md process_operations. */
import {MAX_DEPOSITS} from "../../params/index.ts";
import type {BeaconBlockBody} from "../../types/index.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";
import {BlockProcessingError} from "../errors.ts";
import {subUint64} from "../util/math.ts";
import {processAttestation} from "./processAttestation.ts";
import {processAttesterSlashing} from "./processAttesterSlashing.ts";
import {processDeposit} from "./processDeposit.ts";
import {processProposerSlashing} from "./processProposerSlashing.ts";
import {processVoluntaryExit} from "./processVoluntaryExit.ts";
import type {BlockProcessingOpts} from "./types.ts";

export function processOperations(s: CachedBeaconState, body: BeaconBlockBody, opts: BlockProcessingOpts = {}): void {
  const {state} = s;
  const pending = subUint64(state.eth1_data.deposit_count, state.eth1_deposit_index);
  const expected = Math.min(MAX_DEPOSITS, pending);
  if (body.deposits.length !== expected) {
    throw new BlockProcessingError(
      "BLOCK_INVALID_DEPOSIT_COUNT",
      `block has ${body.deposits.length} deposits, ${expected} outstanding deposits must be included`
    );
  }
  for (const op of body.proposer_slashings) processProposerSlashing(s, op, opts);
  for (const op of body.attester_slashings) processAttesterSlashing(s, op, opts);
  for (const op of body.attestations) processAttestation(s, op, opts);
  for (const op of body.deposits) processDeposit(s, op);
  for (const op of body.voluntary_exits) processVoluntaryExit(s, op, opts);
}
