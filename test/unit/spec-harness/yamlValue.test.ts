import {strict as assert} from "node:assert";
import {BitListType, ByteVectorType, ContainerType, ListBasicType, UintBigintType, UintNumberType, VectorBasicType} from "@chainsafe/ssz";
import {parseVectorYaml} from "../../../spec-tests/harness/yaml.ts";
import {valueFromYaml} from "../../../spec-tests/harness/sszValue.ts";
import {YamlError} from "../../../spec-tests/harness/errors.ts";
import {CaseFailure} from "../../../spec-tests/harness/types.ts";

describe("spec-harness YAML", () => {
  it("parses integers as exact bigints and keeps 0x strings as strings, quoted or not", () => {
    assert.deepEqual(parseVectorYaml("a: 18446744073709551615\nb: 0x05\nc: '0x06'\nd: [1, 2]\n", "t.yaml"), {
      a: 18446744073709551615n,
      b: "0x05",
      c: "0x06",
      d: [1n, 2n],
    });
  });

  it("malformed YAML throws YamlError naming the file and the line", () => {
    assert.throws(
      () => parseVectorYaml("a: 1\nb: [2, 3\n", "value.yaml"),
      (e: unknown) => e instanceof YamlError && /^value\.yaml: malformed YAML \(line \d+, column \d+\): /.test(e.message)
    );
    assert.throws(() => parseVectorYaml("a: 1\na: 2\n", "meta.yaml"), /meta\.yaml: malformed YAML .*unique/);
  });
});

describe("spec-harness YAML -> SSZ value", () => {
  const Inner = new ContainerType({x: new UintNumberType(2), bits: new BitListType(8)});
  const Outer = new ContainerType({
    big: new UintBigintType(16),
    far: new UintNumberType(8, {clipInfinity: true}),
    hash: new ByteVectorType(4),
    list: new ListBasicType(new UintNumberType(1), 3),
    vec: new VectorBasicType(new UintBigintType(8), 2),
    inner: Inner,
  });
  const good = {
    big: "340282366920938463463374607431768211455",
    far: 18446744073709551615n,
    hash: "0x01020304",
    list: [1n, 2n],
    vec: [18446744073709551615n, 0n],
    inner: {x: 513n, bits: "0x0d"},
  };

  it("builds the value the vector means", () => {
    const v = valueFromYaml(Outer, good) as ReturnType<typeof Outer.defaultValue>;
    assert.equal(v.big, 2n ** 128n - 1n);
    assert.equal(v.far, Infinity, "2**64-1 in a number-backed uint64 is Infinity");
    assert.deepEqual(v.hash, new Uint8Array([1, 2, 3, 4]));
    assert.deepEqual(v.list, [1, 2]);
    assert.deepEqual(v.vec, [2n ** 64n - 1n, 0n]);
    assert.equal(v.inner.x, 513);
    assert.deepEqual(v.inner.bits.toBoolArray(), [true, false, true]);
  });

  const bad: [string, Record<string, unknown>, RegExp][] = [
    ["a missing field", {...good, inner: {x: 1n}}, /^value\.inner\.bits: missing field$/],
    ["an extra field", {...good, extra: 1n}, /^value: unknown field\(s\) of .*: extra$/],
    ["an integer out of range", {...good, inner: {...good.inner, x: 65536n}}, /^value\.inner\.x: 65536 does not fit in uint16$/],
    ["a negative integer", {...good, inner: {...good.inner, x: -1n}}, /^value\.inner\.x: -1 does not fit in uint16$/],
    ["an integer written as a fraction", {...good, inner: {...good.inner, x: 1.5}}, /^value\.inner\.x: expected an unsigned integer, got number 1\.5$/],
    ["a list over its limit", {...good, list: [1n, 2n, 3n, 4n]}, /^value\.list: 4 items exceed the limit of 3$/],
    ["a vector of the wrong length", {...good, vec: [1n]}, /^value\.vec: expected 2 items, got 1$/],
    ["bytes of the wrong length", {...good, hash: "0x0102"}, /^value\.hash: expected 4 bytes of hex, got 2$/],
    ["a bitlist without its delimiter bit", {...good, inner: {...good.inner, bits: "0x00"}}, /^value\.inner\.bits: not a bitlist of at most 8 bits/],
    ["a number-backed uint64 above 2**53", {...good, far: 2n ** 60n}, /^value\.far: 1152921504606846976 is too large \(above 2\^53 and not 2\^64-1\)$/],
    ["a non-hex byte string", {...good, hash: "01020304"}, /^value\.hash: expected 0x-prefixed hex, got "01020304"$/],
  ];
  for (const [what, yaml, message] of bad) {
    it(`refuses ${what}`, () => {
      assert.throws(() => valueFromYaml(Outer, yaml), (e: unknown) => e instanceof CaseFailure && message.test(e.message));
    });
  }
});
