/**
 * Attesting and aggregating (validator.md "Attesting", "Attestation aggregation"). A slot's
 * attestations are made once: as soon as the slot's block becomes head, or at
 * ATTESTATION_DUE_BPS into the slot, whichever comes first. Each committee's data is asked for
 * once, every signature of the slot goes through one slashing-protection write, and the
 * attestations are submitted in one request. At AGGREGATE_DUE_BPS each aggregator fetches the
 * node's best aggregate for its committee's data and publishes it with its selection proof.
 */
import {BitArray} from "@chainsafe/ssz";
import {ssz, type Attestation, type AttestationData, type SignedAggregateAndProof} from "../../types/index.ts";
import {errorMessage, GnomonError} from "../../util/errors.ts";
import type {Logger} from "../../util/logger.ts";
import {BeaconApiError, failureLogLevel} from "../api/errors.ts";
import type {BeaconApiClient} from "../api/client.ts";
import {SlashingProtectionError} from "../slashingProtection/index.ts";
import type {Signer} from "../signing/signer.ts";
import type {AttesterDutiesService, ScheduledAttesterDuty} from "./attesterDuties.ts";
import type {DutyStats} from "./stats.ts";

export class AttestationDataMismatchError extends GnomonError {
  constructor(message: string) {
    super("ATTESTATION_DATA_MISMATCH", message);
  }
}

/** What attesting a slot left for its aggregators: each committee's data and its root. */
interface SlotAttestations {
  done: Promise<Map<number, {data: AttestationData; root: Uint8Array}>>;
}

export interface AttestationDeps {
  api: BeaconApiClient;
  signer: Signer;
  duties: AttesterDutiesService;
  stats: DutyStats;
  logger: Logger;
}

/** Slots kept in memory after they are over (aggregation of a slot runs within it). */
const KEEP_SLOTS = 2;

export class AttestationService {
  private readonly deps: AttestationDeps;
  private readonly slots = new Map<number, SlotAttestations>();

  constructor(deps: AttestationDeps) {
    this.deps = deps;
  }

  /** The slot's block is head, or its attestation time came: attest (once per slot). */
  attest(slot: number): Promise<void> {
    let s = this.slots.get(slot);
    if (s === undefined) {
      s = {done: this.produceAndPublish(slot)};
      this.slots.set(slot, s);
      for (const old of this.slots.keys()) if (old < slot - KEEP_SLOTS) this.slots.delete(old);
    }
    return s.done.then(() => undefined);
  }

  hasAttested(slot: number): boolean {
    return this.slots.has(slot);
  }

  private async produceAndPublish(slot: number): Promise<Map<number, {data: AttestationData; root: Uint8Array}>> {
    const {api, signer, duties, stats, logger} = this.deps;
    const committees = new Map<number, {data: AttestationData; root: Uint8Array}>();
    const slotDuties = await duties.dutiesAt(slot).catch((e: unknown) => {
      logger[failureLogLevel(e)]({slot, err: errorMessage(e)}, "attester duties unavailable: not attesting");
      return [] as ScheduledAttesterDuty[];
    });
    if (slotDuties.length === 0) return committees;

    const byCommittee = groupByCommittee(slotDuties);
    await Promise.all(
      [...byCommittee.keys()].map(async (committeeIndex) => {
        try {
          const data = await api.produceAttestationData(slot, committeeIndex);
          if (data.slot !== slot || data.index !== committeeIndex) {
            throw new AttestationDataMismatchError(`asked for slot ${slot} committee ${committeeIndex}, got slot ${data.slot} committee ${data.index}`);
          }
          committees.set(committeeIndex, {data, root: ssz.AttestationData.hashTreeRoot(data)});
        } catch (e) {
          const n = byCommittee.get(committeeIndex)!.length;
          stats.add("attestationsFailed", n);
          logger[failureLogLevel(e)]({slot, committeeIndex, validators: n, err: errorMessage(e)}, "attestation data unavailable");
        }
      })
    );

    const jobs = slotDuties.filter((d) => committees.has(d.committeeIndex));
    if (jobs.length === 0) return committees;
    const signatures = await signer.signAttestations(jobs.map((d) => ({pubkey: d.pubkey, data: committees.get(d.committeeIndex)!.data})));
    const attestations: Attestation[] = [];
    jobs.forEach((duty, i) => {
      const sig = signatures[i];
      if (sig instanceof Error) {
        stats.add("attestationsFailed");
        if (sig instanceof SlashingProtectionError) {
          stats.add("refusedBySlashingProtection");
          logger.warn({slot, validator: duty.validatorIndex, code: sig.code, ...sig.details}, `attestation not signed: ${sig.message}`);
        } else {
          logger.error({slot, validator: duty.validatorIndex, err: sig.message}, "attestation not signed");
        }
        return;
      }
      attestations.push({
        aggregation_bits: BitArray.fromSingleBit(duty.committeeLength, duty.validatorCommitteeIndex),
        data: committees.get(duty.committeeIndex)!.data,
        signature: sig,
      });
    });
    if (attestations.length === 0) return committees;

    await this.publish(slot, "attestations", attestations, (items) => api.submitAttestations(items));
    return committees;
  }

  /** AGGREGATE_DUE_BPS into the slot: publish the aggregates of this slot's aggregators. */
  async aggregate(slot: number): Promise<void> {
    const {api, signer, duties, stats, logger} = this.deps;
    const s = this.slots.get(slot);
    if (s === undefined) return;
    const committees = await s.done;
    const aggregators = (await duties.dutiesAt(slot).catch(() => [] as ScheduledAttesterDuty[])).filter(
      (d) => d.isAggregator && committees.has(d.committeeIndex)
    );
    if (aggregators.length === 0) return;

    const signed: SignedAggregateAndProof[] = [];
    await Promise.all(
      [...groupByCommittee(aggregators)].map(async ([committeeIndex, members]) => {
        const {root} = committees.get(committeeIndex)!;
        try {
          const aggregate = await api.getAggregateAttestation(slot, root, committeeIndex);
          if (aggregate === null) {
            logger.debug({slot, committeeIndex}, "no aggregate known to the node");
            return;
          }
          if (!ssz.AttestationData.equals(aggregate.data, committees.get(committeeIndex)!.data)) {
            throw new AttestationDataMismatchError(`the aggregate for committee ${committeeIndex} at slot ${slot} has other data than asked for`);
          }
          for (const d of members) {
            signed.push(signer.signAggregateAndProof(d.pubkey, {aggregator_index: d.validatorIndex, aggregate, selection_proof: d.selectionProof}));
          }
        } catch (e) {
          stats.add("aggregatesFailed", members.length);
          logger[failureLogLevel(e)]({slot, committeeIndex, err: errorMessage(e)}, "aggregate unavailable");
        }
      })
    );
    if (signed.length === 0) return;
    await this.publish(slot, "aggregates", signed, (items) => api.submitAggregateAndProofs(items));
  }

  /**
   * Submits a slot's batch in one request and counts it: when the node names the items it
   * refused, only those failed; any other error fails the whole batch.
   */
  private async publish<T>(slot: number, what: "attestations" | "aggregates", items: T[], submit: (items: T[]) => Promise<void>): Promise<void> {
    const {stats, logger} = this.deps;
    try {
      await submit(items);
      stats.add(`${what}Published`, items.length);
      logger.debug({slot, [what]: items.length}, `${what} published`);
    } catch (e) {
      const failures = e instanceof BeaconApiError ? e.failures : [];
      const failed = failures.length > 0 ? failures.length : items.length;
      stats.add(`${what}Published`, items.length - failed);
      stats.add(`${what}Failed`, failed);
      logger[failureLogLevel(e)]({slot, failed, of: items.length, err: errorMessage(e), failures: failures.slice(0, 3)}, `submission of ${what} failed`);
    }
  }
}

function groupByCommittee<T extends {committeeIndex: number}>(duties: T[]): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const d of duties) {
    const list = out.get(d.committeeIndex);
    if (list === undefined) out.set(d.committeeIndex, [d]);
    else list.push(d);
  }
  return out;
}
