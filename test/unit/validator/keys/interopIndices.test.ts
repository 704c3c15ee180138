import {strict as assert} from "node:assert";
import {InputError} from "../../../../src/util/errors.ts";
import {parseInteropIndices} from "../../../../src/validator/keys/interopIndices.ts";
import {encodeGraffiti} from "../../../../src/validator/client.ts";

describe("validator / keys: --interop-indices", () => {
  it("reads inclusive ranges and lists", () => {
    assert.deepEqual(parseInteropIndices("0..63"), Array.from({length: 64}, (_, i) => i));
    assert.deepEqual(parseInteropIndices("0,5,7..9"), [0, 5, 7, 8, 9]);
    assert.deepEqual(parseInteropIndices(" 3 , 1..1"), [3, 1]);
  });

  it("refuses malformed items, reversed ranges and duplicates with the item named", () => {
    for (const [spec, pattern] of [
      ["", /empty item/],
      ["1,,2", /empty item/],
      ["a..3", /"a\.\.3"/],
      ["-1", /"-1"/],
      ["01", /"01"/],
      ["5..2", /ends before it starts/],
      ["1..3,2", /index 2 is given twice/],
      ["0..99999999", /more than/],
      ["1...3", /"1\.\.\.3"/],
    ] as const) {
      assert.throws(() => parseInteropIndices(spec), (e: unknown) => e instanceof InputError && pattern.test(e.message), spec);
    }
  });
});

describe("validator / graffiti", () => {
  it("pads UTF-8 to 32 bytes and refuses longer text", () => {
    const g = encodeGraffiti("gnomon ☀");
    assert.equal(g.length, 32);
    assert.equal(new TextDecoder().decode(g.subarray(0, 10)), "gnomon ☀");
    assert.ok(g.subarray(10).every((b) => b === 0));
    assert.deepEqual(encodeGraffiti(undefined), new Uint8Array(32));
    assert.throws(() => encodeGraffiti("x".repeat(33)), /33 bytes/);
  });
});
