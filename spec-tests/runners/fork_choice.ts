/**
 * fork_choice (consensus-specs tests/formats/fork_choice): a store from anchor_state and
 * anchor_block, then steps.yaml in order. A block step also feeds the block's attestations to
 * on_attestation (is_from_block) and its attester slashings to on_attester_slashing. A step
 * marked `valid: false` must be refused and must leave the store exactly as it was.
 */
import {createCachedBeaconState} from "../../src/state-transition/index.ts";
import {getForkchoiceStore, type Store} from "../../src/fork-choice/store/store.ts";
import {ssz} from "../../src/types/index.ts";
import {toHex} from "../../src/util/bytes.ts";
import {GnomonError} from "../../src/util/errors.ts";
import {CaseFailure, type CaseContext, type Runner} from "../harness/types.ts";

type Step = Record<string, unknown>;

function malformed(what: string): CaseFailure {
  return new CaseFailure(`malformed steps.yaml: ${what}`);
}

function uint(value: unknown, what: string): number {
  if (typeof value !== "bigint" && typeof value !== "number") throw malformed(`${what} is not an integer`);
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw malformed(`${what} (${String(value)}) is out of range`);
  return n;
}

function hexRoot(value: unknown, what: string): string {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(value)) throw malformed(`${what} is not a 32-byte root`);
  return value.toLowerCase();
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw malformed(`${what} is not a mapping`);
  return value as Record<string, unknown>;
}

function fileName(value: unknown, what: string): string {
  if (typeof value !== "string" || !/^[A-Za-z0-9_]+$/.test(value)) throw malformed(`${what} is not a file name`);
  return value;
}

function expectEqual(what: string, expected: unknown, actual: unknown): void {
  if (expected !== actual) throw new CaseFailure(`${what}: expected ${String(expected)}, got ${String(actual)}`);
}

/** Runs a handler that the step expects to succeed (valid) or to be refused without effect. */
function runHandler(store: Store, valid: boolean, what: string, fn: () => void): void {
  if (valid) {
    try {
      fn();
    } catch (e) {
      throw new CaseFailure(`${what}: expected to be accepted, refused: ${e instanceof Error ? e.message : String(e)}`);
    }
    return;
  }
  const before = JSON.stringify(store.snapshot());
  let refused = false;
  try {
    fn();
  } catch (e) {
    // Only the project's typed rejection is a refusal: a TypeError or a stack overflow on an
    // invalid step is a bug that merely happens to stop the step.
    if (!(e instanceof GnomonError)) {
      throw new CaseFailure(`${what}: expected a typed refusal, got ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`);
    }
    refused = true;
  }
  if (!refused) throw new CaseFailure(`${what}: expected to be refused, accepted`);
  if (JSON.stringify(store.snapshot()) !== before) throw new CaseFailure(`${what}: refused, but the store changed`);
}

function checkpointCheck(what: string, expected: unknown, actual: {epoch: number; root: Uint8Array}): void {
  const e = record(expected, what);
  expectEqual(`${what}.epoch`, uint(e.epoch, `${what}.epoch`), actual.epoch);
  expectEqual(`${what}.root`, hexRoot(e.root, `${what}.root`), toHex(actual.root));
}

function runChecks(store: Store, checks: Record<string, unknown>, at: string): void {
  for (const [key, expected] of Object.entries(checks)) {
    const what = `${at} ${key}`;
    switch (key) {
      case "head": {
        const e = record(expected, what);
        const head = store.getHead();
        expectEqual(`${what}.slot`, uint(e.slot, `${what}.slot`), head.slot);
        expectEqual(`${what}.root`, hexRoot(e.root, `${what}.root`), toHex(head.root));
        break;
      }
      case "time":
        expectEqual(what, uint(expected, what), store.time);
        break;
      case "genesis_time":
        expectEqual(what, uint(expected, what), store.genesisTime);
        break;
      case "justified_checkpoint":
        checkpointCheck(what, expected, store.justifiedCheckpoint);
        break;
      case "finalized_checkpoint":
        checkpointCheck(what, expected, store.finalizedCheckpoint);
        break;
      case "proposer_boost_root":
        expectEqual(what, hexRoot(expected, what), toHex(store.proposerBoostRoot));
        break;
      case "get_proposer_head": {
        const head = store.getHead();
        const proposerHead = store.getProposerHead(head.root, store.getCurrentSlot());
        expectEqual(what, hexRoot(expected, what), toHex(proposerHead));
        break;
      }
      case "viable_for_head_roots_and_weights": {
        if (!Array.isArray(expected)) throw malformed(`${what} is not a list`);
        const want = expected
          .map((x, i) => {
            const r = record(x, `${what}[${i}]`);
            return `${hexRoot(r.root, `${what}[${i}].root`)}:${BigInt(uint(r.weight, `${what}[${i}].weight`))}`;
          })
          .sort();
        const got = store.forkChoice
          .getViableForHeadRootsAndWeights()
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

export const runner: Runner = {
  name: "fork_choice",
  run(ctx: CaseContext): void {
    let verifySignatures = true;
    if (ctx.has("meta.yaml")) {
      const meta = record(ctx.readYaml("meta"), "meta.yaml");
      // bls_setting 2: signatures are not meant to verify.
      if (meta.bls_setting !== undefined && Number(meta.bls_setting) === 2) verifySignatures = false;
    }
    const anchorState = ssz.BeaconState.deserializeToViewDU(ctx.readSsz("anchor_state"));
    const anchorBlock = ssz.BeaconBlock.deserialize(ctx.readSsz("anchor_block"));
    const store = getForkchoiceStore(createCachedBeaconState(anchorState), anchorBlock, {verifySignatures});
    const steps = ctx.readYaml<unknown>("steps");
    if (!Array.isArray(steps)) throw malformed("not a list of steps");

    steps.forEach((raw, n) => {
      const step = record(raw, `step ${n}`) as Step;
      const at = `step ${n}`;
      const valid = step.valid === undefined ? true : step.valid === true;
      if (step.valid !== undefined && typeof step.valid !== "boolean") throw malformed(`${at}: valid is not a boolean`);
      const keys = Object.keys(step).filter((k) => k !== "valid");
      if (keys.length !== 1) throw malformed(`${at}: expected one action, got ${keys.join(", ")}`);
      const kind = keys[0];

      switch (kind) {
        case "tick": {
          const time = uint(step.tick, `${at} tick`);
          runHandler(store, valid, `${at} on_tick(${time})`, () => store.onTick(time));
          break;
        }
        case "block": {
          const name = fileName(step.block, `${at} block`);
          const signed = ssz.SignedBeaconBlock.deserialize(ctx.readSsz(name));
          const expectedRoot = name.slice("block_".length);
          const root = toHex(ssz.BeaconBlock.hashTreeRoot(signed.message));
          if (name.startsWith("block_0x") && root !== expectedRoot.toLowerCase()) {
            throw new CaseFailure(`${at}: ${name} holds a block with root ${root}`);
          }
          runHandler(store, valid, `${at} on_block(${name})`, () => {
            store.onBlock(signed);
          });
          if (valid) {
            const body = signed.message.body;
            body.attestations.forEach((att, i) =>
              runHandler(store, true, `${at} on_attestation(block attestation ${i})`, () => store.onAttestation(att, true))
            );
            body.attester_slashings.forEach((slashing, i) =>
              runHandler(store, true, `${at} on_attester_slashing(block slashing ${i})`, () => store.onAttesterSlashing(slashing))
            );
          }
          break;
        }
        case "attestation": {
          const name = fileName(step.attestation, `${at} attestation`);
          const att = ssz.Attestation.deserialize(ctx.readSsz(name));
          runHandler(store, valid, `${at} on_attestation(${name})`, () => store.onAttestation(att, false));
          break;
        }
        case "attester_slashing": {
          const name = fileName(step.attester_slashing, `${at} attester_slashing`);
          const slashing = ssz.AttesterSlashing.deserialize(ctx.readSsz(name));
          runHandler(store, valid, `${at} on_attester_slashing(${name})`, () => store.onAttesterSlashing(slashing));
          break;
        }
        case "checks":
          runChecks(store, record(step.checks, `${at} checks`), at);
          break;
        default:
          throw new CaseFailure(`${at}: step "${kind}" is not a phase0 fork-choice step`);
      }
    });
  },
};
