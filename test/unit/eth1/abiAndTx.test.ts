/**
 * The deposit contract ABI (selectors of deposit_contract.json's functions, calldata layout,
 * strict log decoding) and locally signed transactions (the EIP-155 example transaction, RLP,
 * addresses). EIP-1559 transactions are checked by a real node in test/e2e/eth1.
 */
import {strict as assert} from "node:assert";
import {decodeDepositCount, decodeDepositEvent, DEPOSIT_SELECTOR, encodeDepositCall, GET_DEPOSIT_COUNT_SELECTOR, GET_DEPOSIT_ROOT_SELECTOR} from "../../../src/eth1/abi.ts";
import {Eth1Error} from "../../../src/eth1/errors.ts";
import {addressOf, rlpEncode, signTransaction} from "../../../src/eth1/tx.ts";
import {ssz} from "../../../src/types/index.ts";
import {fromHex, toHex} from "../../../src/util/bytes.ts";
import {abiBytesTuple, fakeDeposit} from "./fakeExecution.ts";

const le64 = (n: number): Uint8Array => {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n), true);
  return out;
};

describe("eth1 deposit contract ABI", () => {
  it("has the selectors of the official contract", () => {
    assert.equal(toHex(DEPOSIT_SELECTOR), "0x22895118");
    assert.equal(toHex(GET_DEPOSIT_ROOT_SELECTOR), "0xc5f2892f");
    assert.equal(toHex(GET_DEPOSIT_COUNT_SELECTOR), "0x621fd130");
  });

  it("encodes deposit(pubkey, withdrawal_credentials, signature, deposit_data_root)", () => {
    const d = fakeDeposit(1);
    const root = ssz.DepositData.hashTreeRoot(d);
    const call = encodeDepositCall(d, root);
    // selector, 3 offsets and the root, then 48 bytes (2 words), 32 (1 word), 96 (3 words), each after its length.
    assert.equal(call.length, 4 + 4 * 32 + (32 + 64) + (32 + 32) + (32 + 96));
    assert.deepEqual(call.subarray(4 + 96, 4 + 128), root);
    assert.equal(Number(new DataView(call.buffer, 4 + 24, 8).getBigUint64(0)), 128);
    assert.deepEqual(call.subarray(4 + 128 + 32, 4 + 128 + 32 + 48), d.pubkey);
  });

  it("decodes a DepositEvent and refuses malformed ones", () => {
    const d = fakeDeposit(2);
    const ev = decodeDepositEvent(abiBytesTuple([d.pubkey, d.withdrawal_credentials, le64(d.amount), d.signature, le64(7)]));
    assert.equal(ev.index, 7);
    assert.deepEqual(ev.data, d);
    assert.throws(() => decodeDepositEvent(abiBytesTuple([d.pubkey.subarray(1), d.withdrawal_credentials, le64(d.amount), d.signature, le64(7)])), Eth1Error);
    assert.throws(() => decodeDepositEvent(new Uint8Array(100)), Eth1Error);
    const truncated = abiBytesTuple([d.pubkey, d.withdrawal_credentials, le64(d.amount), d.signature, le64(7)]).subarray(0, 400);
    assert.throws(() => decodeDepositEvent(truncated), Eth1Error);
    assert.equal(decodeDepositCount(abiBytesTuple([le64(72)])), 72);
  });
});

describe("eth1 transactions", () => {
  it("signs the EIP-155 example transaction", () => {
    const raw = signTransaction(
      {chainId: 1n, nonce: 9n, gasPrice: 20_000_000_000n, gasLimit: 21000n, to: fromHex("0x3535353535353535353535353535353535353535"), value: 10n ** 18n, data: new Uint8Array(0)},
      fromHex("0x4646464646464646464646464646464646464646464646464646464646464646")
    );
    assert.equal(
      toHex(raw),
      "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83"
    );
  });

  it("derives the account address of a private key (anvil's first dev account)", () => {
    const key = fromHex("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
    assert.equal(toHex(addressOf(key)), "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
  });

  it("RLP-encodes short and long strings and lists", () => {
    assert.equal(toHex(rlpEncode(new Uint8Array(0))), "0x80");
    assert.equal(toHex(rlpEncode(Uint8Array.of(0x7f))), "0x7f");
    assert.equal(toHex(rlpEncode(Uint8Array.of(0x80))), "0x8180");
    assert.equal(toHex(rlpEncode([])), "0xc0");
    const long = new Uint8Array(56).fill(1);
    assert.equal(toHex(rlpEncode(long)).slice(0, 6), "0xb838");
  });
});
