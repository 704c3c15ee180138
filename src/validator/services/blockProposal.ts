/**
 * Block proposal at the slot start (validator.md "Block proposal"): the randao reveal for the
 * epoch, a block from the node (produceBlockV3), a check that it is the block asked for, the
 * signature (after slashing protection recorded it), and publication as SSZ.
 */
import {GENESIS_SLOT} from "../../params/index.ts";
import {computeEpochAtSlot} from "../../state-transition/index.ts";
import {bytesEqual, toHex} from "../../util/bytes.ts";
import {errorMessage, GnomonError} from "../../util/errors.ts";
import type {Logger} from "../../util/logger.ts";
import type {BeaconApiClient} from "../api/client.ts";
import {failureLogLevel} from "../api/errors.ts";
import type {ProposerDuty} from "../api/types.ts";
import {SlashingProtectionError} from "../slashingProtection/index.ts";
import type {Signer} from "../signing/signer.ts";
import type {ProposerDutiesService} from "./proposerDuties.ts";
import type {DutyStats} from "./stats.ts";

export class ProducedBlockMismatchError extends GnomonError {
  constructor(message: string) {
    super("PRODUCED_BLOCK_MISMATCH", message);
  }
}

export interface BlockProposalDeps {
  api: BeaconApiClient;
  signer: Signer;
  duties: ProposerDutiesService;
  graffiti: (pubkey: Uint8Array) => Uint8Array;
  stats: DutyStats;
  logger: Logger;
}

export class BlockProposalService {
  private readonly deps: BlockProposalDeps;

  constructor(deps: BlockProposalDeps) {
    this.deps = deps;
  }

  async onSlot(slot: number): Promise<void> {
    // The genesis block is not proposed.
    if (slot === GENESIS_SLOT) return;
    const duties = await this.deps.duties.dutiesAt(slot);
    await Promise.all(duties.map((d) => this.propose(d)));
  }

  private async propose(duty: ProposerDuty): Promise<void> {
    const {api, signer, graffiti, stats, logger} = this.deps;
    const log = logger.child({slot: duty.slot, validator: duty.validatorIndex});
    try {
      const randaoReveal = signer.signRandao(duty.pubkey, computeEpochAtSlot(duty.slot));
      const {block} = await api.produceBlock(duty.slot, randaoReveal, graffiti(duty.pubkey));
      if (block.slot !== duty.slot || block.proposer_index !== duty.validatorIndex) {
        throw new ProducedBlockMismatchError(
          `asked for slot ${duty.slot} proposer ${duty.validatorIndex}, got slot ${block.slot} proposer ${block.proposer_index}`
        );
      }
      if (!bytesEqual(block.body.randao_reveal, randaoReveal)) throw new ProducedBlockMismatchError("the block does not carry our randao reveal");
      const signed = await signer.signBlock(duty.pubkey, block);
      const status = await api.publishBlock(signed);
      stats.add("blocksProposed");
      if (status === 202) log.warn("block broadcast, but the node did not import it (202)");
      else log.debug({attestations: block.body.attestations.length, parent: toHex(block.parent_root)}, "block published");
    } catch (e) {
      stats.add("blocksFailed");
      if (e instanceof SlashingProtectionError) {
        stats.add("refusedBySlashingProtection");
        log.warn({code: e.code, ...e.details}, `block not signed: ${e.message}`);
      } else if (await this.isSlashed(duty)) {
        // Slashed validators stay in the proposer lottery until they exit, but the state
        // transition refuses their blocks: expected, once the validator was slashed.
        log.warn("block not proposed: the validator is slashed (a slashed validator's block is invalid)");
      } else {
        log[failureLogLevel(e)]({code: (e as GnomonError).code, err: errorMessage(e)}, "block proposal failed");
      }
    }
  }

  /** Whether the chain has the duty's validator slashed (false when the node cannot say). */
  private async isSlashed(duty: ProposerDuty): Promise<boolean> {
    try {
      const [v] = await this.deps.api.getValidatorsByPubkey([duty.pubkey]);
      return v !== undefined && v.status.endsWith("_slashed");
    } catch {
      return false;
    }
  }
}
