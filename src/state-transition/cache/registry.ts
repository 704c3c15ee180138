/**
 * The registry fields the epoch transition reads, as flat typed arrays by validator index.
 *
 * Reading a million validator objects scattered over the heap costs a cache miss each; the same
 * fields in a few contiguous arrays are read at memory bandwidth. An epoch context holds one
 * snapshot, immutable and shared by every clone of the state; blocks mark the validators they
 * change, and the next epoch transition re-reads only those. A snapshot derived from another
 * shares each field array until its first write to that field (most epochs change only a few
 * effective balances, so most arrays pass from epoch to epoch without a copy).
 */
import type {Validator} from "../../types/index.ts";

type RegistryFields = Pick<
  Validator,
  "effective_balance" | "slashed" | "activation_eligibility_epoch" | "activation_epoch" | "exit_epoch" | "withdrawable_epoch"
>;

export type FloatField = "effectiveBalance" | "activationEligibilityEpoch" | "activationEpoch" | "exitEpoch" | "withdrawableEpoch";
const FLOAT_FIELDS: FloatField[] = ["effectiveBalance", "activationEligibilityEpoch", "activationEpoch", "exitEpoch", "withdrawableEpoch"];

export class RegistryArrays {
  readonly length: number;
  effectiveBalance: Float64Array;
  slashed: Uint8Array;
  activationEligibilityEpoch: Float64Array;
  activationEpoch: Float64Array;
  exitEpoch: Float64Array;
  withdrawableEpoch: Float64Array;
  /** Fields this snapshot may write in place (its own copies). */
  private readonly owned = new Set<FloatField | "slashed">();

  private constructor(length: number, from?: RegistryArrays) {
    this.length = length;
    if (from === undefined || from.length !== length) {
      const n = from === undefined ? 0 : Math.min(length, from.length);
      this.effectiveBalance = grow(from?.effectiveBalance, length, n);
      this.slashed = from === undefined ? new Uint8Array(length) : growBytes(from.slashed, length, n);
      this.activationEligibilityEpoch = grow(from?.activationEligibilityEpoch, length, n);
      this.activationEpoch = grow(from?.activationEpoch, length, n);
      this.exitEpoch = grow(from?.exitEpoch, length, n);
      this.withdrawableEpoch = grow(from?.withdrawableEpoch, length, n);
      for (const f of FLOAT_FIELDS) this.owned.add(f);
      this.owned.add("slashed");
    } else {
      this.effectiveBalance = from.effectiveBalance;
      this.slashed = from.slashed;
      this.activationEligibilityEpoch = from.activationEligibilityEpoch;
      this.activationEpoch = from.activationEpoch;
      this.exitEpoch = from.exitEpoch;
      this.withdrawableEpoch = from.withdrawableEpoch;
    }
  }

  static empty(length: number): RegistryArrays {
    return new RegistryArrays(length);
  }

  /** A snapshot for `length` validators sharing this one's arrays until written (entries past this one's length are zero). */
  derive(length: number): RegistryArrays {
    return new RegistryArrays(length, this);
  }

  /** Makes `field` this snapshot's own array (a copy on first call) and returns it. */
  writable(field: FloatField): Float64Array {
    if (!this.owned.has(field)) {
      this[field] = this[field].slice();
      this.owned.add(field);
    }
    return this[field];
  }

  writableSlashed(): Uint8Array {
    if (!this.owned.has("slashed")) {
      this.slashed = this.slashed.slice();
      this.owned.add("slashed");
    }
    return this.slashed;
  }

  /** Writes every field of validator i, copying only the arrays whose value changes. */
  set(i: number, v: RegistryFields): void {
    this.setFloat("effectiveBalance", i, v.effective_balance);
    this.setFloat("activationEligibilityEpoch", i, v.activation_eligibility_epoch);
    this.setFloat("activationEpoch", i, v.activation_epoch);
    this.setFloat("exitEpoch", i, v.exit_epoch);
    this.setFloat("withdrawableEpoch", i, v.withdrawable_epoch);
    const slashed = v.slashed ? 1 : 0;
    if (this.slashed[i] !== slashed) this.writableSlashed()[i] = slashed;
  }

  setFloat(field: FloatField, i: number, value: number): void {
    if (this[field][i] !== value) this.writable(field)[i] = value;
  }

  /** Once handed to an epoch context the snapshot is shared: nothing may write it in place. */
  freeze(): void {
    this.owned.clear();
  }
}

function grow(from: Float64Array | undefined, length: number, n: number): Float64Array {
  const out = new Float64Array(length);
  if (from !== undefined) out.set(from.subarray(0, n));
  return out;
}

function growBytes(from: Uint8Array, length: number, n: number): Uint8Array {
  const out = new Uint8Array(length);
  out.set(from.subarray(0, n));
  return out;
}
