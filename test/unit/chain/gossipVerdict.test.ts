import {strict as assert} from "node:assert";
import {interopSecretKey, sign, callingThreadVerifier, deserializePubkey, skToPk} from "../../../src/crypto/index.ts";
import {AttestationErrorCode, BlockErrorCode, OperationErrorCode} from "../../../src/chain/errors.ts";
import {GossipAction} from "../../../src/chain/gossip/interface.ts";
import {GOSSIP_ACTION_BY_CODE, verdictOfError} from "../../../src/chain/gossip/verdict.ts";
import {verifySameMessageSets} from "../../../src/chain/validation/batchVerify.ts";
import {GnomonError} from "../../../src/util/errors.ts";

describe("chain: gossip verdicts", () => {
  it("gives every typed validation error a gossip action", () => {
    const codes = [...Object.values(BlockErrorCode), ...Object.values(AttestationErrorCode), ...Object.values(OperationErrorCode)];
    const missing = codes.filter((c) => GOSSIP_ACTION_BY_CODE[c] === undefined);
    assert.deepEqual(missing, []);
    assert.deepEqual(verdictOfError(new GnomonError(BlockErrorCode.PARENT_UNKNOWN, "x")), {action: GossipAction.IGNORE, reason: "BLOCK_PARENT_UNKNOWN"});
    assert.deepEqual(verdictOfError(new GnomonError(AttestationErrorCode.WRONG_SUBNET, "x")), {action: GossipAction.REJECT, reason: "ATTESTATION_WRONG_SUBNET"});
    // Not a validation outcome: the node could not decide, which is no proof against the sender.
    assert.deepEqual(verdictOfError(new Error("bug")), {action: GossipAction.IGNORE, reason: "INTERNAL_ERROR"});
  });
});

describe("chain: same-message signature batches", function () {
  this.timeout(30_000);
  const set = (validator: number, msg: Uint8Array, signer = validator) => ({
    type: "single" as const,
    pubkey: deserializePubkey(skToPk(interopSecretKey(validator))),
    signingRoot: msg,
    signature: sign(interopSecretKey(signer), msg),
  });
  const m1 = new Uint8Array(32).fill(1);
  const m2 = new Uint8Array(32).fill(2);

  it("accepts groups of valid sets over several messages", async () => {
    const sets = [set(0, m1), set(1, m1), set(2, m2), set(3, m1), set(4, m2)];
    assert.deepEqual(await verifySameMessageSets(callingThreadVerifier, sets), [true, true, true, true, true]);
  });

  it("finds the one bad set of a group, and a signature that does not decode, without condemning the others", async () => {
    const garbage = {...set(5, m2), signature: new Uint8Array(96).fill(0xff)};
    const sets = [set(0, m1), set(1, m1, 2), set(3, m1), set(4, m2), garbage, set(6, m2)];
    assert.deepEqual(await verifySameMessageSets(callingThreadVerifier, sets), [true, false, true, true, false, true]);
  });
});
