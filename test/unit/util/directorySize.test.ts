import {strict as assert} from "node:assert";
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {directorySize} from "../../../src/util/directorySize.ts";

describe("util / directorySize", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "gnomon-dirsize-"));
  });
  afterEach(() => rmSync(dir, {recursive: true, force: true}));

  it("sums file sizes, including those in subdirectories", () => {
    writeFileSync(join(dir, "a"), new Uint8Array(100));
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "sub", "b"), new Uint8Array(23));
    assert.equal(directorySize(dir), 123);
  });

  it("is 0 for a directory that does not exist", () => {
    assert.equal(directorySize(join(dir, "missing")), 0);
  });
});
