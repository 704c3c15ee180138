import {strict as assert} from "node:assert";
import {getValidatorStatus, parseStatusFilter, VALIDATOR_STATUSES} from "../../../src/api/validatorStatus.ts";
import {ApiError} from "../../../src/api/errors.ts";
import {FAR_FUTURE_EPOCH} from "../../../src/params/index.ts";

const base = {
  slashed: false,
  effective_balance: 32e9,
  activation_eligibility_epoch: 0,
  activation_epoch: 0,
  exit_epoch: FAR_FUTURE_EPOCH,
  withdrawable_epoch: FAR_FUTURE_EPOCH,
};

describe("api: validator status", () => {
  it("follows the lifecycle of the API's status specification", () => {
    const epoch = 10;
    assert.equal(getValidatorStatus({...base, activation_eligibility_epoch: FAR_FUTURE_EPOCH, activation_epoch: FAR_FUTURE_EPOCH}, epoch), "pending_initialized");
    assert.equal(getValidatorStatus({...base, activation_eligibility_epoch: 9, activation_epoch: FAR_FUTURE_EPOCH}, epoch), "pending_queued");
    assert.equal(getValidatorStatus({...base, activation_eligibility_epoch: 5, activation_epoch: 11}, epoch), "pending_queued");
    assert.equal(getValidatorStatus({...base, activation_epoch: 10}, epoch), "active_ongoing");
    assert.equal(getValidatorStatus({...base, exit_epoch: 20, withdrawable_epoch: 276}, epoch), "active_exiting");
    assert.equal(getValidatorStatus({...base, slashed: true, exit_epoch: 20, withdrawable_epoch: 8212}, epoch), "active_slashed");
    assert.equal(getValidatorStatus({...base, exit_epoch: 10, withdrawable_epoch: 266}, epoch), "exited_unslashed");
    assert.equal(getValidatorStatus({...base, slashed: true, exit_epoch: 5, withdrawable_epoch: 8197}, epoch), "exited_slashed");
    assert.equal(getValidatorStatus({...base, exit_epoch: 1, withdrawable_epoch: 10}, epoch), "withdrawal_possible");
    assert.equal(getValidatorStatus({...base, effective_balance: 0, exit_epoch: 1, withdrawable_epoch: 3}, epoch), "withdrawal_done");
  });

  it("expands coarse filters and rejects unknown statuses", () => {
    assert.equal(parseStatusFilter(undefined), undefined);
    assert.equal(parseStatusFilter([]), undefined);
    assert.deepEqual([...parseStatusFilter(["active"])!].sort(), ["active_exiting", "active_ongoing", "active_slashed"]);
    assert.deepEqual([...parseStatusFilter(["pending", "exited_slashed"])!].sort(), ["exited_slashed", "pending_initialized", "pending_queued"]);
    assert.deepEqual([...parseStatusFilter(["withdrawal"])!].sort(), ["withdrawal_done", "withdrawal_possible"]);
    assert.equal(parseStatusFilter([...VALIDATOR_STATUSES])!.size, 9);
    assert.throws(() => parseStatusFilter(["active", "sleeping"]), (e: unknown) => e instanceof ApiError && e.status === 400 && /sleeping/.test(e.message));
  });
});
