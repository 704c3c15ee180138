/**
 * The simulated network's parts on their own: the draws that replace a random stream, the
 * event heap's order, the links under partitions, cuts and offline nodes, and the seen cache.
 */
import {strict as assert} from "node:assert";
import {Links} from "../../../../src/sim/network/links.ts";
import {MinHeap} from "../../../../src/sim/network/queue.ts";
import {drawInt, drawUnit} from "../../../../src/sim/network/random.ts";
import {SeenCache} from "../../../../src/sim/network/seen.ts";
import {SimNetworkError} from "../../../../src/sim/network/errors.ts";

describe("sim network: draws", () => {
  it("are a function of their inputs, in [0, 1), and change with each input", () => {
    const a = drawUnit("seed", "loss", "ab12", 0, 1);
    assert.equal(drawUnit("seed", "loss", "ab12", 0, 1), a);
    assert.ok(a >= 0 && a < 1);
    const others = [drawUnit("seed2", "loss", "ab12", 0, 1), drawUnit("seed", "jitter", "ab12", 0, 1), drawUnit("seed", "loss", "ab13", 0, 1), drawUnit("seed", "loss", "ab12", 1, 0)];
    for (const o of others) assert.notEqual(o, a);
  });

  it("are spread evenly: 10,000 draws of a 30% loss drop close to 3,000", () => {
    let dropped = 0;
    for (let i = 0; i < 10_000; i++) if (drawUnit("s", "loss", `m${i}`, 0, 1) < 0.3) dropped++;
    assert.ok(dropped > 2800 && dropped < 3200, `${dropped} of 10000`);
    const ints = new Set<number>();
    for (let i = 0; i < 2000; i++) ints.add(drawInt("s", "jitter", `m${i}`, 0, 1, 9));
    assert.deepEqual([...ints].sort((x, y) => x - y), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(drawInt("s", "jitter", "m", 0, 1, 0), 0);
  });
});

describe("sim network: event heap", () => {
  it("pops in the given order whatever the push order", () => {
    const items = Array.from({length: 500}, (_, i) => ({at: (i * 7919) % 97, id: `x${(i * 31) % 500}`}));
    const before = (a: {at: number; id: string}, b: {at: number; id: string}) => a.at < b.at || (a.at === b.at && a.id < b.id);
    const heap = new MinHeap(before);
    for (const it of items) heap.push(it);
    const out: {at: number; id: string}[] = [];
    for (let x = heap.pop(); x !== undefined; x = heap.pop()) out.push(x);
    const sorted = [...items].sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    assert.deepEqual(out, sorted);
    assert.equal(heap.size, 0);
  });
});

describe("sim network: links", () => {
  function started(n: number): Links {
    const links = new Links(n);
    for (let i = 0; i < n; i++) links.setAttached(i, true);
    return links;
  }

  it("come up between attached nodes only, and each change is reported once", () => {
    const links = new Links(3);
    assert.deepEqual(links.setAttached(0, true), []);
    assert.deepEqual(links.setAttached(2, true), [{a: 0, b: 2, up: true, reason: null}]);
    assert.deepEqual(links.peersOf(0), [2]);
    assert.equal(links.isUp(0, 1), false);
    assert.equal(links.reasonDown(0, 1), "offline");
  });

  it("partition: groups are sides, a node in no group hears nobody, heal restores all", () => {
    const links = started(4);
    const cut = links.setPartition([[0, 1], [2]]);
    assert.deepEqual(
      cut.map((c) => [c.a, c.b, c.reason]),
      [
        [0, 2, "partition"],
        [0, 3, "partition"],
        [1, 2, "partition"],
        [1, 3, "partition"],
        [2, 3, "partition"],
      ]
    );
    assert.deepEqual(links.peersOf(0), [1]);
    assert.deepEqual(links.peersOf(3), []);
    assert.equal(links.reasonDown(1, 2), "partition");
    const genBefore = links.generation(0, 2);
    const healed = links.setPartition(null);
    assert.equal(healed.length, 5);
    assert.ok(healed.every((c) => c.up));
    assert.equal(links.generation(0, 2), genBefore, "coming up does not change the generation");
    links.setPartition([[0], [1, 2, 3]]);
    assert.equal(links.generation(0, 2), genBefore + 1);
    assert.equal(links.generation(1, 2), 1, "a link that stayed up since its first cut");
  });

  it("offline takes every link of the node down with reason offline; one link can be cut alone", () => {
    const links = started(3);
    const down = links.setOnline(1, false);
    assert.deepEqual(down.map((c) => [c.a, c.b, c.up, c.reason]), [[0, 1, false, "offline"], [1, 2, false, "offline"]]);
    assert.equal(links.reasonDown(2, 1), "offline");
    links.setOnline(1, true);
    assert.deepEqual(links.setLinkCut(2, 0, true), [{a: 0, b: 2, up: false, reason: "partition"}]);
    assert.deepEqual(links.peersOf(1), [0, 2]);
    assert.deepEqual(links.peersOf(0), [1]);
    assert.equal(links.reasonDown(0, 2), "partition");
  });

  it("refuses indices out of range and a node on two sides with a typed error", () => {
    const links = started(2);
    assert.throws(() => links.setPartition([[0, 1], [1]]), SimNetworkError);
    assert.throws(() => links.setPartition([[0, 5]]), SimNetworkError);
    assert.throws(() => links.setOnline(-1, false), SimNetworkError);
    assert.throws(() => links.setLinkCut(1, 1, true), SimNetworkError);
  });
});

describe("sim network: seen cache", () => {
  it("remembers an id for its TTL, then forgets it", () => {
    const seen = new SeenCache(1000);
    assert.equal(seen.add("a", 0), true);
    assert.equal(seen.add("a", 500), false);
    assert.equal(seen.add("b", 900), true);
    assert.equal(seen.add("c", 1000), true, "a expires at 1000");
    assert.equal(seen.has("a"), false);
    assert.equal(seen.has("b"), true);
    for (let i = 0; i < 5000; i++) seen.add(`x${i}`, 2000 + i);
    assert.ok(seen.size <= 1001, `${seen.size} ids kept`);
  });
});
