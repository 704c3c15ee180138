import {strict as assert} from "node:assert";
import {ApiError} from "../../../src/api/errors.ts";
import {
  parseBlockId,
  parseList,
  parseRoot,
  parseStateId,
  parseUint,
  parseValidatorId,
  single,
  uintArray,
} from "../../../src/api/params.ts";

function is400(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof ApiError && e.status === 400 && message.test(e.message));
}

const root = "0x" + "ab".repeat(32);
const pubkey = "0x" + "CD".repeat(48);

describe("api: parameter parsing", () => {
  it("parses uint64 parameters as exact numbers and names the parameter when it cannot", () => {
    assert.equal(parseUint("0", "slot"), 0);
    assert.equal(parseUint("007", "slot"), 7);
    assert.equal(parseUint("9007199254740991", "slot"), Number.MAX_SAFE_INTEGER);
    is400(() => parseUint("12abc", "slot"), /^Invalid slot: 12abc/);
    is400(() => parseUint("-1", "epoch"), /^Invalid epoch: -1/);
    is400(() => parseUint("", "epoch"), /^Invalid epoch/);
    is400(() => parseUint("9007199254740992", "epoch"), /out of range/);
    is400(() => parseUint(undefined, "epoch"), /^Invalid epoch/);
  });

  it("parses state ids", () => {
    for (const name of ["head", "genesis", "finalized", "justified"] as const) assert.deepEqual(parseStateId(name), {kind: name});
    assert.deepEqual(parseStateId("42"), {kind: "slot", slot: 42});
    const r = parseStateId(root);
    assert.equal(r.kind, "root");
    assert.deepEqual(r.kind === "root" && Array.from(r.root), Array(32).fill(0xab));
    is400(() => parseStateId("current"), /^Invalid state ID: current/);
    is400(() => parseStateId("0x1234"), /^Invalid state ID/);
    is400(() => parseStateId("-3"), /^Invalid state ID/);
  });

  it("parses block ids (no 'justified')", () => {
    assert.deepEqual(parseBlockId("head"), {kind: "head"});
    assert.deepEqual(parseBlockId("7"), {kind: "slot", slot: 7});
    assert.equal(parseBlockId(root).kind, "root");
    is400(() => parseBlockId("justified"), /^Invalid block ID/);
    is400(() => parseBlockId("0x" + "ab".repeat(31)), /^Invalid block ID/);
  });

  it("parses validator ids: an index or a 48-byte pubkey, case-insensitive", () => {
    assert.deepEqual(parseValidatorId("5"), {kind: "index", index: 5});
    const p = parseValidatorId(pubkey);
    assert.equal(p.kind, "pubkey");
    assert.equal(p.kind === "pubkey" && p.hex, pubkey.toLowerCase());
    is400(() => parseValidatorId("0x" + "cd".repeat(47)), /^Invalid validator ID/);
    is400(() => parseValidatorId("abc"), /^Invalid validator ID/);
  });

  it("reads id lists comma-separated, repeated, or both, of any length", () => {
    assert.equal(parseList(undefined), undefined);
    assert.deepEqual(parseList("1,2,3"), ["1", "2", "3"]);
    assert.deepEqual(parseList(["1,2", "3", " 4 ,"]), ["1", "2", "3", "4"]);
    assert.deepEqual(parseList(""), []);
    const many = Array.from({length: 300}, (_, i) => "0x" + i.toString(16).padStart(96, "0"));
    assert.equal(parseList(many.join(","))?.length, 300);
  });

  it("refuses a single-valued parameter given twice", () => {
    assert.equal(single("3", "slot"), "3");
    assert.equal(single(["3"], "slot"), "3");
    is400(() => single(["3", "4"], "slot"), /^Invalid slot: given 2 times/);
  });

  it("parses roots and uint arrays of JSON bodies", () => {
    assert.equal(parseRoot(root, "parent_root").length, 32);
    is400(() => parseRoot("0xab", "parent_root"), /^Invalid parent_root/);
    assert.deepEqual(uintArray(["1", "2"], "indices"), [1, 2]);
    is400(() => uintArray([1, 2], "indices"), /^Invalid indices\[0\]: expected a string/);
    is400(() => uintArray({}, "indices"), /^Invalid indices: expected an array/);
    is400(() => uintArray([], "indices", {minItems: 1}), /at least 1/);
    is400(() => uintArray(["1", "-2"], "indices"), /^Invalid indices\[1\]: -2/);
  });
});
