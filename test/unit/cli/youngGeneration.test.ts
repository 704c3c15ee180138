/**
 * `gnomon` launches Node with a bounded young generation: without it V8 grows the semi-spaces to
 * their machine-sized maximum under REST load and the node keeps ~100 MB of empty heap resident.
 */
import {strict as assert} from "node:assert";
import {execFileSync} from "node:child_process";
import {readFileSync} from "node:fs";
import {GNOMON, NODE} from "../../e2e/helpers/processes.ts";

/** Allocates short- and medium-lived objects (what a busy REST server does) and prints the young generation's size in MiB. */
const CHURN = `
const v8 = require("node:v8");
let keep = [];
for (let i = 0; i < 2000; i++) {
  keep.push(Array.from({length: 1000}, (_, j) => ({i, j})));
  if (keep.length > 200) keep = keep.slice(100);
}
const s = v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space");
console.log(s.space_size / 1048576);
`;

describe("cli: the young generation of a gnomon process", function () {
  this.timeout(60_000);

  it("the launch line bounds the semi-spaces", () => {
    const shebang = readFileSync(GNOMON, "utf8").split("\n", 1)[0];
    const flags = shebang.split(/\s+/).filter((w) => w.startsWith("--"));
    assert.ok(flags.includes("--max-semi-space-size=8"), shebang);
    const bounded = Number(execFileSync(NODE, [...flags, "-e", CHURN], {encoding: "utf8"}).trim());
    // Two semi-spaces of at most 8 MiB each.
    assert.ok(bounded <= 16, `new space ${bounded} MiB`);
  });
});
