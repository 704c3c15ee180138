import {strict as assert} from "node:assert";
import {createHash} from "node:crypto";
import {useNetwork, type PresetName} from "../../../src/params/index.ts";
import {ssz} from "../../../src/types/index.ts";
import {toHex} from "../../../src/util/bytes.ts";
import {interopDeposits, interopDepositsOnWorkers, type InteropDeposits} from "../../../src/node/genesis/interopDeposits.ts";

/** sha256 of the deposits' SSZ bytes, one after another, and the deposit root. */
function digestOf({deposits, depositRoot}: InteropDeposits): [string, string] {
  const h = createHash("sha256");
  for (const d of deposits) h.update(ssz.Deposit.serialize(d));
  return [h.digest("hex"), toHex(depositRoot)];
}

// Pinned from the deposits signed one by one on the calling thread, before signing moved to workers.
const PINNED: [PresetName, number, string, string][] = [
  ["minimal", 64, "66c089c85ff7a12c43c3252e42359641f1120cfd78376a83e47fe1adb1c745ad", "0x6141b76179b67d7849f34a22d0e529729fb274bbe81374c41623373b649cc63b"],
  ["minimal", 300, "d986002a452cfd5a7972161a13ea9ced50eb247af5e645da11629d4779860a6c", "0xfcce412c019cb49c3b82f2d691f0e92e51128baf623d05c87c27e130115e3959"],
  ["mainnet", 300, "cfe26d809553ecba6511518bb2baf8cc7ef46f9c44a74df0021beb6b31849924", "0xbb2b8d8984eb18e7b4135e4b133fb77f5e69930f63686b072dd4473bf410e76f"],
];

describe("genesis / interop deposits on worker threads", function () {
  this.timeout(60_000);
  after(() => useNetwork("mainnet"));

  for (const [preset, count, bytesDigest, depositRoot] of PINNED) {
    it(`are byte-identical to the calling thread's (${preset}, ${count} validators)`, async () => {
      const config = useNetwork(preset);
      const progress: number[] = [];
      const onWorkers = await interopDepositsOnWorkers(config, count, (done, total) => {
        assert.equal(total, count);
        progress.push(done);
      }, {workers: 2, minCountForWorkers: 1});
      assert.deepEqual(digestOf(onWorkers), [bytesDigest, depositRoot]);
      assert.deepEqual(digestOf(interopDeposits(config, count)), [bytesDigest, depositRoot]);
      assert.equal(progress.at(-1), count);
      assert.deepEqual(progress, [...progress].sort((a, b) => a - b));
    });
  }

  it("signs small counts on the calling thread, with the same result", async () => {
    const config = useNetwork("minimal");
    const [, , bytesDigest, depositRoot] = PINNED[0];
    assert.deepEqual(digestOf(await interopDepositsOnWorkers(config, 64)), [bytesDigest, depositRoot]);
  });
});
