/**
 * Reads a scenario file (YAML, documented in scenarios/README.md) into a checked `Scenario`.
 * Everything a run relies on is decided here, before any node starts: a wrong key, type, node
 * name or time gives a `ScenarioError` naming the file, the line, the key path and what was
 * expected, never a run that silently does something else.
 */
import {readFile} from "node:fs/promises";
import {basename, extname} from "node:path";
import {LineCounter, parseDocument, type Document} from "yaml";
import {InputError, errorMessage} from "../util/errors.ts";
import {optimalFinalizedEpoch, parseSlotTime} from "./scenarioTime.ts";
import {
  BehaviourKind,
  type ByzantineGroup,
  type Expectations,
  type OfflinePeriod,
  type Partition,
  type Scenario,
  type ScenarioNode,
} from "./types.ts";

/** Defaults of the optional keys (scenarios/README.md lists the same). */
export const SCENARIO_DEFAULTS = {
  secondsPerSlot: 6,
  proposerScoreBoost: 40,
  slasher: true,
  latencyMs: 100,
  jitterMs: 0,
  loss: 0,
} as const;

/** Bounds that keep a typo from asking for a run of years. */
const MAX_SLOTS = 1_000_000;
const MAX_VALIDATORS = 1 << 20;

type Path = (string | number)[];

export class ScenarioError extends InputError {
  readonly source: string;
  /** The key path, e.g. "partitions[0].heal" ("" for the whole file). */
  readonly path: string;
  readonly expected: string;
  readonly line: number | null;
  constructor(source: string, path: string, expected: string, got: string | null, line: number | null) {
    const where = line === null ? source : `${source}:${line}`;
    const key = path === "" ? "" : ` ${path}:`;
    super(`${where}:${key} expected ${expected}${got === null ? "" : `, got ${got}`}`);
    this.source = source;
    this.path = path;
    this.expected = expected;
    this.line = line;
  }
}

export function formatPath(path: Path): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? p : `.${p}`;
  return out;
}

function describe(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  return JSON.stringify(v);
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Knows where each key sits in the file, so every complaint can point at its line. */
class Checker {
  private readonly source: string;
  private readonly doc: Document;
  private readonly lines: LineCounter;
  constructor(source: string, doc: Document, lines: LineCounter) {
    this.source = source;
    this.doc = doc;
    this.lines = lines;
  }

  fail(path: Path, expected: string, got: unknown = undefined, showGot = true): never {
    throw new ScenarioError(this.source, formatPath(path), expected, showGot ? describe(got) : null, this.lineOf(path));
  }

  private lineOf(path: Path): number | null {
    for (let n = path.length; n >= 0; n--) {
      const node = this.doc.getIn(path.slice(0, n), true) as {range?: [number, number, number]} | undefined;
      if (node?.range) return this.lines.linePos(node.range[0]).line;
    }
    return null;
  }

  mapping(v: unknown, path: Path, keys: readonly string[]): Record<string, unknown> {
    if (!isMapping(v)) this.fail(path, `a mapping with keys ${keys.join(", ")}`, v);
    for (const k of Object.keys(v)) if (!keys.includes(k)) this.fail([...path, k], `one of the keys ${keys.join(", ")}`, k);
    return v;
  }

  list(v: unknown, path: Path, what: string): unknown[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) this.fail(path, `a list of ${what}`, v);
    return v;
  }

  string(v: unknown, path: Path, fallback?: string): string {
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== "string") this.fail(path, "a string", v);
    return v;
  }

  name(v: unknown, path: Path): string {
    if (typeof v !== "string" || !/^[A-Za-z0-9_.-]{1,32}$/.test(v)) this.fail(path, "a name of 1-32 letters, digits, '_', '.' or '-'", v);
    return v;
  }

  boolean(v: unknown, path: Path, fallback?: boolean): boolean {
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== "boolean") this.fail(path, "true or false", v);
    return v;
  }

  integer(v: unknown, path: Path, min: number, max: number, fallback?: number): number {
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min || v > max) this.fail(path, `an integer in ${min}..${max}`, v);
    return v;
  }

  number(v: unknown, path: Path, range: {min: number; max: number; maxOpen?: boolean}, fallback?: number): number {
    if (v === undefined && fallback !== undefined) return fallback;
    const {min, max, maxOpen} = range;
    if (typeof v !== "number" || !Number.isFinite(v) || v < min || (maxOpen ? v >= max : v > max)) {
      this.fail(path, `a number in [${min}, ${max}${maxOpen ? ")" : "]"}`, v);
    }
    return v;
  }

  /** A time within the run: 0..slots ("epoch N", "slot N" or N). */
  time(v: unknown, path: Path, slots: number, fallback?: number): number {
    if (v === undefined && fallback !== undefined) return fallback;
    const slot = parseSlotTime(v);
    if (slot === null) this.fail(path, `a time ("epoch N", "slot N" or a slot number)`, v);
    if (slot > slots) this.fail(path, `a time within the run (at most slot ${slots}, the duration)`, v);
    return slot;
  }

  /** A time that may be "never" (or null, or left out): null. */
  timeOrNever(v: unknown, path: Path, slots: number): number | null {
    if (v === undefined || v === null || v === "never") return null;
    return this.time(v, path, slots);
  }
}

const TOP_KEYS = [
  "name",
  "description",
  "duration",
  "seconds_per_slot",
  "proposer_boost",
  "slasher",
  "network",
  "nodes",
  "partitions",
  "offline",
  "byzantine",
  "expect",
] as const;
const NETWORK_KEYS = ["latency_ms", "jitter_ms", "loss"] as const;
const NODE_KEYS = ["name", "validators"] as const;
const PARTITION_KEYS = ["start", "heal", "groups"] as const;
const OFFLINE_KEYS = ["node", "from", "to"] as const;
const BYZANTINE_KEYS = ["behaviour", "node", "validators", "from", "until", "params"] as const;
const EXPECT_KEYS = [
  "safety",
  "finality_within_epochs_of_gst",
  "offenders_slashed",
  "max_reorgs",
  "min_reorgs",
  "max_orphaned_honest_blocks",
  "min_orphaned_honest_blocks",
  "min_participation",
  "min_finalized_epoch",
] as const;
const BEHAVIOURS: readonly string[] = Object.values(BehaviourKind);

/** Parses and checks a scenario; `source` names the file in errors and in the replay command. */
/** Every validator of a scenario: the nodes' and the Byzantine groups'. */
export function totalValidators(s: Pick<Scenario, "nodes" | "byzantine">): number {
  return s.nodes.reduce((n, x) => n + x.validators, 0) + s.byzantine.reduce((n, g) => n + g.validators, 0);
}

export function parseScenario(text: string, source: string): Scenario {
  const lines = new LineCounter();
  const doc = parseDocument(text, {lineCounter: lines, uniqueKeys: true, prettyErrors: true});
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const line = e.linePos?.[0].line ?? null;
    throw new ScenarioError(source, "", "valid YAML", e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, ""), line);
  }
  let raw: unknown;
  try {
    raw = doc.toJS({maxAliasCount: 100});
  } catch (e) {
    throw new ScenarioError(source, "", "valid YAML", errorMessage(e), null);
  }
  const c: Checker = new Checker(source, doc, lines);
  const top = c.mapping(raw ?? undefined, [], TOP_KEYS);

  const fileName = basename(source, extname(source));
  const name = top.name === undefined ? fileName : c.name(top.name, ["name"]);
  const description = c.string(top.description, ["description"], "");
  if (top.duration === undefined) c.fail(["duration"], `the length of the run ("epoch N" or slots)`);
  const slots = parseSlotTime(top.duration);
  if (slots === null || slots < 1 || slots > MAX_SLOTS) c.fail(["duration"], `a length of 1..${MAX_SLOTS} slots ("epoch N", "slot N" or N)`, top.duration);
  const secondsPerSlot = c.integer(top.seconds_per_slot, ["seconds_per_slot"], 1, 60, SCENARIO_DEFAULTS.secondsPerSlot);
  const proposerScoreBoost = readProposerBoost(c, top.proposer_boost);
  const slasher = c.boolean(top.slasher, ["slasher"], SCENARIO_DEFAULTS.slasher);

  const net = c.mapping(top.network ?? {}, ["network"], NETWORK_KEYS);
  const network = {
    latencyMs: c.integer(net.latency_ms, ["network", "latency_ms"], 0, 60_000, SCENARIO_DEFAULTS.latencyMs),
    jitterMs: c.integer(net.jitter_ms, ["network", "jitter_ms"], 0, 60_000, SCENARIO_DEFAULTS.jitterMs),
    loss: c.number(net.loss, ["network", "loss"], {min: 0, max: 1, maxOpen: true}, SCENARIO_DEFAULTS.loss),
  };

  const nodes = readNodes(c, top.nodes);
  const nodeNames = nodes.map((n) => n.name);
  const knownNode = (v: unknown, path: Path): string => {
    const n = c.name(v, path);
    if (!nodeNames.includes(n)) c.fail(path, `one of the nodes ${nodeNames.join(", ")}`, v);
    return n;
  };

  const partitions = readPartitions(c, top.partitions, slots, knownNode);
  const offline = readOffline(c, top.offline, slots, knownNode);
  const byzantine = readByzantine(c, top.byzantine, slots, knownNode);

  const total = totalValidators({nodes, byzantine});
  if (total < 1 || total > MAX_VALIDATORS) c.fail(["nodes"], `1..${MAX_VALIDATORS} validators in all (nodes and Byzantine groups)`, total);

  const expect = readExpect(c, top.expect, {slots, slasher, neverHeals: partitions.some((p) => p.heal === null)});

  return {
    name,
    description,
    source,
    slots,
    secondsPerSlot,
    proposerScoreBoost,
    slasher,
    nodes,
    network,
    partitions,
    offline,
    byzantine,
    expect,
  };
}

/** Reads and parses a scenario file; a missing or unreadable file is a ScenarioError too. */
export async function loadScenario(path: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new ScenarioError(path, "", "a readable scenario file", errorMessage(e), null);
  }
  return parseScenario(text, path);
}

function readProposerBoost(c: Checker, v: unknown): number {
  if (v === undefined || v === true) return SCENARIO_DEFAULTS.proposerScoreBoost;
  if (v === false) return 0;
  return c.integer(v, ["proposer_boost"], 0, 1000);
}

function readNodes(c: Checker, v: unknown): ScenarioNode[] {
  if (v === undefined) c.fail(["nodes"], "a list of nodes ({name, validators})");
  const list = c.list(v, ["nodes"], "nodes ({name, validators})");
  if (list.length === 0) c.fail(["nodes"], "at least one node", v);
  const seen = new Set<string>();
  return list.map((item, i) => {
    const m = c.mapping(item, ["nodes", i], NODE_KEYS);
    const name = c.name(m.name, ["nodes", i, "name"]);
    if (seen.has(name)) c.fail(["nodes", i, "name"], "a name no other node has", name);
    seen.add(name);
    if (m.validators === undefined) c.fail(["nodes", i, "validators"], "the number of honest validators this node runs");
    return {name, validators: c.integer(m.validators, ["nodes", i, "validators"], 0, MAX_VALIDATORS)};
  });
}

type NodeRef = (v: unknown, path: Path) => string;

function required(c: Checker, m: Record<string, unknown>, key: string, path: Path, what: string): unknown {
  if (m[key] === undefined) c.fail([...path, key], what);
  return m[key];
}

function readPartitions(c: Checker, v: unknown, slots: number, knownNode: NodeRef): Partition[] {
  const out = c.list(v, ["partitions"], "partitions ({start, heal, groups})").map((item, i): Partition => {
    const path = ["partitions", i];
    const m = c.mapping(item, path, PARTITION_KEYS);
    const start = c.time(required(c, m, "start", path, "the time the partition starts"), [...path, "start"], slots);
    if (start >= slots) c.fail([...path, "start"], `a start before the end of the run (slot ${slots})`, m.start);
    const heal = c.timeOrNever(m.heal, [...path, "heal"], slots);
    if (heal !== null && heal <= start) c.fail([...path, "heal"], `a heal after the start (slot ${start})`, m.heal);
    const groupsRaw = c.list(required(c, m, "groups", path, "the sides: a list of lists of node names"), [...path, "groups"], "lists of node names");
    if (groupsRaw.length === 0) c.fail([...path, "groups"], "at least one group of node names", groupsRaw);
    const placed = new Set<string>();
    const groups = groupsRaw.map((g, j) => {
      const names = c.list(g, [...path, "groups", j], "node names");
      if (names.length === 0) c.fail([...path, "groups", j], "a non-empty list of node names", g);
      return names.map((n, k) => {
        const name = knownNode(n, [...path, "groups", j, k]);
        if (placed.has(name)) c.fail([...path, "groups", j, k], "each node in at most one group", name);
        placed.add(name);
        return name;
      });
    });
    return {start, heal, groups};
  });
  // Two partitions at once would leave it unclear which links are up.
  for (let i = 0; i < out.length; i++) {
    for (let j = 0; j < i; j++) {
      if (overlaps(out[i].start, out[i].heal ?? slots, out[j].start, out[j].heal ?? slots)) {
        c.fail(["partitions", i, "start"], `a partition that does not overlap partitions[${j}] (slots ${out[j].start}..${out[j].heal ?? "end"})`, `slots ${out[i].start}..${out[i].heal ?? "end"}`);
      }
    }
  }
  return out;
}

function overlaps(a0: number, a1: number, b0: number, b1: number): boolean {
  return a0 < b1 && b0 < a1;
}

function readOffline(c: Checker, v: unknown, slots: number, knownNode: NodeRef): OfflinePeriod[] {
  const out = c.list(v, ["offline"], "offline periods ({node, from, to})").map((item, i): OfflinePeriod => {
    const path = ["offline", i];
    const m = c.mapping(item, path, OFFLINE_KEYS);
    const node = knownNode(required(c, m, "node", path, "the node that goes offline"), [...path, "node"]);
    const from = c.time(required(c, m, "from", path, "the time the node goes offline"), [...path, "from"], slots);
    const to = c.time(required(c, m, "to", path, "the time the node comes back"), [...path, "to"], slots);
    if (to <= from) c.fail([...path, "to"], `a time after from (slot ${from})`, m.to);
    return {node, from, to};
  });
  for (let i = 0; i < out.length; i++) {
    for (let j = 0; j < i; j++) {
      if (out[i].node === out[j].node && overlaps(out[i].from, out[i].to, out[j].from, out[j].to)) {
        c.fail(["offline", i, "from"], `a period of node ${out[i].node} that does not overlap offline[${j}]`, `slots ${out[i].from}..${out[i].to}`);
      }
    }
  }
  return out;
}

function readByzantine(c: Checker, v: unknown, slots: number, knownNode: NodeRef): ByzantineGroup[] {
  return c.list(v, ["byzantine"], "Byzantine groups ({behaviour, node, validators, ...})").map((item, i): ByzantineGroup => {
    const path = ["byzantine", i];
    const m = c.mapping(item, path, BYZANTINE_KEYS);
    const behaviour = required(c, m, "behaviour", path, `a behaviour (${BEHAVIOURS.join(", ")})`);
    if (typeof behaviour !== "string" || !BEHAVIOURS.includes(behaviour)) c.fail([...path, "behaviour"], `one of ${BEHAVIOURS.join(", ")}`, behaviour);
    const node = knownNode(required(c, m, "node", path, "the node the group lives on"), [...path, "node"]);
    const validators = c.integer(required(c, m, "validators", path, "the number of validators the group controls"), [...path, "validators"], 1, MAX_VALIDATORS);
    const from = c.time(m.from, [...path, "from"], slots, 0);
    if (from >= slots) c.fail([...path, "from"], `a time before the end of the run (slot ${slots})`, m.from);
    const until = c.timeOrNever(m.until, [...path, "until"], slots);
    if (until !== null && until <= from) c.fail([...path, "until"], `a time after from (slot ${from})`, m.until);
    const params: Record<string, number | string | boolean> = {};
    if (m.params !== undefined && m.params !== null) {
      if (!isMapping(m.params)) c.fail([...path, "params"], "a mapping of behaviour settings", m.params);
      for (const [k, p] of Object.entries(m.params)) {
        if (typeof p !== "number" && typeof p !== "string" && typeof p !== "boolean") c.fail([...path, "params", k], "a number, string or boolean", p);
        params[k] = p;
      }
    }
    return {behaviour: behaviour as BehaviourKind, validators, node, from, until, params};
  });
}

function readExpect(c: Checker, v: unknown, run: {slots: number; slasher: boolean; neverHeals: boolean}): Expectations {
  const m = c.mapping(v ?? {}, ["expect"], EXPECT_KEYS);
  const e: Expectations = {};
  const at = (k: string): Path => ["expect", k];
  if (m.safety !== undefined) e.safety = c.boolean(m.safety, at("safety"));
  if (m.finality_within_epochs_of_gst !== undefined) {
    if (run.neverHeals) c.fail(at("finality_within_epochs_of_gst"), "no finality expectation when a partition never heals (there is no GST)", m.finality_within_epochs_of_gst);
    e.finalityWithinEpochsOfGst = c.number(m.finality_within_epochs_of_gst, at("finality_within_epochs_of_gst"), {min: 0, max: 100_000});
  }
  if (m.offenders_slashed !== undefined) {
    e.offendersSlashed = c.boolean(m.offenders_slashed, at("offenders_slashed"));
    if (e.offendersSlashed && !run.slasher) c.fail(at("offenders_slashed"), "no such expectation with slasher: false (nothing would slash them)", undefined, false);
  }
  if (m.max_reorgs !== undefined) e.maxReorgs = c.integer(m.max_reorgs, at("max_reorgs"), 0, MAX_SLOTS);
  if (m.min_reorgs !== undefined) e.minReorgs = c.integer(m.min_reorgs, at("min_reorgs"), 0, MAX_SLOTS);
  if (e.maxReorgs !== undefined && e.minReorgs !== undefined && e.minReorgs > e.maxReorgs) {
    c.fail(at("min_reorgs"), `at most max_reorgs (${e.maxReorgs})`, e.minReorgs);
  }
  if (m.max_orphaned_honest_blocks !== undefined) e.maxOrphanedHonestBlocks = c.integer(m.max_orphaned_honest_blocks, at("max_orphaned_honest_blocks"), 0, MAX_SLOTS);
  if (m.min_orphaned_honest_blocks !== undefined) e.minOrphanedHonestBlocks = c.integer(m.min_orphaned_honest_blocks, at("min_orphaned_honest_blocks"), 0, MAX_SLOTS);
  if (e.maxOrphanedHonestBlocks !== undefined && e.minOrphanedHonestBlocks !== undefined && e.minOrphanedHonestBlocks > e.maxOrphanedHonestBlocks) {
    c.fail(at("min_orphaned_honest_blocks"), `at most max_orphaned_honest_blocks (${e.maxOrphanedHonestBlocks})`, e.minOrphanedHonestBlocks);
  }
  if (m.min_participation !== undefined) e.minParticipation = c.number(m.min_participation, at("min_participation"), {min: 0, max: 1});
  if (m.min_finalized_epoch !== undefined) {
    // Checkpoint N is finalized at the earliest when epoch N+2 starts.
    const best = optimalFinalizedEpoch(run.slots);
    e.minFinalizedEpoch = c.integer(m.min_finalized_epoch, at("min_finalized_epoch"), 0, best);
  }
  return e;
}
