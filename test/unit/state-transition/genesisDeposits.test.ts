import assert from "node:assert/strict";
import {interopSecretKey, sign, skToPk} from "../../../src/crypto/index.ts";
import {DepositTree} from "../../../src/node/genesis/depositTree.ts";
import {createChainConfig, DOMAIN_DEPOSIT, FAR_FUTURE_EPOCH, GENESIS_EPOCH, useNetwork} from "../../../src/params/index.ts";
import {computeDomain, computeSigningRoot} from "../../../src/state-transition/util/domain.ts";
import {BlockProcessingError, initializeBeaconStateFromEth1} from "../../../src/state-transition/index.ts";
import {ssz, type Deposit, type DepositData} from "../../../src/types/index.ts";
import {bytesEqual, toHex} from "../../../src/util/bytes.ts";

const MINIMAL = createChainConfig("minimal");

const ETH = 1_000_000_000;

/** What a deposit carries: whose key, how much, and who signs (another key: an invalid proof of possession). */
interface Spec {
  key: number;
  amount: number;
  signer?: number;
  /** A public key that is not a curve point. */
  badPubkey?: boolean;
}

function depositData({key, amount, signer, badPubkey}: Spec): DepositData {
  const pubkey = badPubkey ? new Uint8Array(48).fill(0xab) : skToPk(interopSecretKey(key));
  const message = {pubkey, withdrawal_credentials: new Uint8Array(32).fill(key & 0xff), amount};
  const root = computeSigningRoot(ssz.DepositMessage, message, computeDomain(DOMAIN_DEPOSIT, MINIMAL.GENESIS_FORK_VERSION));
  return {...message, signature: sign(interopSecretKey(signer ?? key), root)};
}

function deposits(specs: Spec[]): Deposit[] {
  const tree = new DepositTree();
  return specs.map((spec) => {
    const data = depositData(spec);
    return {proof: tree.push(ssz.DepositData.hashTreeRoot(data)), data};
  });
}

function genesis(specs: Spec[]) {
  return initializeBeaconStateFromEth1(MINIMAL, new Uint8Array(32).fill(0x42), 2 ** 40, deposits(specs));
}

describe("state-transition: genesis deposits (batched proof-of-possession checks)", function () {
  this.timeout(120_000);
  before(() => useNetwork("minimal"));
  after(() => useNetwork("mainnet"));

  it("gives every deposit apply_deposit's verdict: invalid ones skipped, later deposits of the key retried, top-ups unchecked", () => {
    const g = genesis([
      {key: 0, amount: 32 * ETH},
      {key: 1, amount: 32 * ETH, signer: 2}, // invalid: skipped
      {key: 1, amount: 32 * ETH}, // the key's first valid deposit: validator 1
      {key: 0, amount: 1 * ETH, signer: 3}, // top-up: the signature is not checked
      {key: 9, amount: 32 * ETH, badPubkey: true}, // not a key: skipped
      {key: 4, amount: 16 * ETH}, // valid, not enough to activate
      {key: 1, amount: 8 * ETH, signer: 5}, // top-up
      {key: 6, amount: 32 * ETH, signer: 7}, // invalid, and no later deposit of key 6
    ]);
    const {state} = g;
    assert.equal(state.eth1_deposit_index, 8);
    const validators = state.validators.getAllReadonlyValues();
    assert.deepEqual(
      validators.map((v) => toHex(v.pubkey)),
      [0, 1, 4].map((k) => toHex(skToPk(interopSecretKey(k))))
    );
    assert.deepEqual(state.balances.getAll(), [33 * ETH, 40 * ETH, 16 * ETH]);
    assert.deepEqual(
      validators.map((v) => [v.effective_balance, v.activation_epoch]),
      [
        [32 * ETH, GENESIS_EPOCH],
        [32 * ETH, GENESIS_EPOCH],
        [16 * ETH, FAR_FUTURE_EPOCH],
      ]
    );
    // The keys decoded for the batch are the cache's keys of those validators.
    for (let i = 0; i < validators.length; i++) {
      assert.ok(bytesEqual(g.epochCtx.index2pubkey(i).toBytes(), validators[i].pubkey));
      assert.equal(g.epochCtx.pubkey2index(validators[i].pubkey), i);
    }
  });

  it("finds the invalid deposits of a batch that fails, past the first batch", () => {
    // 300 deposits: two signature batches; 3 invalid in the second, one retried validly later.
    const specs: Spec[] = Array.from({length: 300}, (_, i) => ({key: i, amount: 32 * ETH}));
    for (const bad of [260, 261, 299]) specs[bad] = {...specs[bad], signer: bad + 1000};
    specs.push({key: 261, amount: 32 * ETH});
    const {state} = genesis(specs);
    const expected = [...Array.from({length: 300}, (_, i) => i).filter((i) => ![260, 261, 299].includes(i)), 261];
    const validators = state.validators.getAllReadonlyValues();
    assert.equal(validators.length, expected.length);
    for (let i = 0; i < expected.length; i++) assert.ok(bytesEqual(validators[i].pubkey, skToPk(interopSecretKey(expected[i]))), `validator ${i}`);
    assert.equal(state.eth1_deposit_index, 301);
  });

  it("still refuses a deposit whose proof does not match the deposit root", () => {
    const list = deposits([{key: 0, amount: 32 * ETH}, {key: 1, amount: 32 * ETH}]);
    list[1].proof[3] = new Uint8Array(32).fill(1);
    assert.throws(
      () => initializeBeaconStateFromEth1(MINIMAL, new Uint8Array(32).fill(0x42), 2 ** 40, list),
      (e) => e instanceof BlockProcessingError && e.code === "DEPOSIT_INVALID_MERKLE_PROOF"
    );
  });
});
