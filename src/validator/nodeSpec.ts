/**
 * The node's `/eth/v1/config/spec` against this process's preset and a chain config. A client that
 * signs with another SLOTS_PER_EPOCH, fork version or slot time than its node would sign for a
 * chain that does not exist, so any difference stops it before the first duty. A standalone
 * client adopts the node's network instead (its PRESET_BASE and config values), then checks the
 * same way.
 */
import {createChainConfig, defaultConfigRaw, isPresetName, preset, useNetwork, type ChainConfig, type PresetName} from "../params/index.ts";
import {GnomonError} from "../util/errors.ts";

export class NodeSpecMismatchError extends GnomonError {
  readonly mismatches: string[];
  constructor(mismatches: string[]) {
    super("NODE_SPEC_MISMATCH", `the beacon node runs another network: ${mismatches.slice(0, 8).join("; ")}${mismatches.length > 8 ? `; and ${mismatches.length - 8} more` : ""}`);
    this.mismatches = mismatches;
  }
}

/** How the API writes a value: decimal strings, 0x-hex (lower case), far future as 2**64-1. */
function apiForm(value: unknown): string {
  if (value instanceof Uint8Array) return `0x${Buffer.from(value).toString("hex")}`;
  if (value === Infinity) return "18446744073709551615";
  if (typeof value === "string") return /^0x[0-9a-fA-F]*$/.test(value) ? value.toLowerCase() : value;
  if (typeof value === "number" || typeof value === "bigint") return value.toString(10);
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "string" && /^0x/.test(v) ? v.toLowerCase() : v));
}

/**
 * Differences between the node's spec and ours: every preset value, and every config value the
 * node reports (a key only one side knows belongs to a fork the other does not run). The config
 * name is a label, not a rule.
 */
export function compareNodeSpec(config: ChainConfig, nodeSpec: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (nodeSpec.PRESET_BASE !== undefined && apiForm(nodeSpec.PRESET_BASE) !== config.PRESET_BASE) {
    out.push(`PRESET_BASE: node ${apiForm(nodeSpec.PRESET_BASE)}, ours ${config.PRESET_BASE}`);
  }
  for (const [key, ours] of Object.entries(preset)) {
    const theirs = nodeSpec[key];
    if (theirs === undefined) out.push(`${key}: node does not report it, ours ${apiForm(ours)}`);
    else if (apiForm(theirs) !== apiForm(ours)) out.push(`${key}: node ${apiForm(theirs)}, ours ${apiForm(ours)}`);
  }
  for (const [key, ours] of Object.entries(config.raw)) {
    if (key === "CONFIG_NAME" || key === "PRESET_BASE") continue;
    const theirs = nodeSpec[key];
    if (theirs !== undefined && apiForm(theirs) !== apiForm(ours)) out.push(`${key}: node ${apiForm(theirs)}, ours ${apiForm(ours)}`);
  }
  // Timing decides every duty: compare the slot time whichever way each side writes it.
  const nodeSlotMs =
    nodeSpec.SLOT_DURATION_MS !== undefined ? Number(nodeSpec.SLOT_DURATION_MS) : nodeSpec.SECONDS_PER_SLOT !== undefined ? Number(nodeSpec.SECONDS_PER_SLOT) * 1000 : NaN;
  if (nodeSlotMs !== config.SLOT_DURATION_MS) out.push(`slot duration: node ${nodeSlotMs} ms, ours ${config.SLOT_DURATION_MS} ms`);
  return [...new Set(out)];
}

export function assertNodeSpecMatches(config: ChainConfig, nodeSpec: Record<string, unknown>): void {
  const mismatches = compareNodeSpec(config, nodeSpec);
  if (mismatches.length > 0) throw new NodeSpecMismatchError(mismatches);
}

/** The node's preset name and its config values as overrides of that preset's base config. */
function nodeNetwork(nodeSpec: Record<string, unknown>): {presetBase: PresetName; overrides: Record<string, unknown>} {
  const presetBase = apiForm(nodeSpec.PRESET_BASE ?? "");
  if (!isPresetName(presetBase)) throw new NodeSpecMismatchError([`PRESET_BASE: node runs "${presetBase}", which Gnomon does not know`]);
  const overrides: Record<string, unknown> = {};
  for (const key of Object.keys(defaultConfigRaw(presetBase))) {
    const v = nodeSpec[key];
    if (key !== "PRESET_BASE" && typeof v === "string") overrides[key] = v;
  }
  if (typeof nodeSpec.SECONDS_PER_SLOT === "string" && overrides.SLOT_DURATION_MS === undefined) overrides.SECONDS_PER_SLOT = nodeSpec.SECONDS_PER_SLOT;
  return {presetBase, overrides};
}

/** The chain config the node runs, built from its spec (the preset stays this process's: compare it). */
export function nodeChainConfig(nodeSpec: Record<string, unknown>): ChainConfig {
  const {presetBase, overrides} = nodeNetwork(nodeSpec);
  return createChainConfig(presetBase, overrides);
}

/** Selects the node's preset for this process (a standalone client), checks, and returns the node's config. */
export function adoptNodeNetwork(nodeSpec: Record<string, unknown>): ChainConfig {
  const {presetBase, overrides} = nodeNetwork(nodeSpec);
  const config = useNetwork(presetBase, overrides);
  assertNodeSpecMatches(config, nodeSpec);
  return config;
}
