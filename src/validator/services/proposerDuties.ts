/**
 * Proposer duties of the client's validators, per epoch. They depend on the block at the last
 * slot of the previous epoch (the head event's current_duty_dependent_root); a head whose root
 * differs from the one the duties came with triggers a re-fetch.
 */
import {computeEpochAtSlot} from "../../state-transition/index.ts";
import {toHex} from "../../util/bytes.ts";
import {errorMessage} from "../../util/errors.ts";
import type {Logger} from "../../util/logger.ts";
import type {BeaconApiClient} from "../api/client.ts";
import type {HeadEvent, ProposerDuty} from "../api/types.ts";
import type {Signer} from "../signing/signer.ts";
import {isStale} from "./dependentRoot.ts";
import {EpochCache} from "./epochCache.ts";

export class ProposerDutiesService {
  readonly cache: EpochCache<ProposerDuty[]>;
  private readonly logger: Logger;

  constructor(api: BeaconApiClient, signer: Signer, logger: Logger) {
    this.logger = logger;
    this.cache = new EpochCache(async (epoch) => {
      const res = await api.getProposerDuties(epoch);
      const ours = res.duties.filter((d) => signer.hasKey(d.pubkey));
      if (ours.length > 0) logger.debug({epoch, slots: ours.map((d) => d.slot)}, "proposer duties");
      return {dependentRoot: res.dependentRoot, value: ours};
    });
  }

  async dutiesAt(slot: number): Promise<ProposerDuty[]> {
    return (await this.cache.get(computeEpochAtSlot(slot))).filter((d) => d.slot === slot);
  }

  onHead(head: HeadEvent): void {
    const epoch = computeEpochAtSlot(head.slot);
    if (!isStale(this.cache.peek(epoch), head.currentDutyDependentRoot)) return;
    this.logger.info({epoch, dependentRoot: toHex(head.currentDutyDependentRoot)}, "proposer duties changed with the head: re-fetching");
    this.cache.invalidate(epoch).catch((e: unknown) => this.logger.warn({epoch, err: errorMessage(e)}, "proposer duties re-fetch failed"));
  }
}
