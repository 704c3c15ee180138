import {strict as assert} from "node:assert";
import {jsonDeeperThan, MAX_JSON_DEPTH} from "../../../src/api/http/jsonDepth.ts";
import {ssz} from "../../../src/types/index.ts";

describe("api: JSON nesting bound", () => {
  it("counts arrays and objects inside one another", () => {
    assert.equal(jsonDeeperThan("[[[1]]]", 3), false);
    assert.equal(jsonDeeperThan("[[[[1]]]]", 3), true);
    assert.equal(jsonDeeperThan('{"a":{"b":[{}]}}', 4), false);
    assert.equal(jsonDeeperThan('{"a":{"b":[{"c":[]}]}}', 4), true);
    // Siblings do not add up: depth is how far they nest, not how many there are.
    assert.equal(jsonDeeperThan("[" + "[1],".repeat(10_000) + "[1]]", 2), false);
  });

  it("ignores brackets inside strings, escaped quotes included", () => {
    assert.equal(jsonDeeperThan(`["${"[".repeat(100)}"]`, 1), false);
    assert.equal(jsonDeeperThan(`["\\"${"{".repeat(100)}"]`, 1), false);
    assert.equal(jsonDeeperThan(`["\\\\", [[1]]]`, 2), true);
  });

  it("lets the deepest value of the API through", () => {
    const block = JSON.stringify(ssz.SignedBeaconBlock.toJson(ssz.SignedBeaconBlock.defaultValue()));
    const slashing = JSON.stringify([ssz.AttesterSlashing.toJson(ssz.AttesterSlashing.defaultValue())]);
    assert.equal(jsonDeeperThan(block, MAX_JSON_DEPTH), false);
    assert.equal(jsonDeeperThan(slashing, 8), false);
    assert.equal(jsonDeeperThan(slashing, 4), true);
  });
});
