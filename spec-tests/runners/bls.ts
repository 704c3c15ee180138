/**
 * bls (consensus-specs tests/formats/bls): each case is one data.yaml with `input` and `output`;
 * an `output` of null means the operation must fail. Verification handlers expect a boolean.
 */
import {
  aggregate,
  aggregateVerify,
  CryptoError,
  fastAggregateVerify,
  secretKeyFromBytes,
  sign,
  verify,
} from "../../src/crypto/index.ts";
import {fromHex, toHex} from "../../src/util/bytes.ts";
import {CaseFailure, SkipCase, type CaseContext, type Runner} from "../harness/types.ts";

interface BlsCase {
  input: unknown;
  output: unknown;
}

function malformed(what: string): CaseFailure {
  return new CaseFailure(`malformed data.yaml: ${what}`);
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw malformed(`${what} is not a mapping`);
  return value as Record<string, unknown>;
}

function hex(value: unknown, what: string): Uint8Array {
  if (typeof value !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(value)) throw malformed(`${what} is not 0x-prefixed hex`);
  return fromHex(value);
}

function hexList(value: unknown, what: string): Uint8Array[] {
  if (!Array.isArray(value)) throw malformed(`${what} is not a list`);
  return value.map((v, i) => hex(v, `${what}[${i}]`));
}

function expectBool(output: unknown): boolean {
  if (typeof output !== "boolean") throw malformed("output is not a boolean");
  return output;
}

/** null (must fail) or the expected bytes. */
function expectBytesOrNull(output: unknown): Uint8Array | null {
  return output === null ? null : hex(output, "output");
}

function checkBool(handler: string, expected: boolean, actual: boolean): void {
  if (actual !== expected) throw new CaseFailure(`${handler}: expected ${expected}, got ${actual}`);
}

/** Runs an operation that yields bytes or fails with a CryptoError; compares with the vector. */
function checkBytes(handler: string, expected: Uint8Array | null, op: () => Uint8Array): void {
  let actual: Uint8Array;
  try {
    actual = op();
  } catch (e) {
    if (!(e instanceof CryptoError)) throw e;
    if (expected === null) return;
    throw new CaseFailure(`${handler}: expected ${toHex(expected)}, but it failed: ${e.message}`);
  }
  if (expected === null) throw new CaseFailure(`${handler}: expected a failure, got ${toHex(actual)}`);
  if (toHex(actual) !== toHex(expected)) throw new CaseFailure(`${handler}: expected ${toHex(expected)}, got ${toHex(actual)}`);
}

const handlers: Record<string, (input: unknown, output: unknown) => void> = {
  sign(input, output) {
    const i = record(input, "input");
    const privkey = hex(i.privkey, "input.privkey");
    const message = hex(i.message, "input.message");
    checkBytes("sign", expectBytesOrNull(output), () => sign(secretKeyFromBytes(privkey), message));
  },
  verify(input, output) {
    const i = record(input, "input");
    const ok = verify(hex(i.pubkey, "input.pubkey"), hex(i.message, "input.message"), hex(i.signature, "input.signature"));
    checkBool("verify", expectBool(output), ok);
  },
  aggregate(input, output) {
    const sigs = hexList(input, "input");
    checkBytes("aggregate", expectBytesOrNull(output), () => aggregate(sigs));
  },
  fast_aggregate_verify(input, output) {
    const i = record(input, "input");
    const ok = fastAggregateVerify(
      hexList(i.pubkeys, "input.pubkeys"),
      hex(i.message, "input.message"),
      hex(i.signature, "input.signature"),
    );
    checkBool("fast_aggregate_verify", expectBool(output), ok);
  },
  aggregate_verify(input, output) {
    const i = record(input, "input");
    const ok = aggregateVerify(
      hexList(i.pubkeys, "input.pubkeys"),
      hexList(i.messages, "input.messages"),
      hex(i.signature, "input.signature"),
    );
    checkBool("aggregate_verify", expectBool(output), ok);
  },
};

export const runner: Runner = {
  name: "bls",
  run(ctx: CaseContext): void {
    const handler = handlers[ctx.handler];
    if (handler === undefined) {
      // eth_aggregate_pubkeys and eth_fast_aggregate_verify belong to Altair (sync committees).
      throw new SkipCase(`bls handler ${ctx.handler} is not part of phase0`);
    }
    const data = record(ctx.readYaml<BlsCase>("data"), "data.yaml");
    if (!("input" in data) || !("output" in data)) throw malformed("missing input or output");
    handler(data.input, data.output);
  },
};
