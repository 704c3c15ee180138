import {strict as assert} from "node:assert";
import {readdirSync} from "node:fs";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";
import {runInterchangeTestFile, SLASHING_PROTECTION_STRATEGY} from "../../../../src/validator/slashingProtection/index.ts";

const suite = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "interchange-suite");
const files = readdirSync(suite).filter((f) => f.endsWith(".json")).sort();

describe("slashingProtection / the public EIP-3076 interchange test suite", function () {
  this.timeout(60_000);

  it("declares the complete strategy and has the suite's 32 files", () => {
    assert.equal(SLASHING_PROTECTION_STRATEGY, "complete");
    assert.equal(files.length, 32);
  });

  for (const file of files) {
    it(`passes ${file.replace(/\.json$/, "")} exactly`, async () => {
      const result = await runInterchangeTestFile(join(suite, file));
      assert.equal(result.mismatch, null, result.mismatch?.description);
      assert.equal(result.passed, true);
    });
  }
});
