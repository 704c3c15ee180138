/**
 * `--interop-indices`: comma-separated items, each an index or an inclusive range `a..b`
 * (`0..63` is 64 keys; `0,5,7..9` is 0, 5, 7, 8, 9). Duplicates are refused: two signers for
 * one key in one client would be a bug, not a convenience.
 */
import {InputError} from "../../util/errors.ts";

/** More keys than any interop network has; a typo like `0..6400000` fails fast instead of hanging. */
const MAX_INTEROP_KEYS = 1 << 20;

function parseIndex(s: string, item: string): number {
  if (!/^(0|[1-9][0-9]*)$/.test(s)) throw new InputError(`--interop-indices: "${item}" is not an index or a range a..b`);
  const n = Number(s);
  if (!Number.isSafeInteger(n)) throw new InputError(`--interop-indices: ${s} is too large`);
  return n;
}

export function parseInteropIndices(spec: string): number[] {
  const out: number[] = [];
  const seen = new Set<number>();
  for (const raw of spec.split(",")) {
    const item = raw.trim();
    if (item === "") throw new InputError(`--interop-indices: empty item in "${spec}"`);
    const range = /^([^.]*)\.\.([^.]*)$/.exec(item);
    const [from, to] = range === null ? [parseIndex(item, item), parseIndex(item, item)] : [parseIndex(range[1], item), parseIndex(range[2], item)];
    if (to < from) throw new InputError(`--interop-indices: range "${item}" ends before it starts`);
    if (out.length + (to - from + 1) > MAX_INTEROP_KEYS) throw new InputError(`--interop-indices: more than ${MAX_INTEROP_KEYS} keys`);
    for (let i = from; i <= to; i++) {
      if (seen.has(i)) throw new InputError(`--interop-indices: index ${i} is given twice`);
      seen.add(i);
      out.push(i);
    }
  }
  return out;
}
