/**
 * A small declarative CLI layer over node:util parseArgs: each command lists its options with
 * defaults and descriptions, and `--help` is generated from that list so it cannot drift.
 */
import {parseArgs} from "node:util";
import {InputError} from "../util/errors.ts";

export interface OptionSpec {
  type: "string" | "boolean";
  description: string;
  default?: string | boolean;
  valueName?: string;
  /** May be given several times; the value is then a string[]. */
  multiple?: boolean;
}

export type ParsedOptions = Record<string, string | boolean | string[] | undefined>;

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, OptionSpec>;
  /** Free text appended to --help (examples, environment variables). */
  details?: string;
  subcommands?: Command[];
  run?(opts: ParsedOptions, positionals: string[]): Promise<number | void>;
}

export function formatHelp(cmd: Command, prefix = "gnomon"): string {
  const lines = [`Usage: ${prefix} ${cmd.usage}`, "", cmd.summary];
  if (cmd.subcommands?.length) {
    lines.push("", "Commands:");
    const w = Math.max(...cmd.subcommands.map((c) => c.name.length));
    for (const c of cmd.subcommands) lines.push(`  ${c.name.padEnd(w)}  ${c.summary}`);
  }
  const entries = Object.entries(cmd.options);
  if (entries.length) {
    lines.push("", "Options:");
    const labels = entries.map(([k, o]) => `--${k}${o.type === "string" ? ` <${o.valueName ?? "value"}>` : ""}`);
    const w = Math.max(...labels.map((l) => l.length), "--help".length);
    entries.forEach(([, o], i) => {
      const def = o.default !== undefined && o.default !== false ? ` (default: ${String(o.default)})` : "";
      lines.push(`  ${labels[i].padEnd(w)}  ${o.description}${def}`);
    });
    lines.push(`  ${"--help".padEnd(w)}  Show this help`);
  }
  if (cmd.details) lines.push("", cmd.details.trimEnd());
  return lines.join("\n");
}

export function parseOptions(cmd: Command, argv: string[]): {opts: ParsedOptions; positionals: string[]; help: boolean} {
  const options: Record<string, {type: "string" | "boolean"; multiple?: boolean}> = {help: {type: "boolean"}};
  // parseArgs rejects an explicit `multiple: undefined`, so the key is only set when given.
  for (const [k, o] of Object.entries(cmd.options)) {
    options[k] = o.multiple === undefined ? {type: o.type} : {type: o.type, multiple: o.multiple};
  }
  let parsed;
  try {
    parsed = parseArgs({args: argv, options, allowPositionals: true, strict: true});
  } catch (e) {
    // parseArgs messages mention internals ("To specify a positional argument..."); keep the first sentence.
    const msg = (e as Error).message.split(". ")[0].replace(/\.$/, "");
    throw new InputError(`${msg} (see: gnomon ${cmd.usage.split(" ")[0]} --help)`);
  }
  const opts: ParsedOptions = {};
  for (const [k, o] of Object.entries(cmd.options)) {
    const v = (parsed.values as ParsedOptions)[k];
    opts[k] = v ?? o.default;
  }
  return {opts, positionals: parsed.positionals, help: parsed.values.help === true};
}

/** Reads a string option that must be present. */
export function requireString(opts: ParsedOptions, name: string): string {
  const v = opts[name];
  if (typeof v !== "string" || v === "") throw new InputError(`missing required option --${name}`);
  return v;
}

/** Parses a non-negative integer option within [min, max]. */
export function intOption(opts: ParsedOptions, name: string, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const v = opts[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || !/^[0-9]+$/.test(v)) throw new InputError(`--${name} must be a non-negative integer, got "${String(v)}"`);
  const n = Number(v);
  if (n < min || n > max) throw new InputError(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}
