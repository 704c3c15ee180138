import {strict as assert} from "node:assert";
import {appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {aggregateSerializedPublicKeys} from "@chainsafe/blst";
import {interopPubkey, skToPk} from "../../../src/crypto/index.ts";
import {createChainConfig, FAR_FUTURE_EPOCH, useNetwork, SLOTS_PER_EPOCH} from "../../../src/params/index.ts";
import {createCachedBeaconState} from "../../../src/state-transition/index.ts";
import {ssz, type BeaconStateView} from "../../../src/types/index.ts";
import {toHex} from "../../../src/util/bytes.ts";
import {committeeSecretKey, newestCommitteePairs} from "../../../bench/inputs/benchBlock.ts";
import {buildBenchState} from "../../../bench/inputs/benchState.ts";
import {
  benchBlockRoot,
  benchRandaoMix,
  benchStateRoot,
  EPOCH_BENCH_SLOT,
  EXPECTED_COMMITTEES_PER_SLOT,
  EXPECTED_EPOCH_PRE_STATE_ROOTS,
} from "../../../bench/inputs/layout.ts";
import {prehashValidators} from "../../../bench/inputs/prehashValidators.ts";
import {loadInteropPubkeys, PUBKEY_CACHE_FILE} from "../../../bench/inputs/pubkeyCache.ts";

describe("bench inputs", () => {
  before(() => useNetwork("mainnet"));

  it("synthetic roots have the INPUTS.md layout", () => {
    assert.equal(toHex(benchBlockRoot(0x0102)), "0x0201" + "00".repeat(29) + "b1");
    assert.equal(toHex(benchStateRoot(32030)), "0x1e7d" + "00".repeat(29) + "5a");
    assert.equal(toHex(benchRandaoMix(65535)), "0xffff" + "00".repeat(29) + "7a");
  });

  describe("pubkey cache", () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), "gnomon-pubkeys-"));
    });
    afterEach(() => rmSync(dir, {recursive: true, force: true}));

    const expected = (n: number) => Buffer.concat(Array.from({length: n}, (_, i) => interopPubkey(i)));

    it("derives, stores and grows the key file", async () => {
      const five = await loadInteropPubkeys(5, {cacheDir: dir, threads: 1});
      assert.deepEqual(Buffer.from(five), expected(5));
      assert.equal(statSync(join(dir, PUBKEY_CACHE_FILE)).size, 5 * 48);
      const progress: number[] = [];
      const nine = await loadInteropPubkeys(9, {cacheDir: dir, threads: 1, onProgress: (done) => progress.push(done)});
      assert.deepEqual(Buffer.from(nine), expected(9));
      assert.deepEqual(progress, [4], "only the 4 missing keys are derived");
      const three = await loadInteropPubkeys(3, {cacheDir: dir});
      assert.deepEqual(Buffer.from(three), expected(3));
    });

    it("drops a torn trailing record and rebuilds a file whose content is wrong", async () => {
      const path = join(dir, PUBKEY_CACHE_FILE);
      await loadInteropPubkeys(6, {cacheDir: dir, threads: 1});
      appendFileSync(path, Buffer.alloc(10, 0xaa));
      assert.deepEqual(Buffer.from(await loadInteropPubkeys(7, {cacheDir: dir, threads: 1})), expected(7));
      assert.equal(statSync(path).size, 7 * 48);

      const bytes = readFileSync(path);
      bytes[3] ^= 0xff; // key 0 is always among the checked samples
      writeFileSync(path, bytes);
      let derived = 0;
      const keys = await loadInteropPubkeys(7, {cacheDir: dir, threads: 1, onProgress: (done) => (derived = done)});
      assert.deepEqual(Buffer.from(keys), expected(7));
      assert.equal(derived, 7, "the whole file is derived again");
      assert.deepEqual(readFileSync(path), expected(7));

      // A bad file is replaced even by a shorter good one.
      const longer = readFileSync(path);
      longer[0] ^= 0xff;
      writeFileSync(path, longer);
      assert.deepEqual(Buffer.from(await loadInteropPubkeys(2, {cacheDir: dir, threads: 1})), expected(2));
      assert.deepEqual(readFileSync(path), expected(2));
    });

    it("derives with worker threads in index order", async () => {
      const n = 2 * 4096 + 5;
      const keys = await loadInteropPubkeys(n, {cacheDir: dir, threads: 2});
      for (const i of [0, 4095, 4096, 8191, 8192, n - 1]) {
        assert.equal(toHex(keys.subarray(i * 48, (i + 1) * 48)), toHex(interopPubkey(i)), `key ${i}`);
      }
    });
  });

  it("batched validator roots equal the SSZ library's, whatever the field values", () => {
    const Validators = ssz.BeaconState.fields.validators;
    const values = [0, 1, 2, 3, 4].map((i) => ({
      pubkey: interopPubkey(i),
      withdrawal_credentials: new Uint8Array(32).fill(i + 1),
      effective_balance: [32e9, 0, 2 ** 40 + 5, 1, 31e9][i],
      slashed: i % 2 === 1,
      activation_eligibility_epoch: [0, 7, FAR_FUTURE_EPOCH, 2 ** 33 + 1, 5][i],
      activation_epoch: [0, 9, FAR_FUTURE_EPOCH, 12, 6][i],
      exit_epoch: [FAR_FUTURE_EPOCH, 100, FAR_FUTURE_EPOCH, 2 ** 52, 7][i],
      withdrawable_epoch: [FAR_FUTURE_EPOCH, 356, FAR_FUTURE_EPOCH, 2 ** 52 + 256, 8][i],
    }));
    const view = Validators.deserializeToViewDU(Validators.serialize(values));
    prehashValidators(view);
    assert.equal(toHex(view.hashTreeRoot()), toHex(Validators.hashTreeRoot(values)));
  });

  it("a committee's summed secret key signs for the aggregate of its members' keys", () => {
    const committee = [3, 1000, 77, 5];
    const aggregate = aggregateSerializedPublicKeys(committee.map((i) => interopPubkey(i)), true).toBytes();
    assert.equal(toHex(skToPk(committeeSecretKey(committee))), toHex(aggregate));
  });

  describe("epoch pre-state, 16384 validators", () => {
    let state: BeaconStateView;
    before(async () => {
      // From bench/.cache when present; deriving the 16384 keys otherwise takes a few seconds.
      const pubkeys = await loadInteropPubkeys(16384);
      state = buildBenchState(16384, EPOCH_BENCH_SLOT, pubkeys);
    });

    it("reproduces the pre-state root of INPUTS.md", () => {
      assert.equal(toHex(state.hashTreeRoot()), EXPECTED_EPOCH_PRE_STATE_ROOTS[16384]);
    });

    it("has one full pending attestation per committee, in slot then committee order", () => {
      const perSlot = EXPECTED_COMMITTEES_PER_SLOT[16384];
      const previous = state.previous_epoch_attestations.getAllReadonlyValues();
      const current = state.current_epoch_attestations.getAllReadonlyValues();
      assert.equal(previous.length, SLOTS_PER_EPOCH * perSlot);
      assert.equal(current.length, (SLOTS_PER_EPOCH - 1) * perSlot);
      assert.deepEqual(
        [previous[0].data.slot, previous[0].data.index, previous[perSlot + 1].data.slot, previous[perSlot + 1].data.index],
        [31968, 0, 31969, 1]
      );
      assert.equal(current[current.length - 1].data.slot, EPOCH_BENCH_SLOT - 1);
      for (const a of [...previous, ...current]) {
        assert.equal(a.aggregation_bits.getTrueBitIndexes().length, a.aggregation_bits.bitLen);
        assert.equal(a.inclusion_delay, 1);
      }
      assert.equal(previous[0].data.source.epoch, 998);
      assert.equal(current[0].data.source.epoch, 999);
    });

    it("the block takes the 128 newest includable committees, ascending", () => {
      const pairs = newestCommitteePairs(createCachedBeaconState(state, createChainConfig("mainnet")), 32015, 128);
      assert.equal(pairs.length, 128);
      assert.deepEqual(pairs[0], {slot: 31984, index: 0});
      assert.deepEqual(pairs[127], {slot: 32015, index: 3});
      for (let i = 1; i < pairs.length; i++) {
        const a = pairs[i - 1];
        const b = pairs[i];
        assert.ok(a.slot < b.slot || (a.slot === b.slot && a.index < b.index));
      }
      assert.throws(() => newestCommitteePairs(createCachedBeaconState(state, createChainConfig("mainnet")), 32015, 129), /only 128 committees/);
    });
  });
});
