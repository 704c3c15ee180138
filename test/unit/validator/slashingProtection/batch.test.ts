import {strict as assert} from "node:assert";
import {InterchangeError, SlashingProtectionError} from "../../../../src/validator/slashingProtection/errors.ts";
import type {SlashingProtectionStore} from "../../../../src/validator/slashingProtection/store.ts";
import {SlashingProtectionStore as Store} from "../../../../src/validator/slashingProtection/store.ts";
import {pubkey, root, tempStore} from "./helpers.ts";

const code = (r: unknown): string => (r instanceof SlashingProtectionError ? r.code : String(r));

describe("slashingProtection / store: attestation batches", () => {
  let store: SlashingProtectionStore;
  let dir: string;
  let dispose: () => Promise<void>;
  beforeEach(async () => ({store, dir, dispose} = await tempStore()));
  afterEach(() => dispose());

  it("checks each request as a single call would and records the permitted ones", async () => {
    await store.checkAndInsertAttestation(pubkey(1), 2, 3, root(1));
    const results = await store.checkAndInsertAttestations([
      {pubkey: pubkey(1), sourceEpoch: 2, targetEpoch: 3, signingRoot: root(9)}, // double vote
      {pubkey: pubkey(2), sourceEpoch: 2, targetEpoch: 3, signingRoot: root(2)},
      {pubkey: pubkey(3), sourceEpoch: 4, targetEpoch: 3, signingRoot: root(3)}, // source after target
      {pubkey: pubkey(1), sourceEpoch: 2, targetEpoch: 3, signingRoot: root(1)}, // exact re-sign
    ]);
    assert.deepEqual(results.map(code), ["DOUBLE_VOTE", "NEW", "SOURCE_EXCEEDS_TARGET", "SAME_DATA"]);
    assert.deepEqual(await store.repo.attestations(pubkey(2)), [{sourceEpoch: 2, targetEpoch: 3, signingRoot: root(2)}]);
    assert.deepEqual(await store.repo.attestations(pubkey(3)), []);
  });

  it("sees an earlier request of the same batch for the same validator", async () => {
    const results = await store.checkAndInsertAttestations([
      {pubkey: pubkey(1), sourceEpoch: 1, targetEpoch: 5, signingRoot: root(1)},
      {pubkey: pubkey(1), sourceEpoch: 1, targetEpoch: 5, signingRoot: root(2)},
      {pubkey: pubkey(1), sourceEpoch: 2, targetEpoch: 4, signingRoot: root(3)},
    ]);
    assert.deepEqual(results.map(code), ["NEW", "DOUBLE_VOTE", "BELOW_MIN_TARGET"], "alone, the third would be NEW");
  });

  it("keeps the records after a reopen (the batch is written durably)", async () => {
    await store.checkAndInsertAttestations([{pubkey: pubkey(4), sourceEpoch: 0, targetEpoch: 1, signingRoot: root(4)}]);
    await store.close();
    const again = await Store.open(`${dir}/db`);
    try {
      assert.deepEqual(await again.repo.attestations(pubkey(4)), [{sourceEpoch: 0, targetEpoch: 1, signingRoot: root(4)}]);
    } finally {
      await again.close();
    }
  });

  it("binds the database to one genesis validators root", async () => {
    await store.bindGenesisValidatorsRoot(root(0xaa));
    await store.bindGenesisValidatorsRoot(root(0xaa));
    await assert.rejects(store.bindGenesisValidatorsRoot(root(0xbb)), (e: unknown) => e instanceof InterchangeError && e.code === "GENESIS_VALIDATORS_ROOT_MISMATCH");
  });
});
