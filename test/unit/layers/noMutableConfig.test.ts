/**
 * DESIGN.md's "no process-wide mutable state", enforced for the chain config: a node is built
 * from its own ChainConfig, passed down explicitly, so nodes of different configs share a
 * process. Only the preset (it shapes the SSZ types) is still chosen per process: its bindings
 * and the type registry that follows them are the one mutable module state allowed.
 */
import {strict as assert} from "node:assert";
import {readdirSync, readFileSync} from "node:fs";
import {join, relative} from "node:path";
import * as params from "../../../src/params/index.ts";

const SRC = join(import.meta.dirname, "../../../src");

/** The preset's live bindings and the SSZ type registry rebuilt when the preset changes. */
const MUTABLE_ALLOWED = new Set(["params/activePreset.ts", "types/index.ts"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(e.name) ? [path] : [];
  });
}

/** Module-level `export let` / `export var`: a binding any importer sees change. */
function mutableExports(text: string): string[] {
  return [...text.matchAll(/^export\s+(?:let|var)\s+([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]);
}

/** Names imported (statically or as types) from a params module. */
function namesImportedFromParams(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*["'][^"']*\/params\/[^"']*["']/g)) {
    for (const part of m[1].split(",")) {
      const name = part.trim().replace(/^type\s+/, "").split(/\s+as\s+/)[0];
      if (name !== "") out.push(name);
    }
  }
  return out;
}

describe("layers: no process-wide mutable chain config", () => {
  const files = sourceFiles(SRC).map((path) => ({rel: relative(SRC, path).split(/[\\/]/).join("/"), text: readFileSync(path, "utf8")}));

  it("params exports no chain config binding and no way to install one", () => {
    assert.equal("config" in params, false);
    assert.equal("setActiveConfig" in params, false);
    // useNetwork builds a config and returns it; selecting a network twice gives two values.
    const previous = params.ACTIVE_PRESET;
    try {
      const a = params.useNetwork("minimal", {SECONDS_PER_SLOT: "3"});
      const b = params.useNetwork("minimal");
      assert.notEqual(a, b);
      assert.equal(a.SECONDS_PER_SLOT, 3);
      assert.equal(b.SECONDS_PER_SLOT, 6);
    } finally {
      params.setActivePreset(previous);
    }
  });

  it("no module of src exports a mutable binding except the preset's", () => {
    const offenders = files
      .filter((f) => !MUTABLE_ALLOWED.has(f.rel))
      .flatMap((f) => mutableExports(f.text).map((name) => `${f.rel}: export let ${name}`));
    assert.deepEqual(offenders, []);
  });

  it("in src/params only activePreset.ts holds mutable bindings, and they are the preset's", () => {
    const mutable = files.filter((f) => f.rel.startsWith("params/")).flatMap((f) => mutableExports(f.text).map((name) => ({file: f.rel, name})));
    for (const {file, name} of mutable) {
      assert.equal(file, "params/activePreset.ts", `${file} exports let ${name}`);
      assert.ok(name === "ACTIVE_PRESET" || name === "preset" || name in params.mainnetPreset, `activePreset.ts exports let ${name}, which is no preset value`);
    }
  });

  it("no module of src imports a config binding from params or reads one through its namespace", () => {
    const offenders: string[] = [];
    for (const f of files) {
      for (const name of namesImportedFromParams(f.text)) {
        if (name === "config" || name === "setActiveConfig") offenders.push(`${f.rel} imports ${name}`);
      }
      if (/\bparams\.(?:config|setActiveConfig)\b/.test(f.text)) offenders.push(`${f.rel} reads params.config`);
      if (/\)\)\.config\b/.test(f.text) && /import\(["'][^"']*params/.test(f.text)) offenders.push(`${f.rel} reads config from a dynamic params import`);
    }
    assert.deepEqual(offenders, []);
  });

  it("the checks see what they look for", () => {
    assert.deepEqual(mutableExports("export let config: ChainConfig = x;\nexport const y = 1;"), ["config"]);
    assert.deepEqual(namesImportedFromParams('import {config, SLOTS_PER_EPOCH, type ChainConfig} from "../params/index.ts";'), ["config", "SLOTS_PER_EPOCH", "ChainConfig"]);
  });
});
