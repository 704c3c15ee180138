/**
 * What a fuzz target is. A byte-level target (a decoder run in this process) gives fast-check an
 * arbitrary and a check; a check returns null when the input was handled correctly (accepted, or
 * refused the way the project refuses), else what went wrong. To fuzz a new decoder (gossip
 * messages, req/resp frames, JSON-RPC responses), add one file under targets/ and list it in
 * targets/index.ts.
 */
import fc from "fast-check";

export interface InProcessTarget<T = unknown> {
  name: string;
  /** One line on what is fuzzed and what the oracle demands. */
  description: string;
  arbitrary: fc.Arbitrary<T>;
  /** null when the input was handled correctly, else the violation (async for stream decoders and HTTP). */
  check(input: T): string | null | Promise<string | null>;
  /** The input as JSON-safe data for a replayable case. */
  show(input: T): unknown;
}

/** The seed of the `index`th input of a run: every input can be regenerated on its own. */
export function seedAt(seed: number, index: number): number {
  return (Math.imul(index + 1, 0x9e3779b1) ^ seed) | 0;
}

/** The `index`th input of a run of `arbitrary` seeded with `seed`. */
export function sampleAt<T>(arbitrary: fc.Arbitrary<T>, seed: number, index: number): T {
  return fc.sample(arbitrary, {seed: seedAt(seed, index), numRuns: 1})[0];
}

/** An exception a decoder may use to refuse input; anything else (a TypeError, a stack overflow) is a bug. */
export function isCleanRefusal(e: unknown): boolean {
  return e instanceof Error && (e.constructor === Error || !(e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError || e instanceof SyntaxError));
}

export function hexOf(bytes: Uint8Array): string {
  return "0x" + Buffer.from(bytes).toString("hex");
}

/** Random bytes or a valid encoding with a few bytes changed, inserted, or cut off. */
export function mutatedBytes(valid: fc.Arbitrary<Uint8Array>, maxLength: number): fc.Arbitrary<Uint8Array> {
  const mutation = fc.oneof(
    fc.record({kind: fc.constant("set" as const), at: fc.nat(), byte: fc.integer({min: 0, max: 255})}),
    fc.record({kind: fc.constant("insert" as const), at: fc.nat(), bytes: fc.uint8Array({maxLength: 8})}),
    fc.record({kind: fc.constant("cut" as const), at: fc.nat()}),
    fc.record({kind: fc.constant("u32" as const), at: fc.nat(), value: fc.oneof(fc.nat(), fc.constantFrom(0, 1, 4, 0xffffffff, 0x7fffffff))})
  );
  const mutated = fc.tuple(valid, fc.array(mutation, {minLength: 1, maxLength: 4})).map(([bytes, ms]) => {
    let b = Uint8Array.from(bytes);
    for (const m of ms) {
      const at = b.length === 0 ? 0 : m.at % (b.length + 1);
      if (m.kind === "set" && at < b.length) b[at] = m.byte;
      else if (m.kind === "insert") b = Uint8Array.from([...b.subarray(0, at), ...m.bytes, ...b.subarray(at)]);
      else if (m.kind === "cut") b = b.subarray(0, at);
      else if (m.kind === "u32" && at + 4 <= b.length) new DataView(b.buffer, b.byteOffset).setUint32(at, m.value >>> 0, true);
    }
    return b;
  });
  return fc.oneof({arbitrary: mutated, weight: 3}, {arbitrary: fc.uint8Array({maxLength}), weight: 1}, {arbitrary: valid, weight: 1});
}

/** A string with a few characters cut and others inserted at random places. */
export function mutatedText(text: string, maxEdits = 3): fc.Arbitrary<string> {
  return fc.array(fc.tuple(fc.nat(), fc.nat({max: 4}), fc.string({maxLength: 4})), {minLength: 1, maxLength: maxEdits}).map((edits) => {
    let t = text;
    for (const [at, cut, ins] of edits) {
      const i = at % (t.length + 1);
      t = t.slice(0, i) + ins + t.slice(i + cut);
    }
    return t;
  });
}
