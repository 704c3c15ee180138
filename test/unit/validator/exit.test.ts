import {strict as assert} from "node:assert";
import {interopPubkey, interopSecretKey, verify} from "../../../src/crypto/index.ts";
import {DOMAIN_VOLUNTARY_EXIT} from "../../../src/params/index.ts";
import {computeDomain, computeSigningRoot} from "../../../src/state-transition/index.ts";
import {ssz} from "../../../src/types/index.ts";
import {assertCanExit, ExitError, signVoluntaryExit} from "../../../src/validator/exit/voluntaryExit.ts";
import {SigningContext} from "../../../src/validator/signing/signingContext.ts";

const v = (over: Partial<{status: string; activationEpoch: number; exitEpoch: number}> = {}) => ({
  index: 3,
  pubkey: interopPubkey(3),
  status: "active_ongoing",
  activationEpoch: 0,
  exitEpoch: Infinity,
  ...over,
});
const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ExitError);
    return e.code;
  }
  return "none";
};

describe("validator / voluntary exit", () => {
  it("applies process_voluntary_exit's conditions before signing", () => {
    assert.equal(code(() => assertCanExit(null, 5, 5, 1)), "EXIT_UNKNOWN_VALIDATOR");
    assert.equal(code(() => assertCanExit(v({status: "pending_queued", activationEpoch: Infinity}), 5, 5, 1)), "EXIT_NOT_ACTIVE");
    assert.equal(code(() => assertCanExit(v({status: "active_exiting", exitEpoch: 9}), 5, 5, 1)), "EXIT_ALREADY_EXITING");
    assert.equal(code(() => assertCanExit(v({activationEpoch: 2}), 5, 5, 256)), "EXIT_TOO_EARLY");
    assert.throws(() => assertCanExit(v({activationEpoch: 2}), 5, 5, 256), /can exit from epoch 258 \(now 5\)/);
    assert.equal(code(() => assertCanExit(v(), 6, 5, 1)), "EXIT_FUTURE_EPOCH");
    assert.equal(assertCanExit(v({activationEpoch: 4}), 5, 5, 1).index, 3);
  });

  it("signs with DOMAIN_VOLUNTARY_EXIT at the fork version of the exit's epoch", () => {
    const gvr = new Uint8Array(32).fill(9);
    const forks = [
      {previousVersion: Uint8Array.of(0, 0, 0, 1), currentVersion: Uint8Array.of(0, 0, 0, 1), epoch: 0},
      {previousVersion: Uint8Array.of(0, 0, 0, 1), currentVersion: Uint8Array.of(1, 0, 0, 1), epoch: 10},
    ];
    const context = new SigningContext(gvr, forks);
    for (const [epoch, version] of [[4, Uint8Array.of(0, 0, 0, 1)], [12, Uint8Array.of(1, 0, 0, 1)]] as const) {
      const signed = signVoluntaryExit(interopSecretKey(3), 3, epoch, context);
      assert.deepEqual(signed.message, {epoch, validator_index: 3});
      const root = computeSigningRoot(ssz.VoluntaryExit, signed.message, computeDomain(DOMAIN_VOLUNTARY_EXIT, version, gvr));
      assert.equal(verify(interopPubkey(3), root, signed.signature), true, `epoch ${epoch}`);
    }
  });
});
