import assert from "node:assert/strict";
import {ssz} from "../../../src/types/index.ts";
import {balancesToViewDU} from "../../../src/state-transition/epoch/writeBalances.ts";
import {toHex} from "../../../src/util/bytes.ts";

describe("state-transition: bulk balance write", () => {
  it("builds the same list as the SSZ type, roots precomputed, for any length", () => {
    for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 1000, 4097, 65537]) {
      const balances = Array.from({length: n}, (_, i) => (i % 3 === 0 ? 32_000_000_000 + i * 7919 : 2 ** 52 + i));
      const view = balancesToViewDU(balances);
      assert.equal(toHex(view.hashTreeRoot()), toHex(ssz.Balances.hashTreeRoot(balances)), `length ${n}`);
      assert.deepEqual(view.getAll(), balances);
      // The view stays writable: one change later rehashes like the reference.
      view.set(n - 1, 5);
      balances[n - 1] = 5;
      assert.equal(toHex(view.hashTreeRoot()), toHex(ssz.Balances.hashTreeRoot(balances)), `length ${n} after a set`);
    }
  });
});
