export {InterchangeError, SlashingProtectionError, type InterchangeErrorCode, type SlashingProtectionErrorCode} from "./errors.ts";
export {exportInterchange} from "./exportInterchange.ts";
export {importInterchange, type ImportSummary} from "./importInterchange.ts";
export {parseInterchange, parseInterchangeInput, type Interchange, type InterchangeJson} from "./interchangeFormat.ts";
export {
  parseInterchangeTest,
  runInterchangeTest,
  runInterchangeTestFile,
  SLASHING_PROTECTION_STRATEGY,
  type InterchangeTestMismatch,
  type InterchangeTestOptions,
  type InterchangeTestResult,
} from "./interchangeTest.ts";
export type {AttestationRecord, BlockRecord, Watermarks} from "./records.ts";
export {SlashingProtectionStore, withStore, type AttestationSigningRequest, type SigningOutcome} from "./store.ts";
