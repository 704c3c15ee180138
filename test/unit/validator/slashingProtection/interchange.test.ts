import {strict as assert} from "node:assert";
import {join} from "node:path";
import {exportInterchange} from "../../../../src/validator/slashingProtection/exportInterchange.ts";
import {importInterchange} from "../../../../src/validator/slashingProtection/importInterchange.ts";
import {InterchangeError} from "../../../../src/validator/slashingProtection/errors.ts";
import type {SlashingProtectionStore} from "../../../../src/validator/slashingProtection/store.ts";
import {hex, pubkey, refusal, rejection, root, tempStore} from "./helpers.ts";

const GVR = hex(root(0x4b));
const OTHER_GVR = hex(root(0x4c));
const V = pubkey(1);
const W = pubkey(2);

function interchange(data: unknown[], gvr = GVR, version: unknown = "5"): any {
  return {metadata: {interchange_format_version: version, genesis_validators_root: gvr}, data};
}

const sample = (): any =>
  interchange([
    {
      pubkey: hex(V),
      signed_blocks: [{slot: "81952", signing_root: hex(root(0x11))}, {slot: "81951"}],
      signed_attestations: [
        {source_epoch: "2290", target_epoch: "3007", signing_root: hex(root(0x22))},
        {source_epoch: "2290", target_epoch: "3008"},
      ],
    },
  ]);

function expectInterchangeError(e: unknown, code: string, fragment?: string): void {
  assert.ok(e instanceof InterchangeError, `expected InterchangeError, got ${String(e)}`);
  assert.equal(e.code, code, e.message);
  if (fragment !== undefined) assert.ok(e.message.includes(fragment), `"${e.message}" does not mention ${fragment}`);
}

describe("slashingProtection / interchange import and export", () => {
  let store: SlashingProtectionStore;
  let dir: string;
  let dispose: () => Promise<void>;
  beforeEach(async () => ({store, dir, dispose} = await tempStore()));
  afterEach(() => dispose());

  it("imports the EIP example and exports it back in slot/target order", async () => {
    assert.deepEqual(await importInterchange(store, sample(), GVR), {validators: 1, blocks: 2, attestations: 2});
    assert.deepEqual(await exportInterchange(store, GVR), {
      metadata: {interchange_format_version: "5", genesis_validators_root: GVR},
      data: [
        {
          pubkey: hex(V),
          signed_blocks: [{slot: "81951"}, {slot: "81952", signing_root: hex(root(0x11))}],
          signed_attestations: [
            {source_epoch: "2290", target_epoch: "3007", signing_root: hex(root(0x22))},
            {source_epoch: "2290", target_epoch: "3008"},
          ],
        },
      ],
    });
  });

  it("sets the watermarks to the file's minima (EIP-3076 conditions 2, 4, 5) and keeps every record", async () => {
    await importInterchange(store, sample(), GVR);
    assert.deepEqual(await store.repo.getWatermarks(V), {blockSlot: 81951, sourceEpoch: 2290, targetEpoch: 3007});
    assert.equal(await refusal(store.checkAndInsertBlock(V, 81000, root(1))), "BELOW_MIN_SLOT");
    assert.equal(await refusal(store.checkAndInsertBlock(V, 81951, root(1))), "DOUBLE_PROPOSAL");
    assert.equal(await store.checkAndInsertBlock(V, 81952, root(0x11)), "SAME_DATA");
    assert.equal(await refusal(store.checkAndInsertAttestation(V, 2289, 3009, root(1))), "BELOW_MIN_SOURCE");
    assert.equal(await refusal(store.checkAndInsertAttestation(V, 2290, 3006, root(1))), "BELOW_MIN_TARGET");
    assert.equal(await refusal(store.checkAndInsertAttestation(V, 2290, 3008, root(1))), "DOUBLE_VOTE");
    assert.equal(await store.checkAndInsertAttestation(V, 2290, 3007, root(0x22)), "SAME_DATA");
    assert.equal(await store.checkAndInsertAttestation(V, 3008, 3009, root(1)), "NEW");
  });

  it("merges with local history: watermarks never go down, local records stay", async () => {
    await store.checkAndInsertBlock(V, 500, root(1));
    await store.checkAndInsertAttestation(V, 10, 11, root(2));
    await store.checkAndInsertAttestation(V, 12, 13, root(3));
    await importInterchange(store, interchange([{pubkey: hex(V), signed_blocks: [{slot: "100"}], signed_attestations: [{source_epoch: "1", target_epoch: "20"}]}]), GVR);
    // 1->20 surrounds the local votes: two signers used the key, so the bounds rise to the newest.
    assert.deepEqual(await store.repo.getWatermarks(V), {blockSlot: 500, sourceEpoch: 12, targetEpoch: 20});
    assert.equal(await refusal(store.checkAndInsertAttestation(V, 11, 21, root(4))), "BELOW_MIN_SOURCE");
    assert.equal(await store.checkAndInsertAttestation(V, 12, 21, root(4)), "NEW");
    assert.equal(await store.checkAndInsertBlock(V, 500, root(1)), "SAME_DATA");
  });

  it("makes conflicting records unknown instead of trusting either root", async () => {
    await importInterchange(store, interchange([{pubkey: hex(V), signed_blocks: [{slot: "10", signing_root: hex(root(1))}], signed_attestations: []}]), GVR);
    await importInterchange(store, interchange([{pubkey: hex(V), signed_blocks: [{slot: "10", signing_root: hex(root(2))}], signed_attestations: []}]), GVR);
    assert.deepEqual((await exportInterchange(store, GVR)).data[0].signed_blocks, [{slot: "10"}]);
    assert.equal(await refusal(store.checkAndInsertBlock(V, 10, root(1))), "DOUBLE_PROPOSAL");
    assert.equal(await refusal(store.checkAndInsertBlock(V, 10, root(2))), "DOUBLE_PROPOSAL");
  });

  it("reads an all-zero signing root as unknown", async () => {
    await importInterchange(store, interchange([{pubkey: hex(V), signed_blocks: [{slot: "3", signing_root: hex(root(0))}], signed_attestations: []}]), GVR);
    assert.deepEqual((await exportInterchange(store, GVR)).data[0].signed_blocks, [{slot: "3"}]);
    assert.equal(await refusal(store.checkAndInsertBlock(V, 3, root(0))), "DOUBLE_PROPOSAL");
  });

  it("is idempotent: importing a file twice changes nothing", async () => {
    await importInterchange(store, sample(), GVR);
    const once = await exportInterchange(store, GVR);
    await importInterchange(store, JSON.stringify(sample()), GVR);
    assert.deepEqual(await exportInterchange(store, GVR), once);
  });

  it("merges repeated entries of one pubkey", async () => {
    await importInterchange(
      store,
      interchange([
        {pubkey: hex(V), signed_blocks: [{slot: "10"}], signed_attestations: [{source_epoch: "0", target_epoch: "2"}]},
        {pubkey: hex(V), signed_blocks: [{slot: "12"}], signed_attestations: [{source_epoch: "1", target_epoch: "3"}]},
      ]),
      GVR
    );
    assert.deepEqual(await store.repo.getWatermarks(V), {blockSlot: 10, sourceEpoch: 0, targetEpoch: 2});
    assert.equal((await exportInterchange(store, GVR)).data.length, 1);
  });

  it("keeps an imported record whose source is after its target in the surround check", async () => {
    const atts = [{source_epoch: "1", target_epoch: "2"}, {source_epoch: "5", target_epoch: "3"}];
    await importInterchange(store, interchange([{pubkey: hex(V), signed_blocks: [], signed_attestations: atts}]), GVR);
    assert.equal(await refusal(store.checkAndInsertAttestation(V, 4, 6, root(1))), "SURROUNDING_VOTE");
    assert.equal(await store.checkAndInsertAttestation(V, 5, 6, root(1)), "NEW");
  });

  it("closes the gap between two files: the bound is the larger of their minima", async () => {
    const file = (slot: string, source: string, target: string): unknown =>
      interchange([{pubkey: hex(V), signed_blocks: [{slot}], signed_attestations: [{source_epoch: source, target_epoch: target}]}]);
    await importInterchange(store, file("40", "2", "30"), GVR);
    await importInterchange(store, file("50", "10", "50"), GVR);
    assert.deepEqual(await store.repo.getWatermarks(V), {blockSlot: 50, sourceEpoch: 10, targetEpoch: 50});
    assert.equal(await refusal(store.checkAndInsertBlock(V, 45, root(1))), "BELOW_MIN_SLOT");
    assert.equal(await refusal(store.checkAndInsertAttestation(V, 9, 51, root(1))), "BELOW_MIN_SOURCE");
    assert.equal(await store.checkAndInsertBlock(V, 51, root(1)), "NEW");
  });

  it("exports local signing history, a chosen subset, and empty histories for unknown keys", async () => {
    await store.checkAndInsertBlock(W, 7, root(7));
    await store.checkAndInsertAttestation(V, 0, 1, root(8));
    const all = await exportInterchange(store, GVR);
    assert.deepEqual(all.data.map((d) => d.pubkey), [hex(V), hex(W)]);
    const some = await exportInterchange(store, GVR, [hex(W), pubkey(9)]);
    assert.deepEqual(some.data, [
      {pubkey: hex(W), signed_blocks: [{slot: "7", signing_root: hex(root(7))}], signed_attestations: []},
      {pubkey: hex(pubkey(9)), signed_blocks: [], signed_attestations: []},
    ]);
  });

  it("refuses an interchange for another chain and imports nothing", async () => {
    const e = await rejection(importInterchange(store, sample(), OTHER_GVR));
    expectInterchangeError(e, "GENESIS_VALIDATORS_ROOT_MISMATCH");
    assert.deepEqual(await store.repo.pubkeys(), []);
    assert.equal(await store.repo.getGenesisValidatorsRoot(), null);
  });

  it("remembers its chain: a later import or export for another root is refused", async () => {
    await importInterchange(store, sample(), GVR);
    const other = sample();
    other.metadata.genesis_validators_root = OTHER_GVR;
    expectInterchangeError(await rejection(importInterchange(store, other, OTHER_GVR)), "GENESIS_VALIDATORS_ROOT_MISMATCH", GVR);
    expectInterchangeError(await rejection(exportInterchange(store, OTHER_GVR)), "GENESIS_VALIDATORS_ROOT_MISMATCH");
  });

  it("is atomic: a malformed entry anywhere leaves the store untouched", async () => {
    const file = sample();
    file.data.push({pubkey: hex(W), signed_blocks: [{slot: "-1"}], signed_attestations: []});
    expectInterchangeError(await rejection(importInterchange(store, file, GVR)), "INTERCHANGE_MALFORMED", "data[1].signed_blocks[0].slot");
    assert.deepEqual(await store.repo.pubkeys(), []);
    assert.equal(await store.checkAndInsertBlock(V, 1, root(1)), "NEW");
  });

  const malformed: [string, () => unknown, string, string?][] = [
    ["invalid JSON text", () => "{", "INTERCHANGE_MALFORMED"],
    ["a non-object", () => [], "INTERCHANGE_MALFORMED"],
    ["missing metadata", () => ({data: []}), "INTERCHANGE_MALFORMED", "metadata"],
    ["version 4", () => interchange([], GVR, "4"), "INTERCHANGE_UNSUPPORTED_VERSION"],
    ["an unquoted version", () => interchange([], GVR, 5), "INTERCHANGE_UNSUPPORTED_VERSION"],
    ["a short genesis root", () => interchange([], "0x1234"), "INTERCHANGE_MALFORMED", "genesis_validators_root"],
    ["missing data", () => ({metadata: interchange([]).metadata}), "INTERCHANGE_MALFORMED", "data"],
    ["a bad pubkey", () => interchange([{pubkey: "0x12", signed_blocks: [], signed_attestations: []}]), "INTERCHANGE_MALFORMED", "data[0].pubkey"],
    ["missing signed_blocks", () => interchange([{pubkey: hex(V), signed_attestations: []}]), "INTERCHANGE_MALFORMED", "signed_blocks"],
    ["an unquoted slot", () => interchange([{pubkey: hex(V), signed_blocks: [{slot: 5}], signed_attestations: []}]), "INTERCHANGE_MALFORMED", "slot"],
    [
      "a missing target",
      () => interchange([{pubkey: hex(V), signed_blocks: [], signed_attestations: [{source_epoch: "1"}]}]),
      "INTERCHANGE_MALFORMED",
      "data[0].signed_attestations[0].target_epoch",
    ],
    [
      "a short signing root",
      () => interchange([{pubkey: hex(V), signed_blocks: [{slot: "1", signing_root: "0xab"}], signed_attestations: []}]),
      "INTERCHANGE_MALFORMED",
      "signing_root",
    ],
    [
      "a slot beyond 2**53",
      () => interchange([{pubkey: hex(V), signed_blocks: [{slot: "18446744073709551615"}], signed_attestations: []}]),
      "INTERCHANGE_VALUE_OUT_OF_RANGE",
    ],
  ];
  for (const [what, make, code, fragment] of malformed) {
    it(`refuses ${what} with ${code}`, async () => {
      expectInterchangeError(await rejection(importInterchange(store, make(), GVR)), code, fragment);
      assert.deepEqual(await store.repo.pubkeys(), []);
    });
  }

  it("accepts a database path instead of an open store", async () => {
    const path = join(dir, "by-path");
    await importInterchange(path, sample(), GVR);
    const exported = await exportInterchange(path, GVR);
    assert.equal(exported.data[0].signed_blocks.length, 2);
  });
});
