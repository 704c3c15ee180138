/**
 * shuffling (consensus-specs tests/formats/shuffling): `mapping[i]` is
 * compute_shuffled_index(i, count, seed) with the case preset's SHUFFLE_ROUND_COUNT. Both the
 * per-index function and the whole-list shuffle are checked against the full mapping.
 */
import {computeShuffledIndex, computeShuffledList} from "../../src/crypto/index.ts";
import {presets, SHUFFLE_ROUND_COUNT} from "../../src/params/index.ts";
import {fromHex} from "../../src/util/bytes.ts";
import {CaseFailure, SkipCase, type CaseContext, type Runner} from "../harness/types.ts";

interface MappingYaml {
  seed: unknown;
  count: unknown;
  mapping: unknown;
}

function malformed(what: string): CaseFailure {
  return new CaseFailure(`malformed mapping.yaml: ${what}`);
}

function smallInt(value: unknown, what: string): number {
  if ((typeof value !== "bigint" && typeof value !== "number") || value < 0 || value > 2 ** 32) {
    throw malformed(`${what} is not an integer in [0, 2**32]`);
  }
  return Number(value);
}

/** The round count of the case's preset (never silently the mainnet one). */
function roundsFor(ctx: CaseContext): number {
  return ctx.preset === "general" ? SHUFFLE_ROUND_COUNT : presets[ctx.preset].SHUFFLE_ROUND_COUNT;
}

export const runner: Runner = {
  name: "shuffling",
  run(ctx: CaseContext): void {
    if (ctx.handler !== "core") throw new SkipCase(`shuffling handler ${ctx.handler} is not defined by the format`);
    const data = ctx.readYaml<MappingYaml>("mapping");
    if (data === null || typeof data !== "object") throw malformed("not a mapping");
    if (typeof data.seed !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(data.seed)) throw malformed("seed is not 32 bytes of hex");
    const seed = fromHex(data.seed, 32);
    const count = smallInt(data.count, "count");
    if (!Array.isArray(data.mapping) || data.mapping.length !== count) throw malformed("mapping is not a list of count entries");
    const mapping = data.mapping.map((v, i) => smallInt(v, `mapping[${i}]`));
    const rounds = roundsFor(ctx);

    for (let i = 0; i < count; i++) {
      const got = computeShuffledIndex(i, count, seed, rounds);
      if (got !== mapping[i]) {
        throw new CaseFailure(`computeShuffledIndex(${i}, ${count}): expected ${mapping[i]}, got ${got}`);
      }
    }

    const identity = new Uint32Array(count);
    for (let i = 0; i < count; i++) identity[i] = i;
    const list = computeShuffledList(identity, seed, rounds);
    if (list.length !== count) throw new CaseFailure(`computeShuffledList: expected ${count} entries, got ${list.length}`);
    for (let i = 0; i < count; i++) {
      if (list[i] !== mapping[i]) {
        throw new CaseFailure(`computeShuffledList(${count})[${i}]: expected ${mapping[i]}, got ${list[i]}`);
      }
    }
  },
};
