import {strict as assert} from "node:assert";
import {
  aggregate,
  deserializePubkey,
  findInvalidSignatureSet,
  interopSecretKey,
  PublicKey,
  sign,
  type SignatureSet,
  skToPk,
  verifySignatureSet,
  verifySignatureSets,
} from "../../../src/crypto/index.ts";
import {fromHex} from "../../../src/util/bytes.ts";

const sks = Array.from({length: 8}, (_, i) => interopSecretKey(i));
const pubkeys = sks.map((sk) => deserializePubkey(skToPk(sk)));

function root(tag: number): Uint8Array {
  return new Uint8Array(32).fill(tag);
}

function single(i: number, tag: number): SignatureSet {
  return {type: "single", pubkey: pubkeys[i], signingRoot: root(tag), signature: sign(sks[i], root(tag))};
}

function aggregateSet(indices: number[], tag: number): SignatureSet {
  return {
    type: "aggregate",
    pubkeys: indices.map((i) => pubkeys[i]),
    signingRoot: root(tag),
    signature: aggregate(indices.map((i) => sign(sks[i], root(tag)))),
  };
}

function validSets(): SignatureSet[] {
  return [single(0, 1), aggregateSet([1, 2, 3], 2), single(4, 3), aggregateSet([5, 6, 7], 4), aggregateSet([0], 5)];
}

describe("crypto/signatureSets", () => {
  it("accepts a batch of valid single and aggregate sets", () => {
    const sets = validSets();
    assert.equal(verifySignatureSets(sets), true);
    for (const set of sets) assert.equal(verifySignatureSet(set), true);
    assert.equal(findInvalidSignatureSet(sets), -1);
  });

  it("treats an empty batch as valid and a one-set batch as that set", () => {
    assert.equal(verifySignatureSets([]), true);
    assert.equal(verifySignatureSets([single(2, 9)]), true);
    const wrong = single(2, 9);
    wrong.signingRoot = root(10);
    assert.equal(verifySignatureSets([wrong]), false);
  });

  it("rejects the batch when one set is wrong and finds that set", () => {
    for (let bad = 0; bad < 5; bad++) {
      const sets = validSets();
      sets[bad] = {...sets[bad], signingRoot: root(0xee)};
      assert.equal(verifySignatureSets(sets), false, `bad set ${bad}`);
      assert.equal(findInvalidSignatureSet(sets), bad);
      assert.equal(verifySignatureSet(sets[bad]), false);
    }
  });

  it("rejects two signatures swapped between sets (each alone invalid, sum unchanged)", () => {
    const sets = [single(0, 1), single(1, 2)];
    const swapped: SignatureSet[] = [
      {...sets[0], signature: sets[1].signature},
      {...sets[1], signature: sets[0].signature},
    ];
    assert.equal(verifySignatureSets(swapped), false);
    assert.equal(findInvalidSignatureSet(swapped), 0);
  });

  it("returns false, never throws, for malformed signatures", () => {
    const good = sign(sks[0], root(1));
    const infinity = fromHex("0xc0" + "00".repeat(95));
    for (const signature of [new Uint8Array(96), good.subarray(0, 95), new Uint8Array(0), infinity, new Uint8Array(96).fill(0xff)]) {
      const sets = validSets();
      sets[2] = {...sets[2], signature};
      assert.equal(verifySignatureSets(sets), false);
      assert.equal(verifySignatureSet(sets[2]), false);
      assert.equal(findInvalidSignatureSet(sets), 2);
    }
  });

  it("rejects an aggregate set without keys, or whose keys sum to infinity", () => {
    const empty: SignatureSet = {type: "aggregate", pubkeys: [], signingRoot: root(1), signature: sign(sks[0], root(1))};
    assert.equal(verifySignatureSet(empty), false);
    assert.equal(verifySignatureSets([...validSets(), empty]), false);

    // pk + (-pk) = infinity: negate by flipping the compressed sign bit.
    const pkBytes = skToPk(sks[3]);
    const negBytes = pkBytes.slice();
    negBytes[0] ^= 0x20;
    const cancelling: SignatureSet = {
      type: "aggregate",
      pubkeys: [pubkeys[3], PublicKey.fromBytes(negBytes, true)],
      signingRoot: root(7),
      signature: fromHex("0xc0" + "00".repeat(95)),
    };
    assert.equal(verifySignatureSet(cancelling), false);
    assert.equal(verifySignatureSets([single(0, 1), cancelling]), false);
    const withRealSignature = {...cancelling, signature: sign(sks[0], root(7))};
    assert.equal(verifySignatureSet(withRealSignature), false);
    assert.equal(verifySignatureSets([single(0, 1), withRealSignature]), false);
  });
});
