/**
 * Where each fork-choice node goes: one column per slot (left to right), one lane per branch.
 * The canonical chain (the head and its ancestors) keeps lane 0; every other branch gets the
 * lowest lane free over the slots it spans, so short-lived forks do not widen the picture.
 * Pure: no DOM, so it behaves the same in the page and under test.
 */

/**
 * @param nodes fork-choice nodes ({slot, root, parent, weight, ...})
 * @param headRoot the head block's root
 * @param maxSlots how many slots back from the newest node to draw
 */
export function layoutTree(nodes, headRoot, maxSlots) {
  if (nodes.length === 0) return {minSlot: 0, maxSlot: 0, lanes: 0, items: [], edges: []};
  const byRoot = new Map(nodes.map((n) => [n.root, n]));
  const maxSlot = Math.max(...nodes.map((n) => n.slot));
  const minSlot = Math.max(Math.min(...nodes.map((n) => n.slot)), maxSlot - maxSlots + 1);
  const shown = nodes.filter((n) => n.slot >= minSlot);

  const canonical = new Set();
  for (let n = byRoot.get(headRoot); n !== undefined; n = byRoot.get(n.parent)) {
    if (canonical.has(n.root)) break;
    canonical.add(n.root);
  }

  const hasChild = new Set(shown.map((n) => n.parent));
  const leaves = shown.filter((n) => !hasChild.has(n.root));
  // The head's branch first, then the others from the newest.
  leaves.sort((a, b) => (a.root === headRoot ? -1 : b.root === headRoot ? 1 : b.slot - a.slot || (a.root < b.root ? -1 : 1)));

  const lane = new Map();
  /** Per lane, the slot ranges it already holds. */
  const occupied = [];
  const free = (l, from, to) => (occupied[l] ?? []).every(([a, b]) => to < a - 1 || from > b + 1);
  for (const leaf of leaves) {
    const branch = [];
    for (let n = leaf; n !== undefined && n.slot >= minSlot && !lane.has(n.root); n = byRoot.get(n.parent)) branch.push(n);
    if (branch.length === 0) continue;
    const from = branch[branch.length - 1].slot;
    const to = branch[0].slot;
    let l = canonical.has(leaf.root) ? 0 : 1;
    while (!free(l, from, to)) l++;
    (occupied[l] ??= []).push([from, to]);
    for (const n of branch) lane.set(n.root, l);
  }

  const items = shown.map((n) => ({...n, column: n.slot - minSlot, lane: lane.get(n.root) ?? 0, canonical: canonical.has(n.root)}));
  const placed = new Map(items.map((i) => [i.root, i]));
  const edges = [];
  for (const child of items) {
    const parent = placed.get(child.parent);
    if (parent !== undefined) edges.push({from: parent, to: child, canonical: child.canonical && parent.canonical});
  }
  return {minSlot, maxSlot, lanes: Math.max(1, ...items.map((i) => i.lane + 1)), items, edges};
}
