import {strict as assert} from "node:assert";
import {SlashingProtectionError} from "../../../../src/validator/slashingProtection/errors.ts";
import type {SlashingProtectionStore} from "../../../../src/validator/slashingProtection/store.ts";
import {hex, pubkey, refusal, root, tempStore} from "./helpers.ts";

const V = pubkey(1);
const W = pubkey(2);

describe("slashingProtection / store: blocks", () => {
  let store: SlashingProtectionStore;
  let dispose: () => Promise<void>;
  beforeEach(async () => ({store, dispose} = await tempStore()));
  afterEach(() => dispose());

  it("records a new block and allows an exact re-sign", async () => {
    assert.equal(await store.checkAndInsertBlock(V, 100, root(1)), "NEW");
    assert.equal(await store.checkAndInsertBlock(V, 100, root(1)), "SAME_DATA");
    assert.deepEqual(await store.repo.blocks(V), [{slot: 100, signingRoot: root(1)}]);
  });

  it("refuses a different block at a signed slot with DOUBLE_PROPOSAL and the existing root", async () => {
    await store.checkAndInsertBlock(V, 100, root(1));
    try {
      await store.checkAndInsertBlock(V, 100, root(2));
      assert.fail("signed a double proposal");
    } catch (e) {
      assert.ok(e instanceof SlashingProtectionError);
      assert.equal(e.code, "DOUBLE_PROPOSAL");
      assert.deepEqual(e.details, {slot: 100, existingSigningRoot: hex(root(1))});
    }
    assert.deepEqual(await store.repo.blocks(V), [{slot: 100, signingRoot: root(1)}]);
  });

  it("refuses slots at or below the lowest signed slot (condition 2) but allows later ones", async () => {
    await store.checkAndInsertBlock(V, 100, root(1));
    assert.equal(await refusal(store.checkAndInsertBlock(V, 99, root(2))), "BELOW_MIN_SLOT");
    assert.equal(await refusal(store.checkAndInsertBlock(V, 0, root(2))), "BELOW_MIN_SLOT");
    assert.equal(await store.checkAndInsertBlock(V, 102, root(3)), "NEW");
    assert.equal(await store.checkAndInsertBlock(V, 101, root(4)), "NEW", "a gap above the lowest slot is not slashable");
    assert.deepEqual((await store.repo.getWatermarks(V)).blockSlot, 100);
  });

  it("keeps validators independent", async () => {
    await store.checkAndInsertBlock(V, 100, root(1));
    assert.equal(await store.checkAndInsertBlock(W, 100, root(2)), "NEW");
    assert.equal(await store.checkAndInsertBlock(W, 101, root(2)), "NEW");
    assert.equal(await store.checkAndInsertBlock(pubkey(3), 50, root(2)), "NEW", "another validator's lowest slot does not apply");
  });

  it("lets exactly one of many concurrent conflicting requests through", async () => {
    const outcomes = await Promise.allSettled(Array.from({length: 20}, (_, i) => store.checkAndInsertBlock(V, 7, root(i + 1))));
    const granted = outcomes.filter((o) => o.status === "fulfilled");
    assert.equal(granted.length, 1);
    for (const o of outcomes) if (o.status === "rejected") assert.equal((o.reason as SlashingProtectionError).code, "DOUBLE_PROPOSAL");
    assert.equal((await store.repo.blocks(V)).length, 1);
  });

  it("refuses malformed requests without recording anything", async () => {
    assert.equal(await refusal(store.checkAndInsertBlock(new Uint8Array(47), 1, root(1))), "INVALID_SIGNING_REQUEST");
    assert.equal(await refusal(store.checkAndInsertBlock(V, 1, new Uint8Array(31))), "INVALID_SIGNING_REQUEST");
    assert.equal(await refusal(store.checkAndInsertBlock(V, -1, root(1))), "INVALID_SIGNING_REQUEST");
    assert.equal(await refusal(store.checkAndInsertBlock(V, 1.5, root(1))), "INVALID_SIGNING_REQUEST");
    assert.equal(await refusal(store.checkAndInsertBlock(V, 2 ** 53, root(1))), "INVALID_SIGNING_REQUEST");
    assert.deepEqual(await store.repo.pubkeys(), []);
  });

  it("handles slots beyond 2**32 exactly", async () => {
    const big = 2 ** 40 + 5;
    await store.checkAndInsertBlock(V, big, root(1));
    assert.equal(await refusal(store.checkAndInsertBlock(V, big - 2 ** 32, root(2))), "BELOW_MIN_SLOT");
    assert.equal(await store.checkAndInsertBlock(V, big + 1, root(2)), "NEW");
    assert.deepEqual((await store.repo.blocks(V)).map((b) => b.slot), [big, big + 1]);
  });
});

describe("slashingProtection / store: attestations", () => {
  let store: SlashingProtectionStore;
  let dispose: () => Promise<void>;
  beforeEach(async () => ({store, dispose} = await tempStore()));
  afterEach(() => dispose());

  it("signs the genesis attestation 0->0 once", async () => {
    assert.equal(await store.checkAndInsertAttestation(V, 0, 0, root(1)), "NEW");
    assert.equal(await store.checkAndInsertAttestation(V, 0, 0, root(1)), "SAME_DATA");
    assert.equal(await refusal(store.checkAndInsertAttestation(V, 0, 0, root(2))), "DOUBLE_VOTE");
    assert.equal(await store.checkAndInsertAttestation(V, 0, 1, root(3)), "NEW");
  });

  it("refuses a double vote: same target, different data", async () => {
    await store.checkAndInsertAttestation(V, 1, 2, root(1));
    assert.equal(await refusal(store.checkAndInsertAttestation(V, 1, 2, root(2))), "DOUBLE_VOTE");
    await store.checkAndInsertAttestation(V, 1, 3, root(3));
    assert.equal(await refusal(store.checkAndInsertAttestation(V, 2, 3, root(3))), "DOUBLE_VOTE", "same root but another source is not the same message");
  });

  it("refuses a vote that surrounds a signed one", async () => {
    await store.checkAndInsertAttestation(V, 2, 3, root(1));
    await store.checkAndInsertAttestation(V, 5, 6, root(2));
    try {
      await store.checkAndInsertAttestation(V, 4, 7, root(3));
      assert.fail("signed a surrounding vote");
    } catch (e) {
      assert.ok(e instanceof SlashingProtectionError);
      assert.equal(e.code, "SURROUNDING_VOTE");
      assert.deepEqual(e.details, {sourceEpoch: 5, targetEpoch: 6, signingRoot: hex(root(2))});
    }
    assert.equal(await store.checkAndInsertAttestation(V, 5, 7, root(4)), "NEW", "equal sources do not surround");
  });

  it("refuses a vote surrounded by a signed one", async () => {
    await store.checkAndInsertAttestation(V, 1, 2, root(1));
    await store.checkAndInsertAttestation(V, 2, 10, root(2));
    try {
      await store.checkAndInsertAttestation(V, 3, 5, root(3));
      assert.fail("signed a surrounded vote");
    } catch (e) {
      assert.ok(e instanceof SlashingProtectionError);
      assert.equal(e.code, "SURROUNDED_VOTE");
      assert.deepEqual(e.details, {sourceEpoch: 2, targetEpoch: 10, signingRoot: hex(root(2))});
    }
    assert.equal(await store.checkAndInsertAttestation(V, 2, 9, root(4)), "NEW", "equal sources are not surrounded");
  });

  it("enforces the source and target low watermarks (conditions 4 and 5)", async () => {
    await store.checkAndInsertAttestation(V, 10, 11, root(1));
    assert.equal(await refusal(store.checkAndInsertAttestation(V, 9, 12, root(2))), "BELOW_MIN_SOURCE");
    assert.equal(await refusal(store.checkAndInsertAttestation(V, 10, 10, root(2))), "BELOW_MIN_TARGET");
    assert.deepEqual(await store.repo.getWatermarks(V), {blockSlot: null, sourceEpoch: 10, targetEpoch: 11});
  });

  it("refuses source after target as an invalid attestation", async () => {
    assert.equal(await refusal(store.checkAndInsertAttestation(V, 5, 4, root(1))), "SOURCE_EXCEEDS_TARGET");
    assert.deepEqual(await store.repo.attestations(V), []);
  });

  it("finds a surround deep in a long history through the target index", async () => {
    for (let e = 1; e <= 500; e++) await store.checkAndInsertAttestation(V, e - 1, e, root(e % 250));
    assert.equal(await refusal(store.checkAndInsertAttestation(V, 498, 506, root(1))), "SURROUNDING_VOTE");
    assert.equal(await store.checkAndInsertAttestation(V, 499, 501, root(1)), "NEW");
    assert.equal(await refusal(store.checkAndInsertAttestation(V, 500, 500, root(9))), "DOUBLE_VOTE");
  });

  it("serializes concurrent requests per validator", async () => {
    const requests: [number, number][] = [[3, 8], [4, 7], [2, 9], [5, 6], [4, 8], [3, 7]];
    const outcomes = await Promise.allSettled(requests.map(([s, t], i) => store.checkAndInsertAttestation(V, s, t, root(i + 1))));
    const signed = requests.filter((_, i) => outcomes[i].status === "fulfilled");
    assert.ok(signed.length >= 1);
    for (const [s1, t1] of signed) {
      for (const [s2, t2] of signed) {
        if (s1 === s2 && t1 === t2) continue;
        assert.notEqual(t1, t2, "double vote signed");
        assert.ok(!(s1 < s2 && t2 < t1), `surround signed: ${s1}->${t1} around ${s2}->${t2}`);
      }
    }
    assert.equal((await store.repo.attestations(V)).length, signed.length);
  });
});

describe("slashingProtection / store: in memory (a simulation's clients)", () => {
  it("refuses what the database on disk refuses: a double proposal, a double vote, a surround", async () => {
    const {SlashingProtectionStore: Store} = await import("../../../../src/validator/slashingProtection/store.ts");
    const store = await Store.inMemory();
    try {
      assert.equal(await store.checkAndInsertBlock(V, 100, root(1)), "NEW");
      assert.equal(await refusal(store.checkAndInsertBlock(V, 100, root(2))), "DOUBLE_PROPOSAL");
      assert.equal(await store.checkAndInsertAttestation(V, 2, 3, root(3)), "NEW");
      assert.equal(await refusal(store.checkAndInsertAttestation(V, 2, 3, root(4))), "DOUBLE_VOTE");
      assert.equal(await store.checkAndInsertAttestation(V, 3, 6, root(5)), "NEW");
      assert.equal(await refusal(store.checkAndInsertAttestation(V, 4, 5, root(6))), "SURROUNDED_VOTE");
      assert.equal(await store.checkAndInsertAttestation(W, 4, 5, root(6)), "NEW", "another key is unaffected");
    } finally {
      await store.close();
    }
  });
});
