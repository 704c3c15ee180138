/**
 * `manifest.yaml` names the case it sits in (tests/formats/README.md). The harness reads it for
 * every case and fails the case when it disagrees with the folder path: a vector that was moved
 * or copied to the wrong place must not pass as some other case.
 */
import type {FileCaseContext} from "./context.ts";
import {CaseFailure} from "./types.ts";

const MANIFEST = "manifest.yaml";
const FIELDS = ["preset", "fork", "runner", "handler", "suite", "case"] as const;

/** Checks the manifest if the case has one (releases before manifests existed have none). */
export function checkManifest(ctx: FileCaseContext): void {
  if (!ctx.has(MANIFEST)) return;
  const manifest = ctx.readYaml("manifest");
  if (manifest === null || typeof manifest !== "object" || Array.isArray(manifest)) {
    throw new CaseFailure(`${MANIFEST}: expected a mapping of ${FIELDS.join(", ")}`);
  }
  const expected: Record<(typeof FIELDS)[number], string> = {
    preset: ctx.preset,
    fork: ctx.fork,
    runner: ctx.runner,
    handler: ctx.handler,
    suite: ctx.suite,
    case: ctx.name,
  };
  const m = manifest as Record<string, unknown>;
  for (const field of FIELDS) {
    if (!(field in m)) throw new CaseFailure(`${MANIFEST}: missing field "${field}"`);
    const value = String(m[field]);
    if (value !== expected[field]) {
      throw new CaseFailure(`${MANIFEST}: ${field} is "${value}" but the case folder says "${expected[field]}"`);
    }
  }
}
