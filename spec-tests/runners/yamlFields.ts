/**
 * Typed readers of the fields of a runner's YAML file (fork_choice steps.yaml, networking
 * meta.yaml): each throws a CaseFailure naming the file and the field that is malformed.
 */
import {CaseFailure} from "../harness/types.ts";

export interface YamlFields {
  malformed(what: string): CaseFailure;
  uint(value: unknown, what: string): number;
  hexRoot(value: unknown, what: string): string;
  record(value: unknown, what: string): Record<string, unknown>;
  fileName(value: unknown, what: string): string;
}

export function yamlFields(file: string): YamlFields {
  const malformed = (what: string): CaseFailure => new CaseFailure(`malformed ${file}: ${what}`);
  return {
    malformed,
    uint(value, what) {
      if (typeof value !== "bigint" && typeof value !== "number") throw malformed(`${what} is not an integer`);
      const n = Number(value);
      if (!Number.isSafeInteger(n) || n < 0) throw malformed(`${what} (${String(value)}) is out of range`);
      return n;
    },
    hexRoot(value, what) {
      if (typeof value !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(value)) throw malformed(`${what} is not a 32-byte root`);
      return value.toLowerCase();
    },
    record(value, what) {
      if (value === null || typeof value !== "object" || Array.isArray(value)) throw malformed(`${what} is not a mapping`);
      return value as Record<string, unknown>;
    },
    fileName(value, what) {
      if (typeof value !== "string" || !/^[A-Za-z0-9_]+$/.test(value)) throw malformed(`${what} is not a file name`);
      return value;
    },
  };
}
