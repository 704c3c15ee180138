import assert from "node:assert/strict";
import {addUint64, GweiSum, integerSquareroot, subUint64, Uint64Error} from "../../../src/state-transition/index.ts";

function isCode(code: string): (e: unknown) => boolean {
  return (e) => e instanceof Uint64Error && e.code === code;
}

/** A deterministic stream of 64-bit values. */
function* uint64s(count: number): Generator<bigint> {
  let x = 0x9e3779b97f4a7c15n;
  for (let i = 0; i < count; i++) {
    x = (x * 6364136223846793005n + 1442695040888963407n) & (2n ** 64n - 1n);
    yield x >> BigInt(i % 64);
  }
}

describe("state-transition: uint64 math", () => {
  it("adds exactly below 2**53 and beyond it while the sum fits a uint64", () => {
    assert.equal(addUint64(1, 2), 3);
    assert.equal(addUint64(2 ** 53 - 1, 1), 2 ** 53);
    assert.equal(addUint64(2 ** 60, 2 ** 60), 2 ** 61);
  });

  it("fails like the spec's Uint64 when an addition overflows", () => {
    // 2**64-2 decodes to the double 2**64; adding a delay to it overflows (registry_updates vector).
    assert.throws(() => addUint64(Number(2n ** 64n - 2n), 256), isCode("UINT64_OVERFLOW"));
    // FAR_FUTURE_EPOCH (2**64-1, Infinity here) plus anything positive.
    assert.throws(() => addUint64(Infinity, 1), isCode("UINT64_OVERFLOW"));
    assert.equal(addUint64(Infinity, 0), Infinity);
    assert.throws(() => subUint64(3, 4), isCode("UINT64_UNDERFLOW"));
    assert.equal(subUint64(4, 4), 0);
  });

  it("integer_squareroot is exact for any uint64", () => {
    assert.equal(integerSquareroot(2n ** 64n - 1n), 4294967295);
    assert.equal(integerSquareroot(0n), 0);
    assert.equal(integerSquareroot(15n), 3);
    assert.equal(integerSquareroot(16n), 4);
    for (const r of [2n ** 32n - 1n, 3037000499n, 123456789n]) {
      assert.equal(integerSquareroot(r * r), Number(r));
      assert.equal(integerSquareroot(r * r - 1n), Number(r - 1n));
      assert.equal(integerSquareroot(r * r + 2n * r), Number(r));
    }
    for (const n of uint64s(2000)) {
      const x = BigInt(integerSquareroot(n));
      assert.ok(x * x <= n && (x + 1n) * (x + 1n) > n, `isqrt(${n}) = ${x}`);
    }
  });

  it("GweiSum keeps sums past 2**53 exact", () => {
    const sum = new GweiSum(1_000_000_000);
    let exact = 0n;
    // One million validators at 32 ETH plus odd remainders: far above 2**53 Gwei in total.
    for (let i = 0; i < 1_000_000; i++) {
      const gwei = 32_000_000_000 + (i % 977);
      sum.add(gwei);
      exact += BigInt(gwei);
    }
    assert.equal(sum.toBigInt(), exact);
    assert.equal(sum.wholeIncrements(), Number(exact / 1_000_000_000n));
    assert.ok(exact > 2n ** 53n);
  });
});
