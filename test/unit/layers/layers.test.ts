/**
 * DESIGN.md's layers, enforced: a module under src/ imports only modules below it, so the pure
 * consensus libraries never reach for I/O and the network, slasher and simulator plug in from
 * above. The validator client talks to a node only over REST, so it imports nothing of the node.
 */
import {strict as assert} from "node:assert";
import {readdirSync, readFileSync} from "node:fs";
import {dirname, join, normalize, relative} from "node:path";

const SRC = join(import.meta.dirname, "../../../src");

/** Top to bottom. `util` is the floor every layer may use. */
const LAYERS = [
  "cli",
  // The simulator builds whole nodes and validator clients and runs many of them in one process.
  "sim",
  "node",
  "api",
  "validator",
  "sync",
  "eth1",
  "network",
  "slasher",
  "chain",
  "db",
  "metrics",
  "fork-choice",
  "state-transition",
  "crypto",
  "types",
  "clock",
  "params",
  "util",
];

/** Below the validator client in the list, yet none of its business: it knows a node only through the REST API. */
const VALIDATOR_NEVER = ["sync", "eth1", "network", "slasher", "chain", "db", "fork-choice"];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.(ts|js)$/.test(e.name) ? [path] : [];
  });
}

/** Relative import specifiers of a file: static, type-only, re-exports and dynamic imports. */
function relativeImports(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) out.push(m[1]);
  return out;
}

function moduleOf(file: string): string {
  return relative(SRC, file).split(/[\\/]/)[0];
}

describe("layers: imports point downward only", () => {
  const files = sourceFiles(SRC);

  it("every top-level folder of src/ has a place in the layer list", () => {
    const modules = new Set(files.map(moduleOf).filter((m) => !m.includes(".")));
    for (const m of modules) assert.ok(LAYERS.includes(m), `src/${m} is not in the layer list of this test (and DESIGN.md)`);
  });

  it("no module imports a module above it, and the validator client imports nothing of the node", () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = moduleOf(file);
      if (!LAYERS.includes(from)) continue;
      for (const spec of relativeImports(readFileSync(file, "utf8"))) {
        const target = normalize(join(dirname(file), spec));
        if (!target.startsWith(SRC)) continue;
        const to = moduleOf(target);
        if (to === from || !LAYERS.includes(to)) continue;
        const upward = LAYERS.indexOf(to) < LAYERS.indexOf(from);
        const forbidden = from === "validator" && VALIDATOR_NEVER.includes(to);
        if (upward || forbidden) violations.push(`${relative(SRC, file)} imports ${to} (${spec})`);
      }
    }
    assert.deepEqual(violations, []);
  });
});
