/**
 * The live view's tree layout (a plain browser module, loaded here as it is in the page): the
 * canonical chain on lane 0, each fork on the lowest lane free over its slots, the window of
 * slots drawn, and edges only between drawn blocks.
 */
import {strict as assert} from "node:assert";

interface Node {
  slot: number;
  root: string;
  parent: string;
  weight: number;
}
interface Item extends Node {
  column: number;
  lane: number;
  canonical: boolean;
}
interface Layout {
  minSlot: number;
  maxSlot: number;
  lanes: number;
  items: Item[];
  edges: {from: Item; to: Item; canonical: boolean}[];
}

// The asset is untyped JavaScript (the project's type-check has no DOM and no allowJs).
const modulePath: string = new URL("../../../../src/api/ui/assets/layout.js", import.meta.url).href;
const {layoutTree} = (await import(modulePath)) as {layoutTree(nodes: Node[], headRoot: string, maxSlots: number): Layout};

const n = (slot: number, root: string, parent: string, weight = 1): Node => ({slot, root, parent, weight});
const laneOf = (l: Layout): Record<string, number> => Object.fromEntries(l.items.map((i) => [i.root, i.lane]));

describe("live view: tree layout", () => {
  // g - a - b - c - d (head)       a fork at slot 2 (x) and a later one at 5 (y, z).
  //      \- x            \- y - z
  const nodes = [
    n(0, "g", "0x00"), n(1, "a", "g"), n(2, "b", "a"), n(3, "c", "b"), n(4, "d", "c"),
    n(2, "x", "a"), n(5, "y", "d"), n(6, "z", "y"), n(7, "h", "d"),
  ];

  it("puts the head's chain on lane 0 and reuses a lane for forks whose slots do not overlap", () => {
    const l = layoutTree(nodes, "h", 64);
    assert.deepEqual(laneOf(l), {g: 0, a: 0, b: 0, c: 0, d: 0, x: 1, y: 1, z: 1, h: 0});
    assert.equal(l.lanes, 2);
    assert.deepEqual([l.minSlot, l.maxSlot], [0, 7]);
    assert.deepEqual(l.items.filter((i) => i.canonical).map((i) => i.root).sort(), ["a", "b", "c", "d", "g", "h"]);
    assert.equal(l.edges.length, nodes.length - 1);
    assert.deepEqual(l.edges.filter((e) => !e.canonical).map((e) => e.to.root).sort(), ["x", "y", "z"]);
  });

  it("gives forks that overlap or touch (no free slot between) their own lanes, and follows the head when it moves to a fork", () => {
    const withOverlap = [...nodes, n(3, "w", "a"), n(4, "v", "w")];
    assert.deepEqual(laneOf(layoutTree(withOverlap, "h", 64)), {g: 0, a: 0, b: 0, c: 0, d: 0, x: 1, y: 1, z: 1, h: 0, w: 2, v: 2});
    const reorged = layoutTree(nodes, "z", 64);
    assert.deepEqual(laneOf(reorged), {g: 0, a: 0, b: 0, c: 0, d: 0, x: 1, y: 0, z: 0, h: 1});
    assert.equal(reorged.items.find((i) => i.root === "h")!.canonical, false);
  });

  it("draws only the last maxSlots slots, without edges to blocks left out", () => {
    const l = layoutTree(nodes, "h", 4);
    assert.deepEqual([l.minSlot, l.maxSlot], [4, 7]);
    assert.deepEqual(l.items.map((i) => i.root).sort(), ["d", "h", "y", "z"]);
    assert.deepEqual(l.items.map((i) => i.column).sort(), [0, 1, 2, 3]);
    assert.deepEqual(l.edges.map((e) => `${e.from.root}-${e.to.root}`).sort(), ["d-h", "d-y", "y-z"]);
    assert.deepEqual(layoutTree([], "h", 4), {minSlot: 0, maxSlot: 0, lanes: 0, items: [], edges: []});
  });
});
