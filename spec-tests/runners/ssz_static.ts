/**
 * ssz_static (consensus-specs tests/formats/ssz_static/core.md): every phase0 container, checked
 * by root, encoding and roundtrip. The types are Gnomon's own definitions (src/types) built over
 * an exact bigint uint64, because random vectors hold values far above 2**53; fields, order and
 * limits are the same code the client runs on.
 */
import {ContainerType, UintBigintType, type Type} from "@chainsafe/ssz";
import {isPresetName, presets, type PresetName} from "../../src/params/index.ts";
import {createPhase0Types, type Phase0Types} from "../../src/types/index.ts";
import {CaseFailure, type CaseContext, type Runner} from "../harness/types.ts";
import {checkValidSsz} from "../harness/sszCheck.ts";

const exactTypes = new Map<PresetName, Phase0Types>();

function exactTypesFor(preset: PresetName): Phase0Types {
  let t = exactTypes.get(preset);
  if (t === undefined) {
    t = createPhase0Types(presets[preset], {uint64: new UintBigintType(8)});
    exactTypes.set(preset, t);
  }
  return t;
}

/** The container named `name` in the phase0 types of `preset`, or undefined. */
export function staticType(preset: PresetName, name: string): Type<unknown> | undefined {
  const t = (exactTypesFor(preset) as Record<string, Type<unknown>>)[name];
  // Only spec containers count: the type set also holds helper types (lists, aliases).
  return t instanceof ContainerType && t.typeName === name ? t : undefined;
}

export const runner: Runner = {
  name: "ssz_static",
  run(ctx: CaseContext): void {
    if (!isPresetName(ctx.preset)) throw new CaseFailure(`ssz_static vectors need a preset, not "${ctx.preset}"`);
    const type = staticType(ctx.preset, ctx.handler);
    if (type === undefined) throw new CaseFailure(`unknown ${ctx.fork} SSZ type "${ctx.handler}"`);
    const roots = ctx.readYaml<{root?: unknown} | null>("roots");
    checkValidSsz(type, {
      serialized: ctx.readSsz("serialized"),
      yamlValue: ctx.readYaml("value"),
      root: roots?.root,
      rootFile: "roots.yaml",
    });
  },
};
