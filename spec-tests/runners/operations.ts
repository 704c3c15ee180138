/**
 * operations (consensus-specs tests/formats/operations): one phase0 operation applied to `pre`
 * with its processing function alone; `post` absent means the operation must be rejected.
 */
import {
  processAttestation,
  processAttesterSlashing,
  processBlockHeader,
  processDeposit,
  processProposerSlashing,
  processVoluntaryExit,
  type CachedBeaconState,
} from "../../src/state-transition/index.ts";
import {ssz} from "../../src/types/index.ts";
import {CaseFailure, SkipCase, type CaseContext, type Runner} from "../harness/types.ts";
import {assertRejected, assertStateEquals, loadCachedState, readMeta, verifySignatures} from "./sanity.ts";

interface Handler {
  input: string;
  type: {deserialize(bytes: Uint8Array): unknown};
  apply(s: CachedBeaconState, op: unknown, verify: boolean): void;
}

const handlers: Record<string, () => Handler> = {
  attestation: () => ({
    input: "attestation",
    type: ssz.Attestation,
    apply: (s, op, verify) => processAttestation(s, op as never, {verifySignatures: verify}),
  }),
  attester_slashing: () => ({
    input: "attester_slashing",
    type: ssz.AttesterSlashing,
    apply: (s, op, verify) => processAttesterSlashing(s, op as never, {verifySignatures: verify}),
  }),
  block_header: () => ({
    input: "block",
    type: ssz.BeaconBlock,
    apply: (s, op) => processBlockHeader(s, op as never),
  }),
  deposit: () => ({
    input: "deposit",
    type: ssz.Deposit,
    apply: (s, op) => processDeposit(s, op as never),
  }),
  proposer_slashing: () => ({
    input: "proposer_slashing",
    type: ssz.ProposerSlashing,
    apply: (s, op, verify) => processProposerSlashing(s, op as never, {verifySignatures: verify}),
  }),
  voluntary_exit: () => ({
    input: "voluntary_exit",
    type: ssz.SignedVoluntaryExit,
    apply: (s, op, verify) => processVoluntaryExit(s, op as never, {verifySignatures: verify}),
  }),
};

export const runner: Runner = {
  name: "operations",
  run(ctx: CaseContext): void {
    const make = handlers[ctx.handler];
    if (make === undefined) throw new SkipCase(`operations handler ${ctx.handler} is not a phase0 operation`);
    const handler = make();
    const meta = readMeta(ctx);
    const s = loadCachedState(ctx, "pre");
    let op: unknown;
    try {
      op = handler.type.deserialize(ctx.readSsz(handler.input));
    } catch (e) {
      throw new CaseFailure(`${handler.input}.ssz_snappy does not decode: ${(e as Error).message}`);
    }
    const verify = verifySignatures(meta);
    if (!ctx.has("post.ssz_snappy")) {
      assertRejected(`the ${ctx.handler} operation`, () => handler.apply(s, op, verify));
      return;
    }
    handler.apply(s, op, verify);
    assertStateEquals(ctx, s.state);
  },
};
