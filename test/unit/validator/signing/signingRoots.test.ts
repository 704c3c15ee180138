/**
 * Signing roots against the spec's own vectors: the pyspec test keys are secret keys i+1 for
 * validator i and BLS signatures are deterministic, so signing a vector's block, randao epoch
 * and attestation data through the client's SigningContext must reproduce the vector's bytes.
 */
import {strict as assert} from "node:assert";
import {createHash} from "node:crypto";
import {existsSync, readFileSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {aggregate, secretKeyFromBytes, sign, type SecretKey} from "../../../../src/crypto/index.ts";
import {createChainConfig, useNetwork} from "../../../../src/params/index.ts";
import {computeEpochAtSlot, createCachedBeaconState, getAttestingIndices} from "../../../../src/state-transition/index.ts";
import {ssz, type BeaconStateView, type SignedBeaconBlock} from "../../../../src/types/index.ts";
import {toHex} from "../../../../src/util/bytes.ts";
import {isAggregator} from "../../../../src/validator/signing/aggregator.ts";
import {SigningContext} from "../../../../src/validator/signing/signingContext.ts";
import {uncompressSnappyBlock} from "../../../../spec-tests/harness/snappy.ts";

const caseDir = fileURLToPath(new URL("../../../../../shared/spec-tests/tests/minimal/phase0/sanity/blocks/pyspec_tests/attestation/", import.meta.url));
const read = (file: string): Uint8Array => uncompressSnappyBlock(readFileSync(caseDir + file));

/** eth2spec.test.helpers.keys: privkeys = [i + 1 for i in range(...)]. */
function pyspecKey(index: number): SecretKey {
  const bytes = new Uint8Array(32);
  let v = BigInt(index + 1);
  for (let i = 31; i >= 0 && v > 0n; i--, v >>= 8n) bytes[i] = Number(v & 0xffn);
  return secretKeyFromBytes(bytes);
}

describe("validator / signing: signing roots reproduce the spec vectors' signatures", function () {
  let pre: BeaconStateView;
  let blocks: SignedBeaconBlock[];
  let ctx: SigningContext;

  before(function () {
    if (!existsSync(caseDir)) throw new Error(`spec vectors not found at ${caseDir}`);
    useNetwork("minimal");
    pre = ssz.BeaconState.deserializeToViewDU(read("pre.ssz_snappy"));
    blocks = [0, 1].map((i) => ssz.SignedBeaconBlock.deserialize(read(`blocks_${i}.ssz_snappy`)));
    const fork = pre.fork;
    ctx = new SigningContext(pre.genesis_validators_root, [{previousVersion: fork.previous_version, currentVersion: fork.current_version, epoch: fork.epoch}]);
  });
  after(() => useNetwork("mainnet"));

  it("block signatures (DOMAIN_BEACON_PROPOSER at the block's epoch)", () => {
    for (const b of blocks) {
      assert.equal(toHex(sign(pyspecKey(b.message.proposer_index), ctx.blockRoot(b.message))), toHex(b.signature), `block at slot ${b.message.slot}`);
    }
  });

  it("randao reveals (DOMAIN_RANDAO over the epoch)", () => {
    for (const b of blocks) {
      const epoch = computeEpochAtSlot(b.message.slot);
      assert.equal(toHex(sign(pyspecKey(b.message.proposer_index), ctx.randaoRoot(epoch))), toHex(b.message.body.randao_reveal));
    }
  });

  it("attestation signatures (DOMAIN_BEACON_ATTESTER at the target epoch), aggregated over the committee", () => {
    const atts = blocks.flatMap((b) => b.message.body.attestations);
    assert.ok(atts.length > 0, "the vector carries an attestation");
    const cached = createCachedBeaconState(pre, createChainConfig("minimal"));
    for (const att of atts) {
      const root = ctx.attestationRoot(att.data);
      const sigs = getAttestingIndices(cached, att).map((i) => sign(pyspecKey(i), root));
      assert.equal(toHex(aggregate(sigs)), toHex(att.signature));
    }
  });

  it("the fork version of an epoch follows the schedule as get_domain follows state.fork", () => {
    const v = (b: number): Uint8Array => new Uint8Array(4).fill(b);
    const c = new SigningContext(new Uint8Array(32), [
      {previousVersion: v(0), currentVersion: v(0), epoch: 0},
      {previousVersion: v(0), currentVersion: v(1), epoch: 10},
    ]);
    assert.deepEqual([c.forkVersionAt(0), c.forkVersionAt(9), c.forkVersionAt(10), c.forkVersionAt(1000)], [v(0), v(0), v(1), v(1)]);
  });
});

describe("validator / signing: is_aggregator", () => {
  before(() => useNetwork("minimal"));
  after(() => useNetwork("mainnet"));

  it("every member of a committee below TARGET_AGGREGATORS_PER_COMMITTEE aggregates", () => {
    for (let i = 0; i < 8; i++) assert.equal(isAggregator(15, new Uint8Array(96).fill(i)), true);
  });

  it("uses bytes_to_uint64(hash(sig)[0:8]) % (len // 16) == 0", () => {
    // Committee of 32: modulo 2, so the parity of the little-endian first 8 bytes of the hash decides.
    let yes = 0;
    for (let i = 0; i < 64; i++) {
      const sig = new Uint8Array(96).fill(i);
      const h = nodeSha256(sig);
      assert.equal(isAggregator(32, sig), (h[0] & 1) === 0, `signature ${i}`);
      if (isAggregator(32, sig)) yes++;
    }
    assert.ok(yes > 10 && yes < 54, `about half aggregate (${yes} of 64)`);
  });
});

function nodeSha256(data: Uint8Array): Uint8Array {
  // node:crypto, independent of the project's sha256 module.
  return new Uint8Array(createHash("sha256").update(data).digest());
}
