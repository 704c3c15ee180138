/** Typed failures of the benchmark-input builders (cache I/O, inputs that do not match INPUTS.md). */
import {GnomonError} from "../../src/util/errors.ts";

export type BenchInputErrorCode = "BENCH_CACHE_IO" | "BENCH_INPUT_MISMATCH" | "BENCH_UNSUPPORTED_INPUT";

export class BenchInputError extends GnomonError {
  declare readonly code: BenchInputErrorCode;
  constructor(code: BenchInputErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}
