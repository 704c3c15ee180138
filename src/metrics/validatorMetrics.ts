/**
 * The validator client's Prometheus metrics: its keys by status, the duties it holds, and what it
 * published or failed to, so a dashboard shows a client that stopped attesting.
 */
import {Counter, Gauge, Registry} from "prom-client";

export const VC_DUTY_KINDS = ["block", "attestation", "aggregate"] as const;
export type VcDutyKind = (typeof VC_DUTY_KINDS)[number];

export interface ValidatorMetrics {
  readonly register: Registry;
  /** Keys by status: active, pending (deposit not yet processed), not_found, exited... */
  readonly validators: Gauge<"status">;
  /** Duties held for the current epoch. */
  readonly attesterDuties: Gauge;
  readonly proposerDuties: Gauge;
  readonly published: Counter<"duty">;
  readonly errors: Counter<"duty">;
  readonly slashingProtectionRefusals: Counter;
}

export function createValidatorMetrics(register: Registry = new Registry()): ValidatorMetrics {
  const published = new Counter({name: "vc_published_total", help: "Blocks, attestations and aggregates published", labelNames: ["duty"], registers: [register]});
  const errors = new Counter({name: "vc_errors_total", help: "Duties that failed", labelNames: ["duty"], registers: [register]});
  // Zero series from the start, so a rate() over a quiet client reads 0, not "no data".
  for (const duty of VC_DUTY_KINDS) {
    published.inc({duty}, 0);
    errors.inc({duty}, 0);
  }
  return {
    register,
    validators: new Gauge({name: "vc_validators", help: "The client's keys by status on chain", labelNames: ["status"], registers: [register]}),
    attesterDuties: new Gauge({name: "vc_attester_duties", help: "Attester duties of the current epoch", registers: [register]}),
    proposerDuties: new Gauge({name: "vc_proposer_duties", help: "Proposer duties of the current epoch", registers: [register]}),
    published,
    errors,
    slashingProtectionRefusals: new Counter({name: "vc_slashing_protection_refusals_total", help: "Signatures slashing protection refused", registers: [register]}),
  };
}
