/**
 * Runner for the standard slashing-protection interchange test format (the public
 * "slashing-protection-interchange-tests" suite): `{name, genesis_validators_root, steps[]}`,
 * each step importing `interchange` into one fresh database (expecting `should_succeed`), then
 * attempting `blocks[]` and `attestations[]`.
 *
 * The store follows the complete strategy (it keeps every record with its signing root), so
 * each message is judged by `should_succeed_complete`, or `should_succeed` in files that
 * predate the split (where it already meant what a complete store must do). There is no
 * tolerance: signing something that must be refused and refusing something that must be
 * signed both fail the test, and so does refusing an import the step expects to succeed.
 */
import {randomBytes} from "node:crypto";
import {mkdtemp, readFile, rm, stat} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {fromHex} from "../../util/bytes.ts";
import {errorMessage, GnomonError} from "../../util/errors.ts";
import {InterchangeError} from "./errors.ts";
import {importInterchange} from "./importInterchange.ts";
import {PUBKEY_LENGTH, ROOT_LENGTH} from "./keys.ts";
import {SlashingProtectionStore} from "./store.ts";

/** How the store protects: it keeps every signed message, so the suite's complete expectations apply. */
export const SLASHING_PROTECTION_STRATEGY = "complete";

export interface InterchangeTestOptions {
  /** Where to create the fresh database (must not exist yet); default: a temporary directory, removed afterwards. */
  dbPath?: string;
}

export interface InterchangeTestMismatch {
  step: number;
  kind: "import" | "block" | "attestation";
  /** Index within the step's blocks or attestations (0 for the import). */
  index: number;
  expected: boolean;
  actual: boolean;
  description: string;
}

export interface InterchangeTestResult {
  name: string;
  passed: boolean;
  /** The first failing expectation, when the test failed. */
  mismatch: InterchangeTestMismatch | null;
  stepsRun: number;
  checks: number;
}

interface TestBlock {
  pubkey: Uint8Array;
  slot: number;
  signingRoot: Uint8Array | null;
  shouldSucceed: boolean;
}

interface TestAttestation {
  pubkey: Uint8Array;
  sourceEpoch: number;
  targetEpoch: number;
  signingRoot: Uint8Array | null;
  shouldSucceed: boolean;
}

interface TestStep {
  shouldSucceed: boolean;
  containsSlashableData: boolean;
  interchange: unknown;
  blocks: TestBlock[];
  attestations: TestAttestation[];
}

interface TestCase {
  name: string;
  genesisValidatorsRoot: Uint8Array;
  steps: TestStep[];
}

type Json = Record<string, unknown>;

const bad = (message: string): InterchangeError => new InterchangeError("INTERCHANGE_TEST_MALFORMED", message);

function obj(v: unknown, where: string): Json {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw bad(`${where} must be an object`);
  return v as Json;
}

function list(v: unknown, where: string): unknown[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw bad(`${where} must be an array`);
  return v;
}

function bool(v: unknown, where: string, fallback?: boolean): boolean {
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== "boolean") throw bad(`${where} must be true or false`);
  return v;
}

/** Test files write integers as numbers or (more recently) decimal strings. */
function uint(v: unknown, where: string): number {
  const n = typeof v === "string" && /^[0-9]+$/.test(v) ? Number(v) : v;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) throw bad(`${where} must be a non-negative integer, got ${JSON.stringify(v)}`);
  return n;
}

function bytes(v: unknown, length: number, where: string): Uint8Array {
  try {
    return fromHex(v as string, length);
  } catch {
    throw bad(`${where} must be ${length} bytes of hex`);
  }
}

function optionalRoot(v: unknown, where: string): Uint8Array | null {
  return v === undefined || v === null ? null : bytes(v, ROOT_LENGTH, where);
}

function parseStep(raw: unknown, where: string): TestStep {
  const step = obj(raw, where);
  if (!("interchange" in step)) throw bad(`${where}.interchange is missing`);
  return {
    shouldSucceed: bool(step.should_succeed, `${where}.should_succeed`),
    containsSlashableData: bool(step.contains_slashable_data, `${where}.contains_slashable_data`, false),
    interchange: step.interchange,
    blocks: list(step.blocks, `${where}.blocks`).map((b, i) => {
      const w = `${where}.blocks[${i}]`;
      const block = obj(b, w);
      return {
        pubkey: bytes(block.pubkey, PUBKEY_LENGTH, `${w}.pubkey`),
        slot: uint(block.slot, `${w}.slot`),
        signingRoot: optionalRoot(block.signing_root, `${w}.signing_root`),
        shouldSucceed: bool(block.should_succeed_complete, `${w}.should_succeed_complete`, bool(block.should_succeed, `${w}.should_succeed`)),
      };
    }),
    attestations: list(step.attestations, `${where}.attestations`).map((a, i) => {
      const w = `${where}.attestations[${i}]`;
      const att = obj(a, w);
      return {
        pubkey: bytes(att.pubkey, PUBKEY_LENGTH, `${w}.pubkey`),
        sourceEpoch: uint(att.source_epoch, `${w}.source_epoch`),
        targetEpoch: uint(att.target_epoch, `${w}.target_epoch`),
        signingRoot: optionalRoot(att.signing_root, `${w}.signing_root`),
        shouldSucceed: bool(att.should_succeed_complete, `${w}.should_succeed_complete`, bool(att.should_succeed, `${w}.should_succeed`)),
      };
    }),
  };
}

/** Parses a test file; the older single-step layout (no `steps`) is read as one step. */
export function parseInterchangeTest(json: unknown): TestCase {
  const top = obj(json, "test");
  if (typeof top.name !== "string") throw bad("test.name must be a string");
  const steps = "steps" in top ? list(top.steps, "steps").map((s, i) => parseStep(s, `steps[${i}]`)) : [parseStep(top, "test")];
  return {name: top.name, genesisValidatorsRoot: bytes(top.genesis_validators_root, ROOT_LENGTH, "genesis_validators_root"), steps};
}

/** Refusal (false) or permission (true); errors that are not typed refusals are bugs and propagate. */
async function attempt(fn: () => Promise<unknown>): Promise<{ok: boolean; reason: string}> {
  try {
    await fn();
    return {ok: true, reason: "signed"};
  } catch (e) {
    if (e instanceof GnomonError) return {ok: false, reason: `${e.code}: ${e.message}`};
    throw e;
  }
}

async function runSteps(test: TestCase, store: SlashingProtectionStore): Promise<InterchangeTestResult> {
  const result: InterchangeTestResult = {name: test.name, passed: true, mismatch: null, stepsRun: 0, checks: 0};
  const fail = (m: InterchangeTestMismatch): InterchangeTestResult => ({...result, passed: false, mismatch: m});

  for (const [s, step] of test.steps.entries()) {
    result.stepsRun = s + 1;
    const imported = await attempt(() => importInterchange(store, step.interchange, test.genesisValidatorsRoot));
    result.checks++;
    if (imported.ok !== step.shouldSucceed) {
      return fail({step: s, kind: "import", index: 0, expected: step.shouldSucceed, actual: imported.ok, description: `import: ${imported.reason}`});
    }

    const checks = [
      ...step.blocks.map((b, i) => ({
        kind: "block" as const,
        index: i,
        expected: b.shouldSucceed,
        what: `block slot ${b.slot}`,
        run: () => store.checkAndInsertBlock(b.pubkey, b.slot, b.signingRoot ?? new Uint8Array(randomBytes(32))),
      })),
      ...step.attestations.map((a, i) => ({
        kind: "attestation" as const,
        index: i,
        expected: a.shouldSucceed,
        what: `attestation ${a.sourceEpoch}->${a.targetEpoch}`,
        run: () => store.checkAndInsertAttestation(a.pubkey, a.sourceEpoch, a.targetEpoch, a.signingRoot ?? new Uint8Array(randomBytes(32))),
      })),
    ];
    for (const check of checks) {
      const outcome = await attempt(check.run);
      result.checks++;
      if (outcome.ok === check.expected) continue;
      return fail({step: s, kind: check.kind, index: check.index, expected: check.expected, actual: outcome.ok, description: `${check.what}: ${outcome.reason}`});
    }
  }
  return result;
}

/** Runs one test (parsed JSON value) against a fresh database. Malformed tests throw InterchangeError. */
export async function runInterchangeTest(json: unknown, opts: InterchangeTestOptions = {}): Promise<InterchangeTestResult> {
  const test = parseInterchangeTest(json);
  let dbPath = opts.dbPath;
  let tempDir: string | null = null;
  if (dbPath === undefined) {
    tempDir = await mkdtemp(join(tmpdir(), "gnomon-interchange-test-"));
    dbPath = join(tempDir, "db");
  } else if (await stat(dbPath).then(() => true, () => false)) {
    throw bad(`database path ${dbPath} already exists; interchange tests need a fresh database`);
  }
  try {
    const store = await SlashingProtectionStore.open(dbPath);
    try {
      return await runSteps(test, store);
    } finally {
      await store.close();
    }
  } finally {
    if (tempDir !== null) await rm(tempDir, {recursive: true, force: true});
  }
}

/** Reads and runs a test file. */
export async function runInterchangeTestFile(file: string, opts: InterchangeTestOptions = {}): Promise<InterchangeTestResult> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, "utf8"));
  } catch (e) {
    throw bad(`cannot read test file ${file}: ${errorMessage(e)}`);
  }
  return runInterchangeTest(json, opts);
}
