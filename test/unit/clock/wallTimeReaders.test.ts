/**
 * DESIGN.md: "The clock is the only reader of wall time." Every direct read of wall time or
 * timer outside src/clock must be on this allow-list, each with the reason it may bypass the
 * node's TimeSource (and its count, so a new use in a listed file is caught too). Everything else
 * takes the TimeSource handed down from the node or the client, so a whole node runs on virtual
 * time.
 */
import {strict as assert} from "node:assert";
import {readdirSync, readFileSync} from "node:fs";
import {join, relative} from "node:path";

const SRC = join(import.meta.dirname, "../../../src");

/** Direct wall-time readers and timers (a method of a TimeSource, `time.setTimeout`, is not one). */
const PATTERNS: Record<string, RegExp> = {
  "Date.now": /\bDate\.now\b/g,
  "new Date()": /\bnew Date\(\s*\)/g,
  "performance.now": /\bperformance\.now\b/g,
  setTimeout: /(?<![\w.])(?:globalThis\.)?setTimeout\b/g,
  setInterval: /(?<![\w.])(?:globalThis\.)?setInterval\b/g,
  "AbortSignal.timeout": /\bAbortSignal\.timeout\b/g,
  "timers/promises": /["']node:timers\/promises["']|["']timers\/promises["']/g,
};

interface Allowed {
  uses: Record<string, number>;
  why: string;
}

const ALLOWED: Record<string, Allowed> = {
  "node/beaconNode.ts": {uses: {"Date.now": 4}, why: "measurement: the interop genesis build's duration and progress-log throttle"},
  "sim/simulation.ts": {uses: {"performance.now": 6}, why: "measurement: the wall time a simulation takes (its speed figure), and the pacing of a watched run"},
  "slasher/slasher.ts": {uses: {"performance.now": 5}, why: "measurement: a batch's duration, and CPU slices that yield the event loop (real CPU time by nature)"},
  "eth1/sendDeposits.ts": {uses: {"Date.now": 2, setTimeout: 1}, why: "a CLI command waiting for receipts of a real execution node (not part of a running node); to route through systemTime"},
  "eth1/rpc.ts": {uses: {"AbortSignal.timeout": 1}, why: "the JSON-RPC request timeout towards the execution node; to route through the follower's TimeSource"},
  "api/http/frameworkErrors.ts": {uses: {setTimeout: 1}, why: "socket handling: how long a refused upload is drained before the connection is dropped (the HTTP server's own timers are wall time too)"},
  "cli/commands/devnet.ts": {uses: {"AbortSignal.timeout": 1, "Date.now": 3, setTimeout: 2}, why: "a CLI command waiting for the node processes it starts (not part of a node)"},
  // The libp2p layer runs on wall time as libp2p itself does; a simulated network replaces the
  // whole layer rather than running it on virtual time. To route through the node's TimeSource
  // where the layer's own logic (scores, rate limits, request timeouts) should be simulable.
  "network/network.ts": {uses: {"Date.now": 2, setTimeout: 1}, why: "libp2p layer: gossip arrival times and the goodbye grace period"},
  "network/peers/peerManager.ts": {uses: {"AbortSignal.timeout": 2, setInterval: 1, setTimeout: 3}, why: "libp2p layer: dial and status timeouts, the peer heartbeat"},
  "network/reqresp/rateLimiter.ts": {uses: {"Date.now": 1}, why: "libp2p layer: per-peer request rate buckets"},
  "network/reqresp/reqResp.ts": {uses: {"AbortSignal.timeout": 2, setTimeout: 3}, why: "libp2p layer: the spec's TTFB and RESP_TIMEOUT on streams"},
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith(".ts") ? [path] : [];
  });
}

/** The code without comments, so a comment naming setTimeout is not a use. */
function code(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("//"))
    .join("\n");
}

function wallTimeUses(text: string): Record<string, number> {
  const body = code(text);
  const out: Record<string, number> = {};
  for (const [name, re] of Object.entries(PATTERNS)) {
    const n = body.match(re)?.length ?? 0;
    if (n > 0) out[name] = n;
  }
  return out;
}

describe("clock: the only reader of wall time", () => {
  it("recognises direct uses and not TimeSource methods or comments", () => {
    const sample = [
      "const a = Date.now();",
      "const t = setTimeout(fn, 5); clearTimeout(t);",
      "globalThis.setInterval(fn, 1);",
      "this.time.setTimeout(fn, 5); time.setTimeout(fn, 1);",
      "// setTimeout(fn) in a comment",
      "/* Date.now() in a block comment */",
      "const s = AbortSignal.timeout(100);",
      "const d = new Date(); const e = new Date(ms);",
      'import {setTimeout as wait} from "node:timers/promises";',
    ].join("\n");
    assert.deepEqual(wallTimeUses(sample), {
      "Date.now": 1,
      "new Date()": 1,
      // The bare call and the name imported from timers/promises.
      setTimeout: 2,
      setInterval: 1,
      "AbortSignal.timeout": 1,
      "timers/promises": 1,
    });
  });

  it("src/ outside src/clock reads wall time or sets timers only at the allow-listed sites", () => {
    const found: Record<string, Record<string, number>> = {};
    for (const file of sourceFiles(SRC)) {
      const rel = relative(SRC, file).split("\\").join("/");
      if (rel.startsWith("clock/")) continue;
      const uses = wallTimeUses(readFileSync(file, "utf8"));
      if (Object.keys(uses).length > 0) found[rel] = uses;
    }
    const allowed = Object.fromEntries(Object.entries(ALLOWED).map(([f, a]) => [f, a.uses]));
    assert.deepEqual(found, allowed, "a direct wall-time read or timer outside src/clock: take the TimeSource from the node or client (or, for pure measurement, add it to ALLOWED with the reason)");
  });
});
