import {strict as assert} from "node:assert";
import {spawnSync} from "node:child_process";
import {mkdtemp, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";
import {Level} from "level";
import {SlashingProtectionStore} from "../../../../src/validator/slashingProtection/store.ts";
import {pubkey, refusal, rejection, root} from "./helpers.ts";

const child = join(dirname(fileURLToPath(import.meta.url)), "crashChild.ts");

describe("slashingProtection / durability", function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), "gnomon-slashing-crash-"))));
  afterEach(() => rm(dir, {recursive: true, force: true}));

  for (const kind of ["block", "attestation"]) {
    it(`${kind === "block" ? "a block" : "an attestation"} granted just before kill -9 is on disk: no conflicting second signature`, async () => {
      const db = join(dir, "db");
      const run = spawnSync(process.execPath, [child, db, kind], {encoding: "utf8"});
      assert.equal(run.signal, "SIGKILL", run.stderr);
      assert.equal(run.stdout, "granted NEW\n");

      const store = await SlashingProtectionStore.open(db);
      try {
        if (kind === "block") {
          assert.equal(await refusal(store.checkAndInsertBlock(pubkey(1), 5, root(2))), "DOUBLE_PROPOSAL");
          assert.equal(await store.checkAndInsertBlock(pubkey(1), 5, root(1)), "SAME_DATA");
        } else {
          assert.equal(await refusal(store.checkAndInsertAttestation(pubkey(1), 3, 4, root(2))), "DOUBLE_VOTE");
          assert.equal(await refusal(store.checkAndInsertAttestation(pubkey(1), 2, 5, root(2))), "BELOW_MIN_SOURCE");
          assert.equal(await store.checkAndInsertAttestation(pubkey(1), 3, 4, root(1)), "SAME_DATA");
        }
      } finally {
        await store.close();
      }
    });
  }

  it("keeps records across a clean close and reopen", async () => {
    const db = join(dir, "db");
    let store = await SlashingProtectionStore.open(db);
    await store.checkAndInsertAttestation(pubkey(1), 1, 2, root(1));
    await store.checkAndInsertAttestation(pubkey(1), 2, 9, root(2));
    await store.close();
    store = await SlashingProtectionStore.open(db);
    try {
      assert.equal(await refusal(store.checkAndInsertAttestation(pubkey(1), 3, 8, root(3))), "SURROUNDED_VOTE");
    } finally {
      await store.close();
    }
  });

  it("refuses to open a database with an unknown schema", async () => {
    const db = join(dir, "db");
    const raw = new Level<Uint8Array, Uint8Array>(db, {keyEncoding: "view", valueEncoding: "view"});
    await raw.put(Uint8Array.of(0), Uint8Array.of(99));
    await raw.close();
    const e = await rejection(SlashingProtectionStore.open(db));
    assert.equal(e.code, "DB_SCHEMA_MISMATCH");
  });
});

describe("slashingProtection / opening", () => {
  it("reports a database held by another handle as DB_UNAVAILABLE", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gnomon-slashing-lock-"));
    const first = await SlashingProtectionStore.open(join(dir, "db"));
    try {
      const e = await rejection(SlashingProtectionStore.open(join(dir, "db")));
      assert.equal(e.code, "DB_UNAVAILABLE");
      assert.match(e.message, /in use by another process/);
    } finally {
      await first.close();
      await rm(dir, {recursive: true, force: true});
    }
  });
});
