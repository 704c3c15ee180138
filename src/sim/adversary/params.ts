/**
 * Checks a group's `params` against what its behaviour documents: every name known, every value
 * a whole number in range, defaults for the ones left out.
 */
import type {ByzantineGroup} from "../types.ts";
import {AdversaryError, AdversaryErrorCode} from "./errors.ts";

export interface IntParam {
  default: number;
  min: number;
  max?: number;
}

export function readIntParams<K extends string>(group: ByzantineGroup, spec: Record<K, IntParam>): Record<K, number> {
  const known = Object.keys(spec) as K[];
  for (const name of Object.keys(group.params)) {
    if (!known.includes(name as K)) {
      const accepted = known.length === 0 ? "it takes no params" : `it takes ${known.join(", ")}`;
      throw new AdversaryError(AdversaryErrorCode.UNKNOWN_PARAM, `${group.behaviour}: unknown param "${name}" (${accepted})`);
    }
  }
  const out = {} as Record<K, number>;
  for (const name of known) {
    const {default: fallback, min, max} = spec[name];
    const value = group.params[name] ?? fallback;
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || (max !== undefined && value > max)) {
      const range = max === undefined ? `>= ${min}` : `${min}..${max}`;
      throw new AdversaryError(AdversaryErrorCode.BAD_PARAM, `${group.behaviour}: param "${name}" must be an integer ${range}, got ${JSON.stringify(value)}`);
    }
    out[name] = value;
  }
  return out;
}
