/**
 * What both fork_choice replays share (the Store replay in fork_choice.ts, the chain replay in
 * fork_choice_chain.ts): steps.yaml read into typed steps, and the checks compared against a view
 * of whichever implementation replayed them.
 */
import {ssz, type Attestation, type AttesterSlashing, type SignedBeaconBlock} from "../../src/types/index.ts";
import {toHex} from "../../src/util/bytes.ts";
import {GnomonError} from "../../src/util/errors.ts";
import {CaseFailure, type CaseContext} from "../harness/types.ts";
import {yamlFields} from "./yamlFields.ts";

const {malformed, uint, hexRoot, record, fileName} = yamlFields("steps.yaml");

export type ForkChoiceStep = {at: string; valid: boolean} & (
  | {kind: "tick"; time: number}
  | {kind: "block"; name: string; signed: SignedBeaconBlock}
  | {kind: "attestation"; name: string; attestation: Attestation}
  | {kind: "attester_slashing"; name: string; slashing: AttesterSlashing}
  | {kind: "checks"; checks: Record<string, unknown>}
);

/** Reads steps.yaml and the files it names; a block file named by its root must hold that block. */
export function readSteps(ctx: CaseContext): ForkChoiceStep[] {
  const steps = ctx.readYaml<unknown>("steps");
  if (!Array.isArray(steps)) throw malformed("not a list of steps");
  return steps.map((raw, n): ForkChoiceStep => {
    const at = `step ${n}`;
    const step = record(raw, at);
    if (step.valid !== undefined && typeof step.valid !== "boolean") throw malformed(`${at}: valid is not a boolean`);
    const valid = step.valid !== false;
    const keys = Object.keys(step).filter((k) => k !== "valid");
    if (keys.length !== 1) throw malformed(`${at}: expected one action, got ${keys.join(", ")}`);
    const kind = keys[0];
    switch (kind) {
      case "tick":
        return {at, valid, kind, time: uint(step.tick, `${at} tick`)};
      case "block": {
        const name = fileName(step.block, `${at} block`);
        const signed = ssz.SignedBeaconBlock.deserialize(ctx.readSsz(name));
        const root = toHex(ssz.BeaconBlock.hashTreeRoot(signed.message));
        if (name.startsWith("block_0x") && root !== name.slice("block_".length).toLowerCase()) {
          throw new CaseFailure(`${at}: ${name} holds a block with root ${root}`);
        }
        return {at, valid, kind, name, signed};
      }
      case "attestation": {
        const name = fileName(step.attestation, `${at} attestation`);
        return {at, valid, kind, name, attestation: ssz.Attestation.deserialize(ctx.readSsz(name))};
      }
      case "attester_slashing": {
        const name = fileName(step.attester_slashing, `${at} attester_slashing`);
        return {at, valid, kind, name, slashing: ssz.AttesterSlashing.deserialize(ctx.readSsz(name))};
      }
      case "checks":
        return {at, valid, kind, checks: record(step.checks, `${at} checks`)};
      default:
        throw new CaseFailure(`${at}: step "${kind}" is not a phase0 fork-choice step`);
    }
  });
}

/** What the checks read, roots as lowercase hex. */
export interface ForkChoiceView {
  head(): {slot: number; root: string};
  time(): number;
  genesisTime(): number;
  justified(): {epoch: number; root: string};
  finalized(): {epoch: number; root: string};
  proposerBoostRoot(): string;
  /** get_proposer_head(store, get_head(store), get_current_slot(store)). */
  proposerHead(): string;
  viableForHeadRootsAndWeights(): {root: string; weight: bigint}[];
}

export function expectEqual(what: string, expected: unknown, actual: unknown): void {
  if (expected !== actual) throw new CaseFailure(`${what}: expected ${String(expected)}, got ${String(actual)}`);
}

function checkpointCheck(what: string, expected: unknown, actual: {epoch: number; root: string}): void {
  const e = record(expected, what);
  expectEqual(`${what}.epoch`, uint(e.epoch, `${what}.epoch`), actual.epoch);
  expectEqual(`${what}.root`, hexRoot(e.root, `${what}.root`), actual.root);
}

export function runChecks(view: ForkChoiceView, checks: Record<string, unknown>, at: string): void {
  for (const [key, expected] of Object.entries(checks)) {
    const what = `${at} ${key}`;
    switch (key) {
      case "head": {
        const e = record(expected, what);
        const head = view.head();
        expectEqual(`${what}.slot`, uint(e.slot, `${what}.slot`), head.slot);
        expectEqual(`${what}.root`, hexRoot(e.root, `${what}.root`), head.root);
        break;
      }
      case "time":
        expectEqual(what, uint(expected, what), view.time());
        break;
      case "genesis_time":
        expectEqual(what, uint(expected, what), view.genesisTime());
        break;
      case "justified_checkpoint":
        checkpointCheck(what, expected, view.justified());
        break;
      case "finalized_checkpoint":
        checkpointCheck(what, expected, view.finalized());
        break;
      case "proposer_boost_root":
        expectEqual(what, hexRoot(expected, what), view.proposerBoostRoot());
        break;
      case "get_proposer_head":
        expectEqual(what, hexRoot(expected, what), view.proposerHead());
        break;
      case "viable_for_head_roots_and_weights": {
        if (!Array.isArray(expected)) throw malformed(`${what} is not a list`);
        const want = expected
          .map((x, i) => {
            const r = record(x, `${what}[${i}]`);
            return `${hexRoot(r.root, `${what}[${i}].root`)}:${BigInt(uint(r.weight, `${what}[${i}].weight`))}`;
          })
          .sort();
        const got = view
          .viableForHeadRootsAndWeights()
          .map((l) => `${l.root}:${l.weight}`)
          .sort();
        expectEqual(what, want.join(", "), got.join(", "));
        break;
      }
      default:
        throw new CaseFailure(`${what}: unknown check`);
    }
  }
}

/** The step's handler must succeed (valid) or be refused, leaving `state()` as it was. */
export async function expectOutcome(valid: boolean, what: string, state: () => string | Promise<string>, fn: () => unknown): Promise<void> {
  if (valid) {
    try {
      await fn();
    } catch (e) {
      throw new CaseFailure(`${what}: expected to be accepted, refused: ${e instanceof Error ? e.message : String(e)}`);
    }
    return;
  }
  const before = await state();
  let refused = false;
  try {
    await fn();
  } catch (e) {
    // Only the project's typed rejection is a refusal: a TypeError or a stack overflow on an
    // invalid step is a bug that merely happens to stop the step.
    if (!(e instanceof GnomonError)) {
      throw new CaseFailure(`${what}: expected a typed refusal, got ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`);
    }
    refused = true;
  }
  if (!refused) throw new CaseFailure(`${what}: expected to be refused, accepted`);
  if ((await state()) !== before) throw new CaseFailure(`${what}: refused, but the state changed`);
}
