/**
 * sanity (consensus-specs tests/formats/sanity): `slots` runs process_slots for slots.yaml slots;
 * `blocks` runs state_transition over blocks_<i> in order. Also the shared helpers of the
 * state-transition runners (operations, epoch_processing, finality, rewards, random, genesis):
 * state loading, meta.yaml settings, the post-state comparison and the "must be rejected" check.
 */
import {
  createCachedBeaconState,
  processSlots,
  stateTransition,
  type CachedBeaconState,
} from "../../src/state-transition/index.ts";
import {ACTIVE_PRESET, createChainConfig, type ChainConfig} from "../../src/params/index.ts";
import {ssz, type BeaconState, type BeaconStateView, type SignedBeaconBlock} from "../../src/types/index.ts";
import {bytesEqual, toHex} from "../../src/util/bytes.ts";
import {GnomonError} from "../../src/util/errors.ts";
import {CaseFailure, SkipCase, type CaseContext, type Runner} from "../harness/types.ts";

export interface Meta {
  /** 0: either, 1: signatures must be verified, 2: must not be. */
  blsSetting: number;
  blocksCount?: number;
  depositsCount?: number;
}

function toNumber(value: unknown, what: string): number {
  if (typeof value === "bigint" || typeof value === "number") return Number(value);
  throw new CaseFailure(`meta.yaml: ${what} is not an integer`);
}

export function readMeta(ctx: CaseContext): Meta {
  if (!ctx.has("meta.yaml")) return {blsSetting: 0};
  const raw = ctx.readYaml<Record<string, unknown> | null>("meta") ?? {};
  const meta: Meta = {blsSetting: raw.bls_setting === undefined ? 0 : toNumber(raw.bls_setting, "bls_setting")};
  if (raw.blocks_count !== undefined) meta.blocksCount = toNumber(raw.blocks_count, "blocks_count");
  if (raw.deposits_count !== undefined) meta.depositsCount = toNumber(raw.deposits_count, "deposits_count");
  return meta;
}

/** Whether to verify signatures for a bls_setting (0 means either: the vectors' signatures are real). */
export function verifySignatures(meta: Meta): boolean {
  return meta.blsSetting !== 2;
}

export function loadState(ctx: CaseContext, name: string): BeaconStateView {
  const bytes = ctx.readSsz(name);
  try {
    return ssz.BeaconState.deserializeToViewDU(bytes);
  } catch (e) {
    throw new CaseFailure(`${name}.ssz_snappy is not a BeaconState: ${(e as Error).message}`);
  }
}

const caseConfigs = new Map<string, ChainConfig>();

/** The chain config of a case: its preset's base config (phase0 vectors carry no config file). */
export function caseConfig(ctx: CaseContext): ChainConfig {
  const preset = ctx.preset === "general" ? ACTIVE_PRESET : ctx.preset;
  let config = caseConfigs.get(preset);
  if (config === undefined) caseConfigs.set(preset, (config = createChainConfig(preset)));
  return config;
}

export function loadCachedState(ctx: CaseContext, name: string): CachedBeaconState {
  return createCachedBeaconState(loadState(ctx, name), caseConfig(ctx));
}

/** Names of the top-level fields that differ, with the first differing index of list fields. */
export function describeStateDiff(actual: BeaconState, expected: BeaconState): string {
  const diffs: string[] = [];
  const fields = ssz.BeaconState.fields as Record<string, {hashTreeRoot(v: unknown): Uint8Array; equals(a: unknown, b: unknown): boolean}>;
  for (const [name, type] of Object.entries(fields)) {
    const a = (actual as unknown as Record<string, unknown>)[name];
    const b = (expected as unknown as Record<string, unknown>)[name];
    if (bytesEqual(type.hashTreeRoot(a), type.hashTreeRoot(b))) continue;
    let detail = "";
    if (Array.isArray(a) && Array.isArray(b)) {
      if (a.length !== b.length) detail = ` (length ${a.length}, expected ${b.length})`;
      else {
        const elementType = (type as unknown as {elementType?: {equals(x: unknown, y: unknown): boolean}}).elementType;
        const i = a.findIndex((x, k) => (elementType ? !elementType.equals(x, b[k]) : x !== b[k]));
        if (i >= 0) detail = ` (first at index ${i}: ${preview(a[i])}, expected ${preview(b[i])})`;
      }
    }
    diffs.push(name + detail);
  }
  return diffs.join(", ");
}

function preview(v: unknown): string {
  if (v instanceof Uint8Array) return toHex(v);
  if (typeof v === "object" && v !== null) {
    return JSON.stringify(v, (_k, x) => (x instanceof Uint8Array ? toHex(x) : x === Infinity ? "FAR_FUTURE" : x));
  }
  return String(v);
}

/** Compares a post-state with `<name>.ssz_snappy` by hash_tree_root; on mismatch names the fields. */
export function assertStateEquals(ctx: CaseContext, actual: BeaconStateView, name = "post"): void {
  const expected = loadState(ctx, name);
  const actualRoot = actual.hashTreeRoot();
  const expectedRoot = expected.hashTreeRoot();
  if (bytesEqual(actualRoot, expectedRoot)) return;
  const diff = describeStateDiff(actual.toValue(), expected.toValue());
  throw new CaseFailure(`${name} state root ${toHex(actualRoot)} != expected ${toHex(expectedRoot)}; differing fields: ${diff || "(none at top level)"}`);
}

/**
 * For cases without a post-state: `fn` must throw the state transition's typed error. Success is a
 * failure of the case; an untyped exception is too (it would be a crash, not a rejection).
 */
export function assertRejected(what: string, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (e instanceof GnomonError) return;
    throw new CaseFailure(`${what} was rejected, but by an untyped error: ${(e as Error)?.stack ?? String(e)}`);
  }
  throw new CaseFailure(`${what} has no post-state and must be rejected, but it was accepted`);
}

export function readBlocks(ctx: CaseContext, count: number): SignedBeaconBlock[] {
  const blocks: SignedBeaconBlock[] = [];
  for (let i = 0; i < count; i++) {
    const bytes = ctx.readSsz(`blocks_${i}`);
    try {
      blocks.push(ssz.SignedBeaconBlock.deserialize(bytes));
    } catch (e) {
      throw new CaseFailure(`blocks_${i}.ssz_snappy is not a SignedBeaconBlock: ${(e as Error).message}`);
    }
  }
  return blocks;
}

/** The blocks format shared by sanity/blocks, finality and random. */
export function runBlocksCase(ctx: CaseContext): void {
  const meta = readMeta(ctx);
  if (meta.blocksCount === undefined) throw new CaseFailure("meta.yaml has no blocks_count");
  const pre = loadCachedState(ctx, "pre");
  const blocks = readBlocks(ctx, meta.blocksCount);
  // finality also ships each block as YAML; the SSZ copy carries the same value.
  for (let i = 0; i < blocks.length; i++) ctx.markRead(`blocks_${i}.yaml`);
  const verify = verifySignatures(meta);
  const apply = (): CachedBeaconState => {
    let s = pre;
    for (const block of blocks) {
      s = stateTransition(s, block, {verifySignatures: verify, verifyProposer: verify, verifyStateRoot: true});
    }
    return s;
  };
  if (!ctx.has("post.ssz_snappy")) {
    assertRejected(`the block sequence (${blocks.length} blocks)`, apply);
    return;
  }
  assertStateEquals(ctx, apply().state);
}

function runSlotsCase(ctx: CaseContext): void {
  readMeta(ctx);
  const slots = ctx.readYaml<unknown>("slots");
  if (typeof slots !== "bigint" && typeof slots !== "number") throw new CaseFailure("slots.yaml is not an integer");
  const s = loadCachedState(ctx, "pre");
  const target = s.state.slot + Number(slots);
  if (!ctx.has("post.ssz_snappy")) {
    assertRejected(`process_slots to ${target}`, () => processSlots(s, target));
    return;
  }
  processSlots(s, target);
  assertStateEquals(ctx, s.state);
}

export const runner: Runner = {
  name: "sanity",
  run(ctx: CaseContext): void {
    if (ctx.handler === "blocks") return runBlocksCase(ctx);
    if (ctx.handler === "slots") return runSlotsCase(ctx);
    throw new SkipCase(`sanity handler ${ctx.handler} is not a phase0 handler`);
  },
};
