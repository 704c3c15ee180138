/**
 * Vectors generated for a preset are only meaningful against the same preset values. When the
 * vectors ship their preset file (`presets/<preset>/<fork>.yaml` beside `tests/`), its values
 * must equal Gnomon's; otherwise every case would fail for a reason no case message would show.
 */
import {existsSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {presets, type PresetName} from "../../src/params/index.ts";
import {InputError} from "../../src/util/errors.ts";
import {parseVectorYaml} from "./yaml.ts";

/** Throws InputError (a one-line CLI error) if the file is malformed or disagrees. */
export function checkVectorsPreset(vectorsRoot: string, preset: PresetName, fork: string): void {
  const rel = `presets/${preset}/${fork}.yaml`;
  const file = join(vectorsRoot, rel);
  if (!existsSync(file)) return;
  let yaml: unknown;
  try {
    yaml = parseVectorYaml(readFileSync(file, "utf8"), `the vectors' ${rel}`);
  } catch (e) {
    throw new InputError((e as Error).message);
  }
  if (yaml === null || typeof yaml !== "object" || Array.isArray(yaml)) {
    throw new InputError(`the vectors' ${rel} is not a mapping of preset values`);
  }
  const theirs = yaml as Record<string, unknown>;
  const ours = presets[preset] as Readonly<Record<string, number>>;
  for (const [key, value] of Object.entries(ours)) {
    if (!(key in theirs)) continue;
    if (typeof theirs[key] !== "bigint" || theirs[key] !== BigInt(value)) {
      throw new InputError(
        `the vectors' ${rel} has ${key}: ${String(theirs[key])}, Gnomon's ${preset} preset has ${value}`
      );
    }
  }
}
