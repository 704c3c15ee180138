/** Small helpers shared by the chain's modules. */

/** The intersection of two ascending lists of indices (attester slashing's slashable set). */
export function intersectSorted(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push(a[i]);
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return out;
}

/** The set intersection of two lists of indices in any order, ascending. */
export function intersectIndices(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const set = new Set<number>();
  for (let i = 0; i < a.length; i++) set.add(a[i]);
  const out = new Set<number>();
  for (let i = 0; i < b.length; i++) if (set.has(b[i])) out.add(b[i]);
  return [...out].sort((x, y) => x - y);
}
