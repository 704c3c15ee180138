/**
 * The deposit data file that `gnomon deposit` reads: entries in the stakers' format are accepted,
 * and every entry that would lose its ETH (a wrong root, another network's fork version, an
 * invalid proof of possession, a malformed field) is refused with a clear error before anything
 * is sent.
 */
import {strict as assert} from "node:assert";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {depositDataJson, parseDepositDataFile} from "../../../src/eth1/index.ts";
import {interopDepositData, interopDepositParams} from "../../../src/node/genesis/interopDeposits.ts";
import {useNetwork} from "../../../src/params/index.ts";
import {ssz} from "../../../src/types/index.ts";
import {InputError} from "../../../src/util/errors.ts";

describe("deposit data file", function () {
  this.timeout(20_000);
  let dir: string;
  let entries: Record<string, unknown>[];
  const write = (name: string, content: unknown): string => {
    const p = join(dir, name);
    writeFileSync(p, typeof content === "string" ? content : JSON.stringify(content));
    return p;
  };

  before(() => {
    useNetwork("minimal");
    dir = mkdtempSync(join(tmpdir(), "gnomon-deposit-data-"));
    const params = interopDepositParams();
    entries = [0, 1].map((i) => depositDataJson(interopDepositData(i, params), "minimal"));
  });
  after(() => rmSync(dir, {recursive: true, force: true}));

  it("reads the stakers' format (hex without 0x)", () => {
    const parsed = parseDepositDataFile(write("ok.json", entries));
    assert.equal(parsed.length, 2);
    assert.equal(parsed[0].data.amount, 32_000_000_000);
    assert.deepEqual(parsed[1].depositDataRoot, ssz.DepositData.hashTreeRoot(parsed[1].data));
    assert.equal(typeof entries[0].pubkey, "string");
    assert.equal((entries[0].pubkey as string).startsWith("0x"), false);
  });

  const refused: [string, (e: Record<string, unknown>[]) => unknown, RegExp][] = [
    ["not JSON", () => "{oops", /not JSON/],
    ["an empty list", () => [], /non-empty JSON array/],
    ["a wrong deposit_data_root", (e) => [{...e[0], deposit_data_root: "00".repeat(32)}], /deposit_data_root does not match/],
    ["a wrong deposit_message_root", (e) => [{...e[0], deposit_message_root: "11".repeat(32)}], /deposit_message_root does not match/],
    ["another network's fork version", (e) => [{...e[0], fork_version: "00000000"}], /fork_version/],
    ["a short pubkey", (e) => [{...e[0], pubkey: "ab".repeat(47)}], /pubkey must be 48 bytes/],
    ["a negative amount", (e) => [{...e[0], amount: -1}], /amount must be a positive integer/],
    ["an invalid signature", (e) => {
      // Another key's signature: roots recomputed so only the proof of possession is wrong.
      const swapped: Record<string, unknown> = {...e[0], signature: e[1].signature};
      const data = {pubkey: Buffer.from(String(swapped.pubkey), "hex"), withdrawal_credentials: Buffer.from(String(swapped.withdrawal_credentials), "hex"), amount: 32_000_000_000, signature: Buffer.from(String(swapped.signature), "hex")};
      return [{...swapped, deposit_data_root: Buffer.from(ssz.DepositData.hashTreeRoot(data)).toString("hex")}];
    }, /not a valid proof of possession/],
  ];
  for (const [what, make, message] of refused) {
    it(`refuses ${what}`, () => {
      const p = write("bad.json", make(entries));
      assert.throws(() => parseDepositDataFile(p), (e: unknown) => e instanceof InputError && message.test(e.message));
    });
  }
});
