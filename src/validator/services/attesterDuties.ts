/**
 * Attester duties of the client's validators for an epoch, each with its selection proof and
 * aggregator flag (validator.md "Aggregation selection"), and the committee subscriptions the
 * node needs ahead of the slot. Duties of epoch E depend on the block at the last slot of E-2
 * (previous_duty_dependent_root of a head in E, current_duty_dependent_root of a head in E-1).
 */
import {computeEpochAtSlot} from "../../state-transition/index.ts";
import {toHex} from "../../util/bytes.ts";
import {errorMessage} from "../../util/errors.ts";
import type {Logger} from "../../util/logger.ts";
import type {BeaconApiClient} from "../api/client.ts";
import type {AttesterDuty, HeadEvent} from "../api/types.ts";
import {isAggregator} from "../signing/aggregator.ts";
import {SIGNATURES_PER_TURN, yieldToEventLoop, type Signer} from "../signing/signer.ts";
import {isStale} from "./dependentRoot.ts";
import {EpochCache} from "./epochCache.ts";
import type {ValidatorIndices} from "./indices.ts";

export interface ScheduledAttesterDuty extends AttesterDuty {
  selectionProof: Uint8Array;
  isAggregator: boolean;
}

export interface AttesterDutiesDeps {
  api: BeaconApiClient;
  signer: Signer;
  indices: ValidatorIndices;
  logger: Logger;
  /** The current slot: subscriptions are sent only for slots still to come. */
  currentSlot(): number;
}

export class AttesterDutiesService {
  readonly cache: EpochCache<ScheduledAttesterDuty[]>;
  private readonly deps: AttesterDutiesDeps;

  constructor(deps: AttesterDutiesDeps) {
    this.deps = deps;
    this.cache = new EpochCache((epoch) => this.fetch(epoch));
  }

  async dutiesAt(slot: number): Promise<ScheduledAttesterDuty[]> {
    return (await this.cache.get(computeEpochAtSlot(slot))).filter((d) => d.slot === slot);
  }

  onHead(head: HeadEvent): void {
    const epoch = computeEpochAtSlot(head.slot);
    this.recheck(epoch, head.previousDutyDependentRoot);
    this.recheck(epoch + 1, head.currentDutyDependentRoot);
  }

  private recheck(epoch: number, dependentRoot: Uint8Array): void {
    if (!isStale(this.cache.peek(epoch), dependentRoot)) return;
    this.deps.logger.info({epoch, dependentRoot: toHex(dependentRoot)}, "attester duties changed with the head: re-fetching");
    this.cache.invalidate(epoch).catch((e: unknown) => this.deps.logger.warn({epoch, err: errorMessage(e)}, "attester duties re-fetch failed"));
  }

  private async fetch(epoch: number): Promise<{dependentRoot: Uint8Array | null; value: ScheduledAttesterDuty[]}> {
    const {api, signer, indices, logger} = this.deps;
    const known = indices.all();
    if (known.length === 0) return {dependentRoot: null, value: []};
    const res = await api.getAttesterDuties(epoch, known);
    const duties: ScheduledAttesterDuty[] = [];
    for (const d of res.duties) {
      if (!signer.hasKey(d.pubkey)) continue;
      const selectionProof = signer.signSelectionProof(d.pubkey, d.slot);
      duties.push({...d, selectionProof, isAggregator: isAggregator(d.committeeLength, selectionProof)});
      if (duties.length % SIGNATURES_PER_TURN === 0) await yieldToEventLoop();
    }
    logger.debug({epoch, duties: duties.length, aggregators: duties.filter((d) => d.isAggregator).length}, "attester duties");
    this.subscribe(duties);
    return {dependentRoot: res.dependentRoot, value: duties};
  }

  /** One subscription per duty still to come; the node prepares the committee's subnet. */
  private subscribe(duties: ScheduledAttesterDuty[]): void {
    const now = this.deps.currentSlot();
    const upcoming = duties.filter((d) => d.slot >= now);
    if (upcoming.length === 0) return;
    this.deps.api
      .submitBeaconCommitteeSubscriptions(
        upcoming.map((d) => ({
          validatorIndex: d.validatorIndex,
          committeeIndex: d.committeeIndex,
          committeesAtSlot: d.committeesAtSlot,
          slot: d.slot,
          isAggregator: d.isAggregator,
        }))
      )
      .catch((e: unknown) => this.deps.logger.warn({err: errorMessage(e)}, "beacon committee subscriptions failed"));
  }
}
