/**
 * The validator registry and balances of the inputs, built in bulk as trees: the registry goes
 * through one SSZ deserialization of all records (no per-validator push), and the balances through
 * the packed-uint64 list builder.
 */
import {PUBKEY_LENGTH} from "../../src/crypto/index.ts";
import {blsWithdrawalCredentials} from "../../src/node/genesis/withdrawalCredentials.ts";
import {FAR_FUTURE_EPOCH} from "../../src/params/index.ts";
import {ssz, type Validator} from "../../src/types/index.ts";
import {BENCH_GWEI_PER_VALIDATOR} from "./layout.ts";
import {BenchInputError} from "./errors.ts";
import {prehashValidators} from "./prehashValidators.ts";

/** Validator i of INPUTS.md: active since epoch 0, never exiting, 32 ETH effective. */
export function benchValidator(pubkey: Uint8Array): Validator {
  return {
    pubkey,
    withdrawal_credentials: blsWithdrawalCredentials(pubkey),
    effective_balance: BENCH_GWEI_PER_VALIDATOR,
    slashed: false,
    activation_eligibility_epoch: 0,
    activation_epoch: 0,
    exit_epoch: FAR_FUTURE_EPOCH,
    withdrawable_epoch: FAR_FUTURE_EPOCH,
  };
}

/** `pubkeys` holds at least `count` keys of 48 bytes back to back. */
export function buildValidators(pubkeys: Uint8Array, count: number) {
  if (pubkeys.length < count * PUBKEY_LENGTH) {
    throw new BenchInputError("BENCH_UNSUPPORTED_INPUT", `need ${count} pubkeys, got ${Math.floor(pubkeys.length / PUBKEY_LENGTH)}`);
  }
  const Validators = ssz.BeaconState.fields.validators;
  const size = ssz.Validator.fixedSize;
  if (size === null) throw new BenchInputError("BENCH_UNSUPPORTED_INPUT", "Validator is expected to be fixed-size");
  // Serialize the records one by one into a single buffer, then build the whole tree at once.
  const bytes = new Uint8Array(count * size);
  const dataView = new DataView(bytes.buffer);
  const out = {uint8Array: bytes, dataView};
  for (let i = 0; i < count; i++) {
    const pubkey = pubkeys.subarray(i * PUBKEY_LENGTH, (i + 1) * PUBKEY_LENGTH);
    ssz.Validator.value_serializeToBytes(out, i * size, benchValidator(pubkey));
  }
  const view = Validators.deserializeToViewDU(bytes);
  prehashValidators(view);
  return view;
}

export function buildBalances(count: number) {
  return ssz.BeaconState.fields.balances.toViewDU(new Array<number>(count).fill(BENCH_GWEI_PER_VALIDATOR));
}
