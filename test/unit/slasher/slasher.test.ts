import {strict as assert} from "node:assert";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import fc from "fast-check";
import {decodeIndexedAttestation, encodeIndexedAttestation} from "../../../src/slasher/codec.ts";
import {Slasher} from "../../../src/slasher/slasher.ts";
import {LevelSlasherStore, MemorySlasherStore} from "../../../src/slasher/store.ts";
import {ssz} from "../../../src/types/index.ts";
import {att, header} from "./helpers.ts";

const open = (store = new MemorySlasherStore(), historyEpochs = 64, checkpointBatches = 1) =>
  Slasher.open(store, {historyEpochs, checkpointBatches, validatorChunkSize: 16, epochChunkSize: 4});

describe("slasher", () => {
  it("finds a double vote and keeps the evidence exactly as given", async () => {
    const s = await open();
    const a = att([3, 7, 40], 3, 4, 1);
    const b = att([7], 3, 4, 2);
    s.onAttestation(a);
    assert.equal((await s.processBatch(4)).attesterSlashings.length, 0);
    s.onAttestation(b);
    const r = await s.processBatch(4);
    assert.equal(r.attesterSlashings.length, 1);
    assert.deepEqual(r.detections.map((d) => [d.kind, d.validator]), [["attester_double_vote", 7]]);
    const slashing = r.attesterSlashings[0];
    assert.deepEqual(ssz.IndexedAttestation.serialize(slashing.attestation_1), ssz.IndexedAttestation.serialize(a));
    assert.deepEqual(ssz.IndexedAttestation.serialize(slashing.attestation_2), ssz.IndexedAttestation.serialize(b));
  });

  it("finds nothing in the same vote again, in overlapping aggregates of it, or in honest consecutive votes", async () => {
    const s = await open();
    for (let epoch = 1; epoch < 30; epoch++) {
      s.onAttestation(att([1, 2, 3], epoch - 1, epoch, epoch));
      s.onAttestation(att([2, 3, 4, 5], epoch - 1, epoch, epoch));
      s.onAttestation(att([1, 2, 3], epoch - 1, epoch, epoch));
      const r = await s.processBatch(epoch);
      assert.equal(r.detections.length, 0, `epoch ${epoch}`);
      assert.equal(r.validatorVotes, 10);
    }
  });

  it("finds a vote that surrounds an earlier one, and one that an earlier one surrounds", async () => {
    const s = await open();
    const inner = att([5], 2, 3, 1);
    const outer = att([5], 1, 4, 2);
    s.onAttestation(inner);
    await s.processBatch(4);
    s.onAttestation(outer);
    const r1 = await s.processBatch(4);
    assert.deepEqual(r1.detections.map((d) => d.kind), ["surrounds_existing"]);
    assert.deepEqual(r1.attesterSlashings[0].attestation_1.data.source.epoch, 1);
    assert.deepEqual(r1.attesterSlashings[0].attestation_2.data.source.epoch, 2);

    const s2 = await open();
    s2.onAttestation(att([9], 1, 6, 2));
    await s2.processBatch(6);
    s2.onAttestation(att([9], 3, 4, 1));
    const r2 = await s2.processBatch(6);
    assert.deepEqual(r2.detections.map((d) => d.kind), ["surrounded_by_existing"]);
    // attestation_1 must be the surrounding one (is_slashable_attestation_data's order).
    assert.equal(r2.attesterSlashings[0].attestation_1.data.target.epoch, 6);
    assert.equal(r2.attesterSlashings[0].attestation_2.data.target.epoch, 4);
  });

  it("finds two different headers of one proposer for one slot, not the same header twice", async () => {
    const s = await open();
    s.onBlockHeader(header(100, 4, 1));
    s.onBlockHeader(header(100, 4, 1));
    s.onBlockHeader(header(100, 5, 2));
    assert.equal((await s.processBatch(3)).proposerSlashings.length, 0);
    s.onBlockHeader(header(100, 4, 2));
    const r = await s.processBatch(3);
    assert.equal(r.proposerSlashings.length, 1);
    assert.equal(r.proposerSlashings[0].signed_header_1.message.state_root[0], 1);
    assert.equal(r.proposerSlashings[0].signed_header_2.message.state_root[0], 2);
  });

  it("reports the same evidence once, also when it arrives again after a restart", async () => {
    const store = new MemorySlasherStore();
    const s = await open(store);
    s.onAttestation(att([1], 0, 1, 1));
    s.onAttestation(att([1], 0, 1, 2));
    assert.equal((await s.processBatch(1)).attesterSlashings.length, 1);
    s.onAttestation(att([1], 0, 1, 2));
    assert.equal((await s.processBatch(1)).attesterSlashings.length, 0);
    const again = await open(store);
    again.onAttestation(att([1], 0, 1, 2));
    const r = await again.processBatch(1);
    assert.equal(r.detections.length, 1);
    assert.equal(r.attesterSlashings.length, 0);
    assert.equal((await again.storedSlashings()).attester.length, 1);
  });

  it("after a crash between checkpoints, processes the queued inputs again and loses nothing", async () => {
    const store = new MemorySlasherStore();
    const s = await open(store, 64, 1000);
    s.onAttestation(att([2, 3], 1, 2, 1));
    await s.processBatch(2);
    // No checkpoint happened and the process dies: a new slasher on the same store.
    const revived = await open(store, 64, 1000);
    assert.equal(revived.queuedInputs, 1);
    revived.onAttestation(att([3], 1, 2, 9));
    const r = await revived.processBatch(2);
    assert.equal(r.attesterSlashings.length, 1);
    assert.equal(r.attesterSlashings[0].attestation_1.attesting_indices.length, 2);
  });

  it("keeps its arrays in level across a clean restart", async function () {
    this.timeout(20_000);
    const dir = mkdtempSync(join(tmpdir(), "gnomon-slasher-"));
    try {
      const s = await open((await LevelSlasherStore.open(dir)) as never, 64, 4);
      s.onAttestation(att([300, 301], 10, 11, 1));
      await s.processBatch(11);
      await s.close();
      const again = await open((await LevelSlasherStore.open(dir)) as never, 64, 4);
      again.onAttestation(att([301], 9, 12, 2));
      const r = await again.processBatch(12);
      assert.deepEqual(r.detections.map((d) => [d.kind, d.validator]), [["surrounds_existing", 301]]);
      await again.close();
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });

  it("openOn closes the store when the slasher cannot open on it", async function () {
    this.timeout(20_000);
    const dir = mkdtempSync(join(tmpdir(), "gnomon-slasher-"));
    try {
      const store = await LevelSlasherStore.open(dir);
      await assert.rejects(Slasher.openOn(store, {historyEpochs: 1}), {code: "SLASHER_BAD_OPTION"});
      // level holds a lock while open: opening the directory again works only if the store was closed.
      const again = await LevelSlasherStore.open(dir);
      await again.close();
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });

  it("prunes history older than --slasher-history and ignores votes before it", async () => {
    const store = new MemorySlasherStore();
    const s = await open(store, 8);
    s.onAttestation(att([1], 1, 2, 1));
    await s.processBatch(2);
    await s.processBatch(40);
    s.onAttestation(att([1], 1, 2, 2));
    const r = await s.processBatch(40);
    assert.equal(r.dropped, 1);
    assert.equal(r.detections.length, 0);
    let left = 0;
    for await (const [k] of store.entries(new Uint8Array([0x01]), new Uint8Array([0x08]))) if (k[0] !== 0x05) left++;
    assert.equal(left, 0);
  });

  it("refuses malformed input: unsorted or repeated indices, none at all", async () => {
    const s = await open();
    assert.equal(s.onAttestation(att([3, 2], 0, 1)), false);
    assert.equal(s.onAttestation(att([2, 2], 0, 1)), false);
    assert.equal(s.onAttestation(att([], 0, 1)), false);
    assert.equal(s.queuedInputs, 0);
  });

  it("agrees with a direct check of is_slashable_attestation_data on random vote histories", async function () {
    this.timeout(60_000);
    const vote = fc.record({s: fc.integer({min: 0, max: 14}), d: fc.integer({min: 0, max: 5}), tag: fc.integer({min: 1, max: 2})});
    await fc.assert(
      fc.asyncProperty(fc.array(vote, {minLength: 1, maxLength: 25}), fc.integer({min: 1, max: 4}), async (votes, perBatch) => {
        const s = await open(new MemorySlasherStore(), 64, 2);
        // The first vote per target is what a slasher keeps; a later one conflicts with what is kept.
        const kept: {s: number; t: number; tag: number}[] = [];
        for (let i = 0; i < votes.length; i += perBatch) {
          const batch = votes.slice(i, i + perBatch);
          const expected = new Set<string>();
          for (const v of batch) {
            const t = v.s + v.d;
            const id = toKey(ssz.AttestationData.hashTreeRoot(att([17], v.s, t, v.tag).data));
            const same = kept.find((r) => r.t === t);
            if (same !== undefined) {
              if (same.s !== v.s || same.tag !== v.tag) expected.add(id);
              continue;
            }
            if (kept.some((r) => (r.s < v.s && t < r.t) || (v.s < r.s && r.t < t))) expected.add(id);
            kept.push({s: v.s, t, tag: v.tag});
          }
          for (const v of batch) s.onAttestation(att([17], v.s, v.s + v.d, v.tag));
          const r = await s.processBatch(20);
          const found = new Set(r.detections.map((d) => toKey(d.kind === "surrounds_existing" ? d.root1 : d.root2)));
          assert.deepEqual([...found].sort(), [...expected].sort());
        }
      }),
      {numRuns: 200}
    );
  });

  it("encodes attestations compactly and reads them back", () => {
    const a = att([0, 5, 130, 100_000, 2 ** 30], 7, 8, 3);
    const bytes = encodeIndexedAttestation(a);
    assert.ok(bytes.length < 128 + 96 + 1 + 5 * 5);
    assert.deepEqual(ssz.IndexedAttestation.serialize(decodeIndexedAttestation(bytes)), ssz.IndexedAttestation.serialize(a));
    assert.throws(() => decodeIndexedAttestation(bytes.subarray(0, 100)), /too short/);
  });
});

const toKey = (b: Uint8Array): string => Buffer.from(b).toString("hex");
