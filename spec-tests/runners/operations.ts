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
  /** The operation's file: <input>.ssz_snappy. */
  input: string;
  /** Decodes the operation (with the active preset's type) and returns its processing. */
  decode(bytes: Uint8Array): (s: CachedBeaconState, verifySignatures: boolean) => void;
}

/** A handler whose operation, of the SSZ type `type()` returns, is processed by `apply`. */
function operation<T>(
  input: string,
  type: () => {deserialize(bytes: Uint8Array): T},
  apply: (s: CachedBeaconState, op: T, verifySignatures: boolean) => void
): Handler {
  return {
    input,
    decode(bytes) {
      const op = type().deserialize(bytes);
      return (s, verifySignatures) => apply(s, op, verifySignatures);
    },
  };
}

// The SSZ types are read when a case runs: `ssz` follows the preset of the vectors.
const handlers: Record<string, Handler> = {
  attestation: operation("attestation", () => ssz.Attestation, (s, op, verifySignatures) => processAttestation(s, op, {verifySignatures})),
  attester_slashing: operation("attester_slashing", () => ssz.AttesterSlashing, (s, op, verifySignatures) =>
    processAttesterSlashing(s, op, {verifySignatures})
  ),
  block_header: operation("block", () => ssz.BeaconBlock, (s, op) => processBlockHeader(s, op)),
  deposit: operation("deposit", () => ssz.Deposit, (s, op) => processDeposit(s, op)),
  proposer_slashing: operation("proposer_slashing", () => ssz.ProposerSlashing, (s, op, verifySignatures) =>
    processProposerSlashing(s, op, {verifySignatures})
  ),
  voluntary_exit: operation("voluntary_exit", () => ssz.SignedVoluntaryExit, (s, op, verifySignatures) =>
    processVoluntaryExit(s, op, {verifySignatures})
  ),
};

export const runner: Runner = {
  name: "operations",
  run(ctx: CaseContext): void {
    const handler = handlers[ctx.handler];
    if (handler === undefined) throw new SkipCase(`operations handler ${ctx.handler} is not a phase0 operation`);
    const meta = readMeta(ctx);
    const s = loadCachedState(ctx, "pre");
    let apply: (s: CachedBeaconState, verifySignatures: boolean) => void;
    try {
      apply = handler.decode(ctx.readSsz(handler.input));
    } catch (e) {
      throw new CaseFailure(`${handler.input}.ssz_snappy does not decode: ${(e as Error).message}`);
    }
    const verify = verifySignatures(meta);
    if (!ctx.has("post.ssz_snappy")) {
      assertRejected(`the ${ctx.handler} operation`, () => apply(s, verify));
      return;
    }
    apply(s, verify);
    assertStateEquals(ctx, s.state);
  },
};
