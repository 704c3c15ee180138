import {strict as assert} from "node:assert";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {DbError, LevelStore, MemoryStore, type KeyValueStore, type KvRange} from "../../../src/db/index.ts";

const b = (...bytes: number[]) => Uint8Array.from(bytes);

async function collect(store: KeyValueStore, range: KvRange): Promise<string[]> {
  const out: string[] = [];
  for await (const [k, v] of store.entries(range)) out.push(`${Buffer.from(k).toString("hex")}=${Buffer.from(v).toString("hex")}`);
  return out;
}

async function keysOf(store: KeyValueStore, range: KvRange): Promise<string[]> {
  const out: string[] = [];
  for await (const k of store.keys(range)) out.push(Buffer.from(k).toString("hex"));
  return out;
}

interface Backend {
  name: string;
  open(): Promise<KeyValueStore>;
  cleanup(): void;
}

function levelBackend(): Backend {
  let dir = "";
  return {
    name: "LevelStore",
    open: async () => {
      dir = mkdtempSync(join(tmpdir(), "gnomon-kv-"));
      return LevelStore.open(dir);
    },
    cleanup: () => rmSync(dir, {recursive: true, force: true}),
  };
}

function memoryBackend(): Backend {
  return {name: "MemoryStore", open: async () => new MemoryStore(), cleanup: () => {}};
}

// The same assertions against both backends: the memory store must behave as level does.
for (const backend of [levelBackend(), memoryBackend()]) {
  describe(`KeyValueStore: ${backend.name}`, () => {
    let store: KeyValueStore;
    let closed = false;
    beforeEach(async () => {
      store = await backend.open();
      closed = false;
    });
    afterEach(async () => {
      if (!closed) await store.close();
      backend.cleanup();
    });

    it("gets what was put, byte for byte, and undefined for a missing key", async () => {
      const value = new Uint8Array(300).map((_, i) => (i * 7) & 0xff);
      await store.batch([{type: "put", key: b(1, 2), value}]);
      assert.deepEqual(await store.get(b(1, 2)), value);
      assert.equal(await store.get(b(1)), undefined);
      assert.equal(await store.get(b(1, 2, 0)), undefined);
      // An empty value is a value, not a missing key.
      await store.batch([{type: "put", key: b(9), value: new Uint8Array(0)}]);
      assert.deepEqual(await store.get(b(9)), new Uint8Array(0));
      assert.deepEqual(await store.getMany([b(9), b(8), b(1, 2)]), [new Uint8Array(0), undefined, value]);
      assert.deepEqual(await store.getMany([]), []);
    });

    it("does not share buffers with the caller in either direction", async () => {
      const value = b(1, 2, 3);
      await store.batch([{type: "put", key: b(5), value}]);
      value[0] = 99;
      const got = (await store.get(b(5)))!;
      assert.deepEqual(got, b(1, 2, 3));
      got[1] = 99;
      assert.deepEqual(await store.get(b(5)), b(1, 2, 3));
    });

    it("applies a batch in order: a later op on the same key wins", async () => {
      await store.batch([
        {type: "put", key: b(1), value: b(1)},
        {type: "put", key: b(1), value: b(2)},
        {type: "put", key: b(2), value: b(2)},
        {type: "del", key: b(2)},
        {type: "del", key: b(3)},
      ]);
      assert.deepEqual(await collect(store, {}), ["01=02"]);
      await store.batch([]);
      assert.deepEqual(await collect(store, {}), ["01=02"]);
    });

    it("iterates in bytewise key order, with every kind of bound, reversed and limited", async () => {
      const keys = [b(0x02), b(0x01, 0xff), b(0x01), b(0xff), b(0x01, 0x00), b(0x80, 0x00, 0x01), b(0x00)];
      await store.batch(keys.map((k, i) => ({type: "put", key: k, value: b(i)})));
      assert.deepEqual(await keysOf(store, {}), ["00", "01", "0100", "01ff", "02", "800001", "ff"]);
      assert.deepEqual(await keysOf(store, {gte: b(0x01), lt: b(0x02)}), ["01", "0100", "01ff"]);
      assert.deepEqual(await keysOf(store, {gt: b(0x01), lte: b(0x02)}), ["0100", "01ff", "02"]);
      assert.deepEqual(await keysOf(store, {gte: b(0x01, 0x50), lt: b(0x80)}), ["01ff", "02"]);
      assert.deepEqual(await keysOf(store, {lte: b(0x02), reverse: true, limit: 2}), ["02", "01ff"]);
      assert.deepEqual(await keysOf(store, {gt: b(0x80), reverse: true}), ["ff", "800001"]);
      assert.deepEqual(await keysOf(store, {limit: 0}), []);
      assert.deepEqual(await keysOf(store, {gte: b(0x03), lt: b(0x02)}), []);
      assert.deepEqual(await collect(store, {gte: b(0x80), limit: 1}), ["800001=05"]);
    });

    it("iterates the data as of the iterator's start", async () => {
      await store.batch([1, 2, 3].map((i) => ({type: "put", key: b(i), value: b(i)})));
      const seen: string[] = [];
      for await (const [k, v] of store.entries({})) {
        // Writes during the iteration are not seen by it.
        if (k[0] === 1) await store.batch([{type: "del", key: b(3)}, {type: "put", key: b(2), value: b(9)}, {type: "put", key: b(4), value: b(4)}]);
        seen.push(`${k[0]}=${v[0]}`);
      }
      assert.deepEqual(seen, ["1=1", "2=2", "3=3"]);
      assert.deepEqual(await collect(store, {}), ["01=01", "02=09", "04=04"]);
    });

    it("clears a range and nothing outside it", async () => {
      await store.batch([1, 2, 3, 4, 5].map((i) => ({type: "put", key: b(i), value: b(i)})));
      await store.clear({gte: b(2), lt: b(4)});
      assert.deepEqual(await keysOf(store, {}), ["01", "04", "05"]);
      await store.clear({gt: b(4)});
      assert.deepEqual(await keysOf(store, {}), ["01", "04"]);
    });

    it("refuses reads and writes once closed", async () => {
      await store.batch([{type: "put", key: b(1), value: b(1)}]);
      await store.close();
      closed = true;
      await assert.rejects(store.get(b(1)));
      await assert.rejects(store.batch([{type: "put", key: b(2), value: b(2)}]));
    });

    it("keeps 2,000 random keys sorted as a sorted array of the same keys would be", async () => {
      let seed = 12345;
      const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
      const expected = new Map<string, string>();
      for (let round = 0; round < 20; round++) {
        const ops = [];
        for (let i = 0; i < 100; i++) {
          const key = Uint8Array.from({length: 1 + (rand() % 4)}, rand);
          const hex = Buffer.from(key).toString("hex");
          if (rand() < 64) {
            ops.push({type: "del" as const, key});
            expected.delete(hex);
          } else {
            ops.push({type: "put" as const, key, value: b(round)});
            expected.set(hex, Buffer.from([round]).toString("hex"));
          }
        }
        await store.batch(ops);
      }
      // Hex of bytes sorts as the bytes do.
      const want = [...expected.keys()].sort().map((k) => `${k}=${expected.get(k)}`);
      assert.deepEqual(await collect(store, {}), want);
    });
  });
}

describe("MemoryStore", () => {
  it("refuses a batch with a non-byte key without applying any of it", async () => {
    const store = new MemoryStore();
    const bad = [{type: "put", key: b(1), value: b(1)}, {type: "put", key: "x" as unknown as Uint8Array, value: b(2)}] as const;
    await assert.rejects(store.batch([...bad]), DbError);
    assert.equal(await store.get(b(1)), undefined);
  });
});
